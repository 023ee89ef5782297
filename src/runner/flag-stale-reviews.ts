import type { StoredAdr } from "../context-store/load-context-store.js";
import { changedInputs, readUsedContext, type ChangedInput } from "../graph/context-identities.js";
import { createGitHubSnapshot } from "../snapshot/github-snapshot.js";
import { adrLinksFromText } from "../steps/pull-request-body.js";
import { parseReviewState, SUMMARY_MARKER } from "../steps/review/review-state.js";
import { escapeMarkdownInline, inlineCode } from "../util/posted-text.js";
import { ownedBy } from "../writer/bot-identity.js";
import { createCheckRunReporter } from "../writer/github-check-runs.js";
import { contextChangedExternalId } from "./check-run-id.js";
import { findCommentByMarker, listOpenPullRequests } from "./github-port.js";
import type { RepoTarget } from "./job-request.js";
import type { OpenRepository } from "./open-repository.js";
import { MAX_PULLS_PER_PUSH } from "./update-baton-branch.js";
import type { RunnerDeps } from "./run-job.js";

export const CONTEXT_CHANGED = "Baton: context changed";
const REVIEW_RUN = "Baton: review";
const CONFIG_PATHS = [".github/baton.yml", ".github/baton.yaml"];

interface Superseded {
  adr: StoredAdr;
  successors: StoredAdr[];
}

/**
 * Staleness, from what is already written: each open pull request's latest
 * review (the summary comment's last reviewed commit) and that review's
 * check run, whose manifest names every file it used at its blob. A file
 * the default branch now has at another blob (an ADR, a pitfall file, a
 * spec, `.github/baton.yml`) makes the pull request's context stale; so does
 * citing an ADR that is now superseded. Such a pull request gets a neutral
 * "Baton: context changed" check run, whose Re-run button reviews it again.
 */
export async function flagStaleReviews(deps: RunnerDeps, target: RepoTarget, repo: OpenRepository, main: { sha: string; branch: string; htmlUrl: string }, pushed: string[] | null): Promise<void> {
  const { owner, repo: name } = target;
  const areas = [repo.store.adrFolder, repo.config.folders.pitfalls, repo.config.folders.specs].filter((f): f is string => Boolean(f)).map((f) => `${f.replace(/\/+$/, "")}/`);
  const matters = (path: string) => CONFIG_PATHS.includes(path) || areas.some((a) => path.startsWith(a));
  if (pushed !== null && !pushed.some(matters)) return;
  const now = new Map((await repo.snapshot.listFiles()).map((f) => [f.path, f.sha]));
  const checks = createCheckRunReporter({ octokit: deps.octokit, owner, repo: name, bot: deps.bot });
  const configAt = new Map<string, string | null>();

  for (const pull of (await listOpenPullRequests(deps.octokit, owner, name, main.branch)).slice(0, MAX_PULLS_PER_PUSH)) {
    const state = parseReviewState((await findCommentByMarker(deps.octokit, owner, name, pull.number, SUMMARY_MARKER, deps.bot)) ?? "");
    const used = state ? await reviewedContext(deps, target, state.lastReviewedSha) : null;
    const changed = used ? changedInputs(used.files, now, matters) : [];
    // The config was read at the review's commit without a row of its own: compare its blob there.
    if (used?.commit && !changed.some((c) => CONFIG_PATHS.includes(c.path))) {
      if (!configAt.has(used.commit)) configAt.set(used.commit, await configBlob(deps, target, used.commit));
      const was = configAt.get(used.commit) ?? null;
      const current = CONFIG_PATHS.map((p) => now.get(p)).find(Boolean) ?? null;
      if (was !== current && (was !== null || current !== null)) changed.push({ path: ".github/baton.yml", was: was ?? "(none)", now: current });
    }
    const superseded = citedSuperseded(repo, pull.body);
    const externalId = contextChangedExternalId(pull.number, pull.headSha);
    if (changed.length === 0 && superseded.length === 0) {
      // A run flagged earlier whose review has since caught up is settled.
      const existing = await checks.findRun(pull.headSha, CONTEXT_CHANGED, externalId);
      if (existing && existing.conclusion === "neutral") await checks.complete(existing.id, { conclusion: "success", title: "The last review used the current context", summary: "Reviewed again since the context changed." });
      continue;
    }
    const id = (await checks.findExisting(pull.headSha, CONTEXT_CHANGED, externalId)) ?? (await checks.queued({ name: CONTEXT_CHANGED, headSha: pull.headSha, externalId }));
    await checks.complete(id, {
      conclusion: "neutral",
      title: contextChangedTitle(repo, changed, superseded),
      summary: contextChangedSummary({ repo, changed, superseded, main, reviewedAt: state?.lastReviewedSha ?? null, usedCommit: used?.commit ?? null }),
    });
    deps.log.info({ pr: pull.number, changed: changed.map((c) => c.path), superseded: superseded.map((s) => s.adr.record.number) }, "context changed since the last review");
  }
}

/** After a review: a "context changed" run on the same commit is settled, since the review just read the current context. */
export async function settleContextChanged(deps: RunnerDeps, target: RepoTarget, pullNumber: number, headSha: string): Promise<void> {
  const checks = createCheckRunReporter({ octokit: deps.octokit, owner: target.owner, repo: target.repo, bot: deps.bot });
  const existing = await checks.findRun(headSha, CONTEXT_CHANGED, contextChangedExternalId(pullNumber, headSha));
  if (existing?.conclusion === "neutral") await checks.complete(existing.id, { conclusion: "success", title: "Reviewed again with the current context", summary: "The review that followed read the context as it is now: see the Baton: review check run." });
}

/** The files the review at `sha` used, from its check run (the newest one, a re-run included). */
async function reviewedContext(deps: RunnerDeps, target: RepoTarget, sha: string) {
  const { data } = await deps.octokit.rest.checks.listForRef({ owner: target.owner, repo: target.repo, ref: sha, check_name: REVIEW_RUN, filter: "all", per_page: 100 });
  // Only Baton's own runs: another app could name a check run "Baton: review".
  const runs = data.check_runs.filter((r) => ownedBy(deps.bot, r) && r.status === "completed" && r.output?.summary).sort((a, b) => b.id - a.id);
  return runs[0] ? readUsedContext(runs[0].output.summary ?? "") : null;
}

async function configBlob(deps: RunnerDeps, target: RepoTarget, commit: string): Promise<string | null> {
  const files = await createGitHubSnapshot({ octokit: deps.octokit, owner: target.owner, repo: target.repo, commit }).listFiles();
  return CONFIG_PATHS.map((p) => files.find((f) => f.path === p)?.sha).find(Boolean) ?? null;
}

/** ADRs the pull request body cites (trailers, `ADR 12` mentions) that are now superseded, with their successors. */
function citedSuperseded(repo: OpenRepository, body: string): Superseded[] {
  const out: Superseded[] = [];
  for (const link of adrLinksFromText(body)) {
    const adr = repo.store.adrs.find((a) => (typeof link === "number" ? a.record.number === link : a.path === link || a.path.endsWith(`/${link}`)));
    if (!adr || adr.record.status !== "superseded" || out.some((o) => o.adr === adr)) continue;
    out.push({ adr, successors: repo.store.adrs.filter((a) => a.record.number !== null && adr.record.supersededBy.includes(a.record.number)) });
  }
  return out;
}

function describeFile(repo: OpenRepository, path: string): string {
  const adr = repo.store.adrs.find((a) => a.path === path);
  return adr?.record.number != null ? `ADR ${adr.record.number}` : path;
}

function contextChangedTitle(repo: OpenRepository, changed: ChangedInput[], superseded: Superseded[]): string {
  const parts: string[] = [];
  if (changed.length === 1) parts.push(`${describeFile(repo, changed[0]!.path)} changed since the last review`);
  else if (changed.length > 1) parts.push(`${changed.length} context files changed since the last review`);
  if (superseded.length) parts.push(`cites superseded ${superseded.map((s) => `ADR ${s.adr.record.number}`).join(", ")}`);
  return parts.join("; ");
}

/** `https://github.com/o/r/blob/<sha>/a%20b/c.md`: each path segment encoded. */
function blobUrl(htmlUrl: string, sha: string, path: string): string {
  return `${htmlUrl}/blob/${sha}/${path.split("/").map(encodeURIComponent).join("/")}`;
}

function contextChangedSummary(args: { repo: OpenRepository; changed: ChangedInput[]; superseded: Superseded[]; main: { sha: string; branch: string; htmlUrl: string }; reviewedAt: string | null; usedCommit: string | null }): string {
  const { repo, main } = args;
  const lines: string[] = [];
  if (args.changed.length) {
    const at = args.reviewedAt ? ` of ${inlineCode(args.reviewedAt.slice(0, 7))}` : "";
    lines.push(`The last Baton review${at} read context that has changed on ${inlineCode(main.branch)} since:`, "", "| file | reviewed with | now |", "|---|---|---|");
    for (const c of args.changed) {
      const adr = repo.store.adrs.find((a) => a.path === c.path);
      const label = adr ? ` (${escapeMarkdownInline(`ADR ${adr.record.number ?? "?"}: ${adr.record.title}`)})` : "";
      const file = c.now ? `[${escapeMarkdownInline(c.path)}](${blobUrl(main.htmlUrl, main.sha, c.path)})${label}` : `${inlineCode(c.path)}${label}`;
      const diff = args.usedCommit ? ` ([changes](${main.htmlUrl}/compare/${args.usedCommit}...${main.sha}))` : "";
      lines.push(`| ${file} | ${inlineCode(c.was.slice(0, 7))} | ${c.now ? `${inlineCode(c.now.slice(0, 7))}${diff}` : "deleted"} |`);
    }
    lines.push("");
  }
  for (const s of args.superseded) {
    const successors = s.successors.map((n) => `[${escapeMarkdownInline(`ADR ${n.record.number}: ${n.record.title}`)}](${blobUrl(main.htmlUrl, main.sha, n.path)})`);
    lines.push(`This pull request cites ADR ${s.adr.record.number} (${inlineCode(s.adr.path)}), which is superseded${successors.length ? ` by ${successors.join(", ")}` : ""}: check it against ${successors.length === 1 ? "its successor" : "what replaced it"}.`, "");
  }
  lines.push("Press **Re-run** on this check to review the pull request again with the context as it is now.");
  return lines.join("\n");
}
