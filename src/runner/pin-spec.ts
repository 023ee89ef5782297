import type { BatonConfig } from "../config/config-schema.js";
import type { DecisionPlan } from "../context-store/adr/decide-adrs.js";
import { parsePinnedSpec, pinnedSpecPath, renderPinnedSpec, specDrift, type PinnedSpec, type SpecDrift } from "../context-store/specs/pinned-spec.js";
import { normaliseSpecKey } from "../graph/resolve-context.js";
import { pinnedSpecsFolder } from "../graph/default-steps.js";
import type { SpecRef } from "../graph/step-trigger.js";
import type { RepoSnapshot } from "../snapshot/repo-snapshot.js";
import { inlineCode } from "../util/posted-text.js";
import type { FileChange } from "../writer/intents.js";
import { getIssue, type IssueState } from "./github-port.js";
import type { RepoTarget } from "./job-request.js";
import type { RunnerDeps } from "./run-job.js";

/**
 * Pinning at acceptance: each accepted ADR that answers an issue gets the
 * issue's text as of now committed next to it, in the same commit. An ADR
 * accepted earlier keeps the text it was accepted with.
 */
export async function pinIssueSpecs(deps: RunnerDeps, target: RepoTarget, config: BatonConfig, atHead: RepoSnapshot, plan: DecisionPlan, today: string): Promise<{ files: FileChange[]; lines: string[] }> {
  const files: FileChange[] = [];
  const lines: string[] = [];
  for (const d of plan.decided) {
    const issue = d.status === "accepted" && d.spec ? /^#(\d+)$/.exec(normaliseSpecKey(d.spec)) : null;
    if (!issue) continue;
    const path = pinnedSpecPath(pinnedSpecsFolder(config), Number(issue[1]));
    if (!d.newly && (await atHead.readFiles([path])).get(path)?.text) continue;
    const now = await getIssue(deps.octokit, target.owner, target.repo, Number(issue[1]));
    files.push({ path, content: renderPinnedSpec({ issue: now.number, title: now.title, body: now.body, updatedAt: now.updatedAt, url: now.htmlUrl, adr: d.path, accepted: today }) });
    lines.push(`The spec, issue #${now.number} as of ${now.updatedAt}, is pinned in ${inlineCode(path)}: the dev step builds from this text, and shows a later edit of the issue as a difference instead of following it.`);
  }
  return { files, lines };
}

/** The issue's spec as the dev step uses it: the pinned text when there is one, and how the issue differs from it now. */
export async function pinnedIssueSpec(snapshot: RepoSnapshot, config: BatonConfig, issue: IssueState): Promise<{ pinned: PinnedSpec; path: string; sha: string; drift: SpecDrift | null } | null> {
  const path = pinnedSpecPath(pinnedSpecsFolder(config), issue.number);
  const entry = (await snapshot.listFiles()).find((f) => f.path === path);
  const text = entry ? (await snapshot.readFiles([path])).get(path)?.text : null;
  const pinned = text ? parsePinnedSpec(text) : null;
  if (!entry || !pinned || pinned.issue !== issue.number) return null;
  return { pinned, path, sha: entry.sha, drift: specDrift(pinned, issue) };
}

/** An issue as the spec it is now (the architecture review's, and every step's when nothing is pinned). */
export function liveIssueSpec(issue: IssueState): SpecRef {
  return { kind: "issue", number: issue.number, title: issue.title, body: issue.body, updatedAt: issue.updatedAt, url: issue.htmlUrl };
}

/**
 * An issue's spec as every step reads it (dev, review, `/baton context`):
 * the text pinned when its ADR was accepted, when there is one, so a review
 * judges the PR against what dev was asked to build; else the issue as it is
 * now. `note` says which, for the manifest.
 */
export async function issueSpec(snapshot: RepoSnapshot, config: BatonConfig, issue: IssueState): Promise<{ spec: SpecRef; pin: Awaited<ReturnType<typeof pinnedIssueSpec>>; note: string }> {
  const pin = await pinnedIssueSpec(snapshot, config, issue);
  if (!pin) {
    return {
      spec: liveIssueSpec(issue),
      pin,
      note: `spec: issue #${issue.number} as it is now (no pinned copy under ${pinnedSpecsFolder(config)})`,
    };
  }
  return {
    spec: { kind: "issue", number: issue.number, title: pin.pinned.title, body: pin.pinned.body, updatedAt: pin.pinned.updatedAt, url: issue.htmlUrl, pinned: { path: pin.path, sha: pin.sha } },
    pin,
    note: `spec: issue #${issue.number} as accepted, pinned in ${pin.path}${pin.drift ? " (the issue was edited since: not followed)" : ""}`,
  };
}
