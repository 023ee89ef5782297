import type { CheckRunRecord, FakeGitHubServer } from "./fake-github-server.js";
import type { Redone } from "./loopback-run.js";

/** What the loopback run looks for in the fake GitHub's state, and how it recognises a job that ran again. */

/** The latest check run of that name on that commit (its external id containing `externalIdHas`). */
export function checkRun(github: FakeGitHubServer, name: string, headSha: string, externalIdHas?: string): CheckRunRecord | undefined {
  return github.checkRuns.filter((c) => c.name === name && c.headSha === headSha && (!externalIdHas || (c.externalId ?? "").includes(externalIdHas))).pop();
}

export function completed(c: CheckRunRecord | undefined): CheckRunRecord | undefined {
  return c && c.status === "completed" ? c : undefined;
}

export function commentWith(github: FakeGitHubServer, issueNumber: number, marker: string) {
  return github.commentsOn(issueNumber).find((c) => c.body.includes(marker));
}

export function pullByHead(github: FakeGitHubServer, prefix: string) {
  return [...github.pulls.values()].filter((p) => p.headRef.startsWith(prefix));
}

/** How often review check runs on a commit were completed. */
export function reviewCompletions(github: FakeGitHubServer, headSha: string): number {
  return github.checkRuns.filter((c) => c.name === "Baton: review" && c.headSha === headSha).reduce((n, c) => n + c.history.filter((h) => h.startsWith("completed")).length, 0);
}

/**
 * The job ran again: its check run was completed again, or (a redelivery of an event the run
 * already finished for) the app looked the check run up, found its job marker and stopped there.
 */
export function checkRunRedone(github: FakeGitHubServer, id: number): Redone {
  const run = github.checkRuns.find((c) => c.id === id)!;
  const seen = run.history.length;
  // Without sight of the app's queue: when the job goes on, the run turns in_progress right after the lookup.
  const SETTLE_MS = 1500;
  const lookedUpAt = (since: number) => github.requests.slice(since).filter((r) => r.method === "GET" && r.path.endsWith(`/commits/${run.headSha}/check-runs`)).at(-1)?.at;
  return (since, _before, settled) => {
    if (run.history.length > seen) return run.status === "completed";
    const at = lookedUpAt(since);
    return at !== undefined && (settled || performance.now() - at > SETTLE_MS);
  };
}

/** A comment command ran again: the app listed the issue's comments (to find its reply). */
export function commentsListedAgain(github: FakeGitHubServer, issueNumber: number): Redone {
  const path = `/repos/${github.owner}/${github.repo}/issues/${issueNumber}/comments`;
  return (since) => github.requests.slice(since).some((r) => r.method === "GET" && r.path === path);
}
