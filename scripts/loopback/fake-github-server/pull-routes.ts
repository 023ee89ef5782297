import { comparePayload, filePayload } from "../../../test/support/fake-github/pull-payloads.js";
import { reviewCommentProblem } from "../../../test/support/fake-github/unified-diff.js";
import type { FakeGitHubState } from "./github-state.js";
import { now } from "./github-state.js";
import { reviewCommitRefusal } from "../../../test/support/fake-github/commit-refusals.js";
import { notFound, page, refuse, unprocessable, type Handlers, type Json } from "./http-route.js";
import type { PullRecord, ReviewRecord } from "./records.js";

/**
 * Pull requests (one open per head and base, none without commits), their
 * files (computed from the trees), reviews (inline comments only where
 * GitHub places them, by the rule the nock fake applies too; no verdict on
 * one's own pull request) and comparisons by sha or ref.
 */

const invalid = (field: string) => unprocessable("Validation Failed", [{ resource: "PullRequest", field, code: "invalid" }]);
const custom = (message: string) => unprocessable("Validation Failed", [{ resource: "PullRequest", code: "custom", message }]);

export function pullRoutes(gh: FakeGitHubState): Handlers {
  /** A pull request's files as pulls/files lists them. */
  const pullFiles = (p: PullRecord): Json[] => gh.pullChanges(p).map((f) => filePayload(gh.site, f, gh.pullHeadSha(p)));

  return {
    listPulls(ctx) {
      const head = ctx.query.get("head");
      const base = ctx.query.get("base");
      const state = ctx.query.get("state") ?? "open";
      const open = [...gh.pulls.values()].filter((p) => (state === "open" || state === "all") && (!head || `${gh.owner}:${p.headRef}` === head) && (!base || p.baseRef === base));
      return [200, page(ctx, open, (p) => gh.pullPayload(p))];
    },

    createPull({ body }) {
      const head = String(body.head ?? "");
      const headRef = head.includes(":") ? head.slice(head.indexOf(":") + 1) : head;
      if (head.includes(":") && head.slice(0, head.indexOf(":")) !== gh.owner) throw invalid("head");
      const baseRef = String(body.base ?? "");
      const headSha = gh.branchSha(headRef);
      const baseSha = gh.branchSha(baseRef);
      if (!headSha) throw invalid("head");
      if (!baseSha) throw invalid("base");
      if (typeof body.title !== "string" || !body.title) throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "title", code: "missing_field" }]);
      if ([...gh.pulls.values()].some((p) => p.headRef === headRef && p.baseRef === baseRef)) throw custom(`A pull request already exists for ${gh.owner}:${headRef}.`);
      if (gh.git.isAncestor(headSha, baseSha)) throw custom(`No commits between ${baseRef} and ${headRef}`);
      const number = gh.nextIssueNumber();
      const at = now();
      gh.issues.set(number, { number, title: body.title, body: typeof body.body === "string" ? body.body : "", labels: [], user: gh.bot, createdAt: at, updatedAt: at, isPull: true });
      const record: PullRecord = { number, headRef, baseRef, draft: body.draft === true };
      gh.pulls.set(number, record);
      return [201, gh.pullPayload(record)];
    },

    getPull: (_ctx, [n]) => [200, gh.pullPayload(gh.pullOr404(Number(n)))],

    updatePull({ body }, [n]) {
      const p = gh.pullOr404(Number(n));
      const issue = gh.issues.get(p.number)!;
      if (typeof body.title === "string") issue.title = body.title;
      if (typeof body.body === "string") issue.body = body.body;
      issue.updatedAt = now();
      return [200, gh.pullPayload(p)];
    },

    listPullFiles: (ctx, [n]) => [200, page(ctx, pullFiles(gh.pullOr404(Number(n))), (f) => f)],

    listReviews(ctx, [n]) {
      const p = gh.pullOr404(Number(n));
      return [200, page(ctx, gh.reviews.filter((r) => r.pullNumber === p.number), (r) => gh.reviewPayload(r))];
    },

    /**
     * As GitHub does: an inline comment GitHub cannot place (a line outside the diff, a multi-line
     * comment across hunks or sides, or ending before it starts) fails the whole review with 422,
     * and so does a verdict on one's own PR.
     */
    createReview({ body }, [n]) {
      const p = gh.pullOr404(Number(n));
      const issue = gh.issues.get(p.number)!;
      const commitId = typeof body.commit_id === "string" ? body.commit_id : gh.pullHeadSha(p);
      refuse(reviewCommitRefusal(gh.git, commitId));
      const event = typeof body.event === "string" ? body.event : "PENDING";
      if ((event === "REQUEST_CHANGES" || event === "APPROVE") && issue.user.login === gh.bot.login) {
        throw unprocessable("Unprocessable Entity", [`Can not ${event === "APPROVE" ? "approve" : "request changes on"} your own pull request`]);
      }
      const files = gh.pullChanges(p);
      const comments: ReviewRecord["comments"] = [];
      for (const c of Array.isArray(body.comments) ? (body.comments as Json[]) : []) {
        const line = Number(c.line ?? c.position);
        const side = typeof c.side === "string" ? c.side : "RIGHT";
        const range = typeof c.start_line === "number" ? { start_line: c.start_line, start_side: typeof c.start_side === "string" ? c.start_side : side } : {};
        const problem = reviewCommentProblem(files.find((f) => f.filename === c.path)?.patch, { line, side, ...range });
        if (problem) throw unprocessable("Unprocessable Entity", [problem]);
        comments.push({ id: gh.nextObjectId(), path: String(c.path), line, side, ...range, body: String(c.body ?? "") });
      }
      if (event === "COMMENT" && !body.body && comments.length === 0) throw unprocessable("Unprocessable Entity", ["Review body is required for a COMMENT event"]);
      const state = event === "APPROVE" ? "APPROVED" : event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : event === "COMMENT" ? "COMMENTED" : "PENDING";
      const r: ReviewRecord = { id: gh.nextObjectId(), pullNumber: p.number, commitId, body: String(body.body ?? ""), state, user: gh.bot, submittedAt: now(), comments };
      gh.reviews.push(r);
      return [200, gh.reviewPayload(r)];
    },

    compare(ctx, [baseRef, headRef]) {
      const base = gh.git.resolve(baseRef);
      const head = gh.git.resolve(headRef);
      if (!base || !head) throw notFound();
      const mergeBase = gh.git.mergeBase(base, head);
      if (!mergeBase) throw notFound();
      const ahead = gh.git.commitsAhead(mergeBase, head);
      const behindBy = gh.git.commitsAhead(mergeBase, base).length;
      const status = base === head ? "identical" : behindBy === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
      const files = gh.git.changedFiles(mergeBase, head).map((f) => filePayload(gh.site, f, head));
      return [
        200,
        comparePayload(gh.site, baseRef, headRef, {
          status,
          aheadBy: ahead.length,
          behindBy,
          baseCommit: gh.commitPayload(gh.commits.get(base)!),
          mergeBaseCommit: gh.commitPayload(gh.commits.get(mergeBase)!),
          commits: ahead.map((s) => ({ sha: s, commit: { message: gh.commits.get(s)!.message } })),
          files: page(ctx, files, (f) => f) as Json[],
        }),
      ];
    },
  };
}
