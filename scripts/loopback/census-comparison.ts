import type { Census } from "./fake-github-server.js";

/** Nothing duplicated: what exists in the fake GitHub before and after the same events came again. */

export function compareCensus(before: Census, after: Census, check: (name: string, ok: boolean, detail?: string) => boolean): void {
  const diff = (name: string, a: unknown[], b: unknown[]) => {
    const ka = a.map((x) => JSON.stringify(x));
    const kb = b.map((x) => JSON.stringify(x));
    const added = kb.filter((k) => !ka.includes(k));
    const removed = ka.filter((k) => !kb.includes(k));
    check(`no new ${name}`, added.length === 0 && removed.length === 0, added.length || removed.length ? `added ${added.join(", ") || "none"}; removed/changed ${removed.join(", ") || "none"}` : `${b.length}`);
  };
  diff("branches (and no branch moved)", Object.entries(before.branches), Object.entries(after.branches));
  check("no new commits", after.commits === before.commits, `${before.commits} → ${after.commits}`);
  diff("pull requests", before.pulls, after.pulls);
  diff("reviews", before.reviews, after.reviews);
  diff("issue comments", before.comments, after.comments);
  diff(
    "check runs",
    before.checkRuns.map(({ conclusion: _c, ...rest }) => rest),
    after.checkRuns.map(({ conclusion: _c, ...rest }) => rest),
  );
  // Running a step again on the same input must come to the same verdict (a failing review gate stays failed).
  const flipped = before.checkRuns.flatMap((b) => {
    const a = after.checkRuns.find((x) => x.id === b.id);
    return a && b.conclusion !== null && a.conclusion !== b.conclusion ? [`${b.name} #${b.id}: ${b.conclusion} → ${a.conclusion}`] : [];
  });
  check("no check run changed its conclusion", flipped.length === 0, flipped.join(", "));
}

