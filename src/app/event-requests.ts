import type { BatonConfig } from "../config/config-schema.js";
import { pinnedSpecsFolder } from "../graph/default-steps.js";
import type { JobRequest, RepoTarget } from "../runner/job-request.js";
import { inlineCode } from "../util/posted-text.js";
import type { BatonCommand } from "./baton-command.js";

/**
 * Pure translations from webhook payload fields to job requests. The
 * handlers in probot-app.ts enrich an event once (config, permission) and
 * call these; tests can call them with plain objects.
 */

export function labelRequest(target: RepoTarget, config: BatonConfig, label: string, issueNumber: number, cause: string): JobRequest | null {
  if (label === config.triggers.architectureLabel) return { kind: "architecture-review", target, spec: { kind: "issue", number: issueNumber }, cause };
  if (label === config.triggers.devLabel) return { kind: "dev", target, issueNumber, cause };
  return null;
}

/** Specs added or changed by a push to the default branch, each an architecture review. */
export function pushRequests(
  target: RepoTarget,
  config: BatonConfig,
  push: { ref: string; after: string; defaultBranch: string; commits: { added?: string[]; modified?: string[] }[] },
): JobRequest[] {
  if (push.ref !== `refs/heads/${push.defaultBranch}` || /^0+$/.test(push.after)) return [];
  const prefix = `${config.folders.specs.replace(/\/+$/, "")}/`;
  // Specs pinned at an ADR's acceptance already have their ADR.
  const pinned = `${pinnedSpecsFolder(config)}/`;
  const paths = new Set<string>();
  for (const c of push.commits) for (const p of [...(c.added ?? []), ...(c.modified ?? [])]) if (p.startsWith(prefix) && !p.startsWith(pinned) && /\.md$/i.test(p) && !/\/readme\.md$/i.test(p)) paths.add(p);
  return [...paths].sort().map((path) => ({ kind: "architecture-review", target, spec: { kind: "file", path, commit: push.after }, cause: `push-${push.after.slice(0, 12)}` }));
}

export type PullRequestDecision = { request: JobRequest } | { skip: string };

export function pullRequestRequest(
  target: RepoTarget,
  config: BatonConfig,
  pr: { number: number; draft: boolean; headSha: string; headRepo: string | null; baseRepo: string; labels: string[]; additions: number; deletions: number },
  cause: string,
  action = "opened",
): PullRequestDecision {
  if (pr.headRepo !== pr.baseRepo) return { skip: "pull request from a fork: reviews run only when a maintainer comments /baton review" };
  if (pr.draft && !config.triggers.reviewDrafts) return { skip: "draft pull request (set triggers.reviewDrafts to review drafts)" };
  if (pr.labels.includes(config.triggers.skipLabel)) return { skip: `labelled ${config.triggers.skipLabel}` };
  if (config.steps.review?.enabled === false) return { skip: "the review step is disabled in .github/baton.yml" };
  if (action === "synchronize" && !config.triggers.reviewOnPush) return { skip: "new pushes are not reviewed (triggers.reviewOnPush is false; comment /baton review)" };
  const lines = pr.additions + pr.deletions;
  if (lines <= config.triggers.smallChangeLines) return { skip: `small change (${lines} lines ≤ triggers.smallChangeLines ${config.triggers.smallChangeLines})` };
  return { request: { kind: "review", target, pullNumber: pr.number, headSha: pr.headSha, cause } };
}

export function commandRequest(
  target: RepoTarget,
  command: BatonCommand,
  where: { number: number; isPullRequest: boolean; headSha?: string; commentUrl: string; author: string },
  cause: string,
): JobRequest {
  const reply = (body: string): JobRequest => ({ kind: "reply", target, number: where.number, body, marker: `<!-- baton:reply ${cause} -->`, cause });
  switch (command.name) {
    case "help":
      return { kind: "help", target, number: where.number, cause };
    case "architect":
      if (where.isPullRequest) return reply("`/baton architect` works on issues: comment it on the issue that holds the spec.");
      return { kind: "architecture-review", target, spec: { kind: "issue", number: where.number }, cause };
    case "dev":
      if (where.isPullRequest) return reply("`/baton dev` works on issues: comment it on the issue whose ADR was accepted.");
      return { kind: "dev", target, issueNumber: where.number, cause };
    case "review":
      if (!where.isPullRequest || !where.headSha) return reply("`/baton review` works on pull requests.");
      return { kind: "review", target, pullNumber: where.number, headSha: where.headSha, cause, force: true };
    case "context":
      return { kind: "context", target, number: where.number, step: command.step ?? (where.isPullRequest ? "review" : "architecture-review"), cause };
    case "remember":
      if (!command.lesson) return reply("Usage: `/baton remember [--module <name>] <lesson>`");
      return { kind: "remember", target, number: where.number, lesson: command.lesson, module: command.module, commentUrl: where.commentUrl, author: where.author, cause, isPullRequest: where.isPullRequest };
    case "trace":
      return { kind: "trace", target, number: where.number, isPullRequest: where.isPullRequest, query: command.ref ?? null, cause };
    case "accept":
    case "reject":
      if (!where.isPullRequest) return reply(`\`/baton ${command.name}\` works on the pull request that proposes the ADR.`);
      return { kind: "adr-decision", target, pullNumber: where.number, decision: command.name === "accept" ? "accepted" : "rejected", by: where.author, via: "command", cause };
    case "dismiss":
      if (!where.isPullRequest) return reply("`/baton dismiss <id>` works on pull requests: the id is in Baton's review summary.");
      if (command.ids.length === 0) return reply("Usage: `/baton dismiss <id>`, with the 8-character id of a finding from Baton's review summary.");
      return { kind: "dismiss", target, pullNumber: where.number, ids: command.ids, author: where.author, cause };
    case "unknown":
      return reply(`Baton does not know ${inlineCode(`/baton ${command.word}`)}. Comment \`/baton help\` for the list of commands.`);
  }
}
