import type { CommentRecord, FakeGitHubServer, PullRecord } from "./fake-github-server.js";

/**
 * What a person does on the fake GitHub, and the webhook payload GitHub
 * would send for it: a label added, a comment posted, a pull request opened
 * (by the app).
 */

type Payload = Record<string, unknown>;

function common(github: FakeGitHubServer): Payload {
  return { repository: github.repositoryPayload(), organization: github.userPayload(github.owner, "Organization"), installation: github.installationPayload() };
}

/** octocat labels an issue: `issues.labeled`. */
export function labelEvent(github: FakeGitHubServer, number: number, label: string): Payload {
  github.labelIssue(number, label);
  const issue = github.issues.get(number)!;
  return { action: "labeled", issue: github.issuePayload(issue), label: github.labelPayload(label), ...common(github), sender: github.userPayload("octocat", "User") };
}

/** `login` comments: `issue_comment.created`, and the comment. */
export function commentEvent(github: FakeGitHubServer, number: number, body: string, login: string): { payload: Payload; comment: CommentRecord } {
  const comment = github.addComment(number, body, { login, type: "User" });
  const issue = github.issues.get(number)!;
  return { comment, payload: { action: "created", issue: github.issuePayload(issue), comment: github.commentPayload(comment), ...common(github), sender: github.userPayload(login, "User") } };
}

/** `pull_request.opened` for a pull request the app opened. */
export function pullOpenedEvent(github: FakeGitHubServer, p: PullRecord): Payload {
  return { action: "opened", number: p.number, pull_request: github.pullPayload(p), ...common(github), sender: github.userPayload(github.bot.login, "Bot") };
}
