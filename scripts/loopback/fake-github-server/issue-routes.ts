import type { FakeGitHubState } from "./github-state.js";
import { now } from "./github-state.js";
import { HttpError, notFound, page, unprocessable, type Handlers, type Json } from "./http-route.js";

/** Issues, their comments (the app may only edit its own, at most 65536 bytes) and labels. */

const missingBody = () => unprocessable("Validation Failed", [{ resource: "IssueComment", code: "missing_field", field: "body" }]);

export function issueRoutes(gh: FakeGitHubState): Handlers {
  return {
    getIssue: (_ctx, [n]) => [200, gh.issuePayload(gh.issueOr404(Number(n)))],

    listComments(ctx, [n]) {
      gh.issueOr404(Number(n));
      return [200, page(ctx, gh.commentsOn(Number(n)), (c) => gh.commentPayload(c))];
    },

    createComment({ body }, [n]) {
      gh.issueOr404(Number(n));
      if (typeof body.body !== "string" || !body.body) throw missingBody();
      if (Buffer.byteLength(body.body) > 65536) throw unprocessable("Validation Failed", [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }]);
      return [201, gh.commentPayload(gh.addComment(Number(n), body.body, gh.bot))];
    },

    updateComment({ body }, [id]) {
      const c = gh.comments.find((x) => x.id === Number(id));
      if (!c) throw notFound();
      if (c.user.login !== gh.bot.login) throw new HttpError(403, { message: "Resource not accessible by integration", status: "403" });
      if (typeof body.body !== "string" || !body.body) throw missingBody();
      c.body = body.body;
      c.updatedAt = now();
      return [200, gh.commentPayload(c)];
    },

    addLabels({ body }, [n]) {
      const issue = gh.issueOr404(Number(n));
      const labels = Array.isArray(body.labels) ? body.labels.map((l) => (typeof l === "string" ? l : String((l as Json).name))) : [];
      for (const l of labels) if (!issue.labels.includes(l)) issue.labels.push(l);
      issue.updatedAt = now();
      return [200, issue.labels.map((l) => gh.labelPayload(l))];
    },
  };
}
