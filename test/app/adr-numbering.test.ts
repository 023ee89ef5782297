import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderAdrIndex } from "../../src/context-store/adr/adr-index.js";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { renderAdr } from "../../src/context-store/adr/write-adr.js";
import { FakeGitHub, NotMergeableError } from "./fixtures/fake-github.js";
import { startApp, type TestApp } from "./fixtures/harness.js";
import { approve, merge } from "./fixtures/people.js";
import { pushToMain } from "./fixtures/webhooks.js";
import { ADR_PATH, adrText, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";

/**
 * Two ADR pull requests opened from the same default branch, each proposing
 * ADR 2 (as two people running `baton adr new` at the same time do), merged
 * in either order: both land, with distinct numbers.
 */

function proposal(title: string, slug: string): Record<string, string> {
  const file = `0002-${slug}.md`;
  const text = renderAdr({ number: 2, title, status: "proposed", date: "2026-11-20", modules: ["api"], spec: null, supersedes: [], supersededBy: [], context: "c", options: [], decision: "d", consequences: [], guidance: { api: "g" } });
  const records = [parseAdr("0001-return-problem-json-errors.md", adrText({ spec: "#3" })), parseAdr(file, text)];
  return { [`docs/adr/${file}`]: text, "docs/adr/README.md": renderAdrIndex(records) };
}

describe("ADR numbers never collide", () => {
  let github: FakeGitHub;
  let app: TestApp;

  beforeEach(async () => {
    github = new FakeGitHub().start();
    const files = repositoryFiles({ adr: { spec: "#3" } });
    files["docs/adr/README.md"] = renderAdrIndex([parseAdr("0001-return-problem-json-errors.md", files[ADR_PATH]!)]);
    const main = seedRepository(github, files);
    github.permissions.set("lead", "write");
    // Opened together: both from the same commit of main, both ADR 2.
    for (const [number, branch, title, slug] of [[40, "adr/queues", "Use queues", "use-queues"], [41, "adr/caches", "Use caches", "use-caches"]] as const) {
      github.setBranch(branch, main);
      const head = github.push(branch, proposal(title, slug)).after;
      github.addPull({ number, title: `ADR 2: ${title}`, body: `Proposes docs/adr/0002-${slug}.md`, headRef: branch, headSha: head, baseSha: main, files: [], filesFromGit: true });
    }
    app = await startApp();
  });
  afterEach(() => github.stop());

  for (const [first, second, firstSlug, secondSlug, secondTitle] of [
    [40, 41, "use-queues", "use-caches", "Use caches"],
    [41, 40, "use-caches", "use-queues", "Use queues"],
  ] as const) {
    it(`#${first} merged first, then #${second}: the second is renumbered to ADR 3 on its branch, and both land`, async () => {
      await approve(app, github, first, "lead");
      // As GitHub would: the second cannot merge as it is (both regenerated the index).
      await merge(app, github, first);

      const pull = github.pulls.get(second)!;
      const tip = github.commits.get(pull.headSha)!;
      // One commit: it merges main and renames the ADR, its links and the index.
      expect(tip.parents).toEqual([expect.any(String), github.branchSha("main")]);
      expect(tip.message).toMatch(/^docs\(adr\): renumber ADR 2 to 3, merging main/);
      const files = github.filesAt(pull.headSha);
      expect(files[`docs/adr/0002-${secondSlug}.md`]).toBeUndefined();
      expect(parseAdr(`0003-${secondSlug}.md`, files[`docs/adr/0003-${secondSlug}.md`]!)).toMatchObject({ number: 3, title: secondTitle, status: "proposed" });
      expect(files["docs/adr/README.md"]).toContain(`| 0003 | [${secondTitle}](0003-${secondSlug}.md) | proposed |`);
      expect(files["docs/adr/README.md"]).toContain(`0002-${firstSlug}.md`);
      expect(pull.title).toBe(`ADR 3: ${secondTitle}`);
      expect(pull.body).toBe(`Proposes docs/adr/0003-${secondSlug}.md`);
      const said = github.commentsOn(second).map((c) => c.body);
      expect(said).toEqual([expect.stringContaining(`ADR 2 is now taken on \`main\`: \`docs/adr/0002-${secondSlug}.md\` is now **ADR 3**, \`docs/adr/0003-${secondSlug}.md\`.`)]);

      await approve(app, github, second, "lead");
      await merge(app, github, second);
      const onMain = github.filesAt(github.branchSha("main")!);
      expect(parseAdr("x.md", onMain[`docs/adr/0002-${firstSlug}.md`]!).status).toBe("accepted");
      expect(parseAdr(`0003-${secondSlug}.md`, onMain[`docs/adr/0003-${secondSlug}.md`]!)).toMatchObject({ number: 3, status: "accepted" });
      const numbers = Object.keys(onMain).filter((p) => /^docs\/adr\/\d{4}-/.test(p)).map((p) => p.slice(9, 13));
      expect(numbers.sort()).toEqual(["0001", "0002", "0003"]);
      expect(onMain["docs/adr/README.md"]).toContain("| 0003 |");
      expect(github.unmatched).toEqual([]);
    });
  }

  it("without Baton, the second pull request would not merge (the index conflicts)", async () => {
    github.merge(40);
    expect(() => github.merge(41)).toThrow(NotMergeableError);
  });

  it("the same push again, after a restart, changes nothing more", async () => {
    const result = await merge(app, github, 40);
    const renumberedAt = github.pulls.get(41)!.headSha;
    const writes = github.writes().length;
    const restarted = await startApp();
    await restarted.deliver("push", pushToMain(result), "push-again");
    expect(github.pulls.get(41)!.headSha).toBe(renumberedAt);
    expect(github.writes().length).toBe(writes);
  });

  it("a pull request that also changes code is told what to do, not changed", async () => {
    github.push("adr/caches", { "src/api/users.ts": "export const changed = true;\n" });
    const before = github.pulls.get(41)!.headSha;
    await merge(app, github, 40);
    expect(github.pulls.get(41)!.headSha).toBe(before);
    expect(github.commentsOn(41).at(-1)!.body).toContain("ADR 2 (`docs/adr/0002-use-caches.md`) should become ADR 3, but Baton did not change this branch: it changes files outside the ADR folder (`src/api/users.ts`)");
  });
});
