import type { StepDeclaration } from "../graph/step-declaration.js";
import { assertCapabilities, CapabilityError } from "./check-capabilities.js";
import { commitIntentProblems, writeCommit } from "./github-commit.js";
import { bodyWithMarker, findInPages, GitHubWriteError, githubRequest, sameText, type OctokitLike } from "./github-request.js";
import type { ClosePullRequestIntent, CommentIntent, CommitIntent, InlineComment, Intent, PullRequestIntent, ReviewIntent } from "./intents.js";
import { refusedComments } from "../steps/review/comment-placement.js";
import type { GitHubPullFile } from "../steps/review/diff-files.js";
import { writtenBy, type BotIdentity } from "./bot-identity.js";
import { forkTarget, type ForkAccess } from "./fork-push.js";
import { outgoingBody, outgoingPlain, headerMarkers, splitHeader } from "./outgoing-text.js";
import { inlineCode } from "../util/posted-text.js";
import type { CommentResult, GitHubWriter, PullRequestResult, ReviewResult, WriteResult, WriterLogger } from "./write-result.js";

export { describeGitHubError, GitHubWriteError, type OctokitLike } from "./github-request.js";

/**
 * Carries intents out on GitHub, last, after the step has built them all.
 * Every write is found again before it is made (branch tree, PR by head,
 * comment and review by hidden marker), so applying the same intents twice,
 * as a redelivered webhook does, writes nothing the second time.
 */

export interface GitHubWriterOptions {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  /** Baton's own account: only its comments and reviews are found again by marker. */
  bot: BotIdentity;
  /** Access to a fork, for commits whose `repository` is one (`dev.pushTo: fork`). */
  forks?: ForkAccess;
  log?: WriterLogger;
}

/** GitHub's limit on issue comment and review bodies (65536 characters; counted here in bytes, which is never more lenient). */
const BODY_LIMIT_BYTES = 65_536;

interface PullPayload {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  head: { ref: string; label: string };
  labels: { name: string }[];
}
interface CommentPayload {
  id: number;
  html_url: string;
  body?: string | null;
  user?: { login?: string; type?: string } | null;
}
interface ReviewPayload {
  id: number;
  html_url: string;
  body?: string | null;
  user?: { login?: string; type?: string } | null;
  commit_id?: string | null;
}

const asArray = <T>(data: unknown): T[] => (Array.isArray(data) ? (data as T[]) : []);

export function createGitHubWriter(options: GitHubWriterOptions): GitHubWriter {
  const { octokit, owner, repo, log, bot } = options;
  const target = { octokit, owner, repo, log };

  async function pullRequest(intent: PullRequestIntent): Promise<PullRequestResult> {
    // `head` filters by "owner:branch"; a fork's head already carries its owner.
    const head = intent.head.includes(":") ? intent.head : `${owner}:${intent.head}`;
    const branch = head.slice(head.indexOf(":") + 1);
    const { data } = await githubRequest<PullPayload[]>(octokit, "GET /repos/{owner}/{repo}/pulls", { owner, repo, head, state: "open", per_page: 100 });
    const open = asArray<PullPayload>(data).find((pr) => pr.head.ref === branch);
    const title = outgoingPlain(intent.title);
    const body = outgoingBody(intent.body);

    let pr: PullPayload;
    let action: PullRequestResult["action"];
    if (!open) {
      const created = await githubRequest<PullPayload>(octokit, "POST /repos/{owner}/{repo}/pulls", {
        owner,
        repo,
        head: intent.head,
        base: intent.base,
        title,
        body,
        draft: intent.draft ?? false,
      });
      pr = created.data;
      action = "created";
    } else if (open.title !== title || !sameText(open.body, body)) {
      const updated = await githubRequest<PullPayload>(octokit, "PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
        owner,
        repo,
        pull_number: open.number,
        title,
        body,
      });
      pr = updated.data;
      action = "updated";
    } else {
      pr = open;
      action = "unchanged";
    }

    // Only missing labels: adding is idempotent on GitHub's side too, but a request that changes nothing is still a write.
    const present = new Set((pr.labels ?? []).map((l) => l.name));
    const labelsAdded = (intent.labels ?? []).filter((l) => !present.has(l));
    if (labelsAdded.length) {
      await githubRequest(octokit, "POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { owner, repo, issue_number: pr.number, labels: labelsAdded });
    }
    log?.info({ owner, repo, pullNumber: pr.number, action, labelsAdded }, "pull request written");
    return { kind: "pull-request", number: pr.number, url: pr.html_url, created: action === "created", action, labelsAdded };
  }

  async function closePullRequest(intent: ClosePullRequestIntent): Promise<PullRequestResult> {
    const { data } = await githubRequest<PullPayload & { state: string }>(octokit, "GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: intent.pullNumber });
    const open = data.state === "open";
    if (open) await githubRequest(octokit, "PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: intent.pullNumber, state: "closed" });
    log?.info({ owner, repo, pullNumber: intent.pullNumber, action: open ? "closed" : "unchanged" }, "pull request closed");
    return { kind: "pull-request", number: data.number, url: data.html_url, created: false, action: open ? "closed" : "unchanged", labelsAdded: [] };
  }

  async function comment(intent: CommentIntent): Promise<CommentResult> {
    const body = bodyWithMarker(intent.body, intent.marker, BODY_LIMIT_BYTES);
    const existing = await findInPages<CommentPayload>(
      octokit,
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      { owner, repo, issue_number: intent.issueNumber },
      asArray,
      (c) => isBatonAuthored(c, intent.marker, bot),
    );
    let result: CommentResult;
    if (!existing) {
      const { data } = await githubRequest<CommentPayload>(octokit, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner,
        repo,
        issue_number: intent.issueNumber,
        body,
      });
      result = { kind: "comment", issueNumber: intent.issueNumber, id: data.id, url: data.html_url, action: "created" };
    } else if (intent.mode === "upsert" && !sameText(existing.body, body)) {
      const { data } = await githubRequest<CommentPayload>(octokit, "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner,
        repo,
        comment_id: existing.id,
        body,
      });
      result = { kind: "comment", issueNumber: intent.issueNumber, id: data.id, url: data.html_url, action: "updated" };
    } else {
      result = { kind: "comment", issueNumber: intent.issueNumber, id: existing.id, url: existing.html_url, action: "unchanged" };
    }
    log?.info({ owner, repo, issueNumber: intent.issueNumber, commentId: result.id, action: result.action }, "comment written");
    return result;
  }

  async function review(intent: ReviewIntent): Promise<ReviewResult> {
    const base = { kind: "review" as const, pullNumber: intent.pullNumber };
    const existing = await findInPages<ReviewPayload>(
      octokit,
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      { owner, repo, pull_number: intent.pullNumber },
      asArray,
      (r) => isBatonAuthored(r, intent.marker, bot),
    );
    if (existing) {
      log?.info({ owner, repo, pullNumber: intent.pullNumber, reviewId: existing.id }, "review already posted, skipped");
      return { ...base, id: existing.id, url: existing.html_url, action: "skipped", event: intent.event, inlineComments: 0, commentsMovedToBody: 0 };
    }

    const post = (body: string, event: ReviewIntent["event"], comments: InlineComment[]) =>
      githubRequest<ReviewPayload>(octokit, "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
        owner,
        repo,
        pull_number: intent.pullNumber,
        commit_id: intent.commitId,
        body: bodyWithMarker(body, intent.marker, BODY_LIMIT_BYTES),
        event,
        // One request: summary and inline comments arrive together, as one notification.
        comments: comments.map((c) => ({
          path: c.path,
          line: c.line,
          side: c.side,
          ...(c.startLine !== undefined ? { start_line: c.startLine, start_side: c.startSide ?? c.side } : {}),
          body: outgoingBody(c.body),
        })),
      });

    // A 422 means GitHub refused part of the review: a line outside the diff ("Line could
    // not be resolved", the diff moved since the step read it), or a verdict on the app's own
    // pull request ("Can not request changes on your own pull request"). GitHub does not say
    // which comment it refused, so the pull request's files are read again and only the
    // comments they cannot carry move into the body; should GitHub still refuse, all of them
    // do. Each retry drops what was refused, so the review is never lost; and each drops
    // something for good (the verdict, then the comments the diff cannot carry, then every
    // inline comment), so a 422 with nothing left to drop ends it: at most three retries.
    let event = intent.event;
    let comments = intent.comments;
    let body = intent.body;
    let sortedOut = false;
    for (;;) {
      try {
        const { data } = await post(body, event, comments);
        log?.info({ owner, repo, pullNumber: intent.pullNumber, reviewId: data.id, event, inline: comments.length }, "review posted");
        const moved = intent.comments.length - comments.length;
        return { ...base, id: data.id, url: data.html_url, action: "created", event, inlineComments: comments.length, commentsMovedToBody: moved };
      } catch (err) {
        if (!(err instanceof GitHubWriteError) || err.status !== 422) throw err;
        const githubMessage = err.details.githubMessage ?? "";
        if (event !== "COMMENT" && /own pull request/i.test(githubMessage)) {
          event = "COMMENT";
        } else if (comments.length > 0) {
          // The first time, only what the current diff cannot carry; when it carries them all
          // (GitHub refused for another reason), or on a second refusal, every comment.
          const refused = sortedOut ? [] : await refusedByCurrentDiff(target, intent.pullNumber, comments);
          sortedOut = true;
          comments = refused.length > 0 ? comments.filter((c) => !refused.includes(c)) : [];
          body = withUnplacedComments(intent.body, intent.comments.filter((c) => !comments.includes(c)));
        } else {
          throw err;
        }
        log?.info({ owner, repo, pullNumber: intent.pullNumber, githubMessage, event, inline: comments.length }, "review refused (422), retrying without what was refused");
      }
    }
  }

  /** This repository, or the fork the commit names (checked to be a fork of this one, and synced). */
  async function commitTarget(intent: CommitIntent) {
    if (!intent.repository || intent.repository.toLowerCase() === `${owner}/${repo}`.toLowerCase()) return target;
    return forkTarget(options.forks, intent.repository, { owner, repo }, log);
  }

  return {
    async apply(step: StepDeclaration, intents: Intent[]): Promise<WriteResult[]> {
      // Everything is checked before the first request: a refused intent means nothing is written.
      assertCapabilities(step, intents);
      const problems = intents.flatMap((i) => (i.kind === "commit" ? commitIntentProblems(i) : []));
      if (problems.length) throw new CapabilityError(step.id, problems);

      const results: WriteResult[] = [];
      for (const intent of intents) {
        try {
          switch (intent.kind) {
            case "commit":
              results.push(await writeCommit(await commitTarget(intent), intent));
              break;
            case "pull-request":
              results.push(await pullRequest(intent));
              break;
            case "close-pull-request":
              results.push(await closePullRequest(intent));
              break;
            case "comment":
              results.push(await comment(intent));
              break;
            case "review":
              results.push(await review(intent));
              break;
          }
        } catch (err) {
          // What was done stays done; a retry finds it and moves on to the rest.
          if (err instanceof GitHubWriteError) err.completed = [...results];
          throw err;
        }
      }
      return results;
    },
  };
}

/** The comments that the pull request's diff, as GitHub has it now, cannot carry. */
async function refusedByCurrentDiff(target: { octokit: OctokitLike; owner: string; repo: string }, pullNumber: number, comments: InlineComment[]): Promise<InlineComment[]> {
  const files: GitHubPullFile[] = [];
  for (let page = 1; page <= 30; page++) {
    const { data } = await githubRequest<GitHubPullFile[]>(target.octokit, "GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { owner: target.owner, repo: target.repo, pull_number: pullNumber, per_page: 100, page });
    const batch = asArray<GitHubPullFile>(data);
    files.push(...batch);
    if (batch.length < 100) break;
  }
  return refusedComments(comments, files);
}

/** The review body with the inline comments GitHub refused, so none of them is lost. */
export function withUnplacedComments(body: string, comments: InlineComment[]): string {
  const items = comments.map((c) => {
    // A comment's own hidden markers belong to its thread, not to the review body.
    const text = splitHeader(c.body).rest.trim().replace(/\n/g, "\n  ");
    return `- ${inlineCode(c.path)} ${c.startLine !== undefined ? `lines ${c.startLine}–${c.line}` : `line ${c.line}`}:\n  ${text}`;
  });
  return `${body.trimEnd()}\n\n### Comments that could not be placed inline\n\n${items.join("\n")}`;
}

/**
 * Baton's own comment or review: written by Baton's own account, with the
 * marker in its header (the first lines, where Baton puts it). A person, a
 * bot or another app pasting the marker cannot make Baton adopt (and trust)
 * it, and neither can text quoted further down in one of Baton's own comments.
 */
export function isBatonAuthored(item: { body?: string | null; user?: { login?: string | null } | null }, marker: string, bot: BotIdentity): boolean {
  return writtenBy(bot, item) && headerMarkers(item.body).includes(marker);
}
