import type { GitHubClient } from "../runner/github-port.js";
import type { JobRequest, RepoTarget } from "../runner/job-request.js";
import { parseCheckRunExternalId } from "../runner/check-run-id.js";
import { NEEDS_WRITE, parseBatonCommand, SPENDS_TOKENS } from "./baton-command.js";
import { readEdgeConfig } from "./edge-config.js";
import { commandRequest, labelRequest, pullRequestRequest, pushRequests } from "./event-requests.js";
import { knowledgePushRequest, pullClosedRequest, reviewSubmittedRequest } from "./knowledge-requests.js";
import type { ReplyLimiter } from "./reply-limit.js";
import { hasWriteAccess, mayHaveWriteAccess } from "./write-access.js";
import { DEV_DISPATCH_TYPE } from "../runner/baton-workflow.js";

/** A webhook event as both the app and the Action receive it. */
export interface IncomingEvent {
  /** Event name (`issues`, `pull_request`…), without the action. */
  name: string;
  /** Delivery id: the same on a redelivery. */
  id: string;
  // Payload shapes are GitHub's; each branch below reads only the fields it needs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: any;
  octokit: GitHubClient;
  /** Installation id (0 in the Action, where the token is the workflow's). */
  installationId: number;
  log: { info(obj: Record<string, unknown>, msg: string): void };
  /** Bounds replies to people without write access per repository (absent: unbounded, as in the Action). */
  replies?: ReplyLimiter;
}

/**
 * Turns one event into the job requests it asks for: the one routing the
 * hosted app and the GitHub Action share. It reads at most the config (for
 * label names) and the sender's permission; everything else is the job's.
 */
export async function routeEvent(event: IncomingEvent): Promise<JobRequest[]> {
  const { payload, name } = event;
  const repository = payload.repository;
  if (!repository) return [];
  const owner: string = repository.owner?.login ?? repository.owner?.name ?? "";
  const target: RepoTarget = { owner, repo: repository.name, installationId: event.installationId };
  const action: string | undefined = payload.action;

  if (name === "issues" && action === "labeled") {
    if (!payload.label || payload.issue?.pull_request) return [];
    const config = await readEdgeConfig(event.octokit, owner, repository.name);
    const req = labelRequest(target, config, payload.label.name, payload.issue.number, `label-${event.id}`);
    if (!req) return [];
    // Labelling needs only triage rights, yet Baton's labels spend tokens: the same bar as commands.
    const sender: string | undefined = payload.sender?.login;
    if (payload.sender?.type === "Bot" || !sender || !(await hasWriteAccess(event.octokit, owner, repository.name, sender))) {
      event.log.info({ issue: payload.issue.number, sender }, "label ignored: the sender has no write access");
      return [];
    }
    return [req];
  }

  if (name === "push") {
    const config = await readEdgeConfig(event.octokit, owner, repository.name);
    const push = { ref: payload.ref, before: payload.before ?? "", after: payload.after, defaultBranch: repository.default_branch ?? repository.master_branch ?? "main", commits: payload.commits ?? [] };
    const knowledge = knowledgePushRequest(target, push);
    return [...pushRequests(target, config, push), ...(knowledge ? [knowledge] : [])];
  }

  if (name === "pull_request" && ["opened", "synchronize", "reopened", "ready_for_review"].includes(action ?? "")) {
    const pr = payload.pull_request;
    const config = await readEdgeConfig(event.octokit, owner, repository.name);
    const decision = pullRequestRequest(
      target,
      config,
      {
        number: pr.number,
        draft: pr.draft ?? false,
        headSha: pr.head.sha,
        headRepo: pr.head.repo?.full_name ?? null,
        baseRepo: pr.base.repo.full_name,
        labels: (pr.labels ?? []).map((l: { name: string }) => l.name),
        additions: pr.additions ?? Number.MAX_SAFE_INTEGER,
        deletions: pr.deletions ?? 0,
      },
      `pr-${String(pr.head.sha).slice(0, 12)}`,
      action,
    );
    if ("skip" in decision) {
      event.log.info({ pr: pr.number }, `review skipped: ${decision.skip}`);
      return [];
    }
    return [decision.request];
  }

  if (name === "pull_request" && action === "closed") {
    const pr = payload.pull_request;
    const req = pullClosedRequest(target, { number: pr.number, merged: Boolean(pr.merged), headRef: pr.head?.ref ?? "" }, `closed-${event.id}`);
    return req ? [req] : [];
  }

  if (name === "issue_comment" && action === "created") {
    const { comment, issue, sender } = payload;
    if (sender?.type === "Bot" || comment.user?.type === "Bot") return [];
    const command = parseBatonCommand(comment.body ?? "");
    if (!command) return [];
    const cause = `comment-${comment.id}`;
    const author: string = comment.user?.login ?? sender.login;
    const writer = mayHaveWriteAccess(comment.author_association) && (await hasWriteAccess(event.octokit, owner, repository.name, author));
    if (!writer && event.replies && !(await event.replies.take(`${owner}/${repository.name}`))) {
      event.log.info({ author, command: command.name }, "command ignored: the repository's replies to people without write access are used up for this hour");
      return [];
    }
    if (NEEDS_WRITE.has(command.name) && !writer) {
      const why = SPENDS_TOKENS.has(command.name) ? "calls the model" : "commits a decision";
      return [
        {
          kind: "reply",
          target,
          number: issue.number,
          cause,
          marker: `<!-- baton:reply ${cause} -->`,
          body: `Thanks, \`@${author}\`. \`/baton ${command.name}\` ${why}, so it is reserved for people with write access to this repository. A maintainer can run it for you.`,
        },
      ];
    }
    let headSha: string | undefined;
    if (issue.pull_request && command.name === "review") {
      const { data } = await event.octokit.rest.pulls.get({ owner, repo: repository.name, pull_number: issue.number });
      headSha = data.head.sha;
    }
    return [commandRequest(target, command, { number: issue.number, isPullRequest: Boolean(issue.pull_request), headSha, commentUrl: comment.html_url, author }, cause)];
  }

  if (name === "repository_dispatch" && action === DEV_DISPATCH_TYPE) {
    // Sent by the hosted app (or anyone with write access: only they can dispatch) to run the dev step here, at the pinned commit.
    const p = payload.client_payload ?? {};
    const issue = Number(p.issue);
    if (!Number.isInteger(issue) || issue < 1) {
      event.log.info({ payload: p }, "baton-dev dispatch without an issue number: ignored");
      return [];
    }
    const commit = typeof p.commit === "string" && /^[0-9a-f]{40}$/.test(p.commit) ? p.commit : undefined;
    return [{ kind: "dev", target, issueNumber: issue, cause: `dispatch-${event.id}`, ...(commit ? { commit } : {}) }];
  }

  if (name === "pull_request_review" && action === "submitted") {
    const { review, pull_request: pr } = payload;
    const req = reviewSubmittedRequest(target, {
      pullNumber: pr.number,
      state: String(review?.state ?? ""),
      reviewer: review?.user?.login ?? "",
      reviewerType: review?.user?.type ?? "",
      reviewId: review?.id ?? 0,
      pullOpen: pr.state === "open",
      headRepo: pr.head?.repo?.full_name ?? null,
      baseRepo: pr.base.repo.full_name,
    });
    // An approval decides only when it comes from someone who could merge the decision anyway.
    if (!req || !(await hasWriteAccess(event.octokit, owner, repository.name, review.user.login))) return [];
    return [req];
  }

  if (name === "check_run" && action === "rerequested") {
    // GitHub sends `rerequested` only to the app that created the check run; the external id says which job it was.
    const parsed = payload.check_run?.external_id ? parseCheckRunExternalId(payload.check_run.external_id) : null;
    if (!parsed) return [];
    // A re-run spends tokens like a command: the same bar, whoever can press the button.
    const sender: string | undefined = payload.sender?.login;
    if (payload.sender?.type === "Bot" || !sender || !(await hasWriteAccess(event.octokit, owner, repository.name, sender))) {
      event.log.info({ checkRun: payload.check_run.id, sender }, "re-run ignored: the requester has no write access");
      return [];
    }
    return [{ ...parsed, target, cause: `rerun-${event.id}` } as JobRequest];
  }

  return [];
}
