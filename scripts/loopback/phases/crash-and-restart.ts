import { compareCensus } from "../census-comparison.js";
import { commentWith, pullByHead } from "../github-queries.js";
import type { Delivery, LoopbackRun } from "../loopback-run.js";
import { commentEvent } from "../webhook-events.js";

/** Steps 7 and 8: the app killed in the middle of a job, then a new process that gets every webhook again. */

export interface InterruptedJob {
  issueNumber: number;
  /** The head branch prefix of its pull request. */
  branch: string;
  delivery: Delivery;
}

/** Step 7: /baton architect on a new issue; the app is killed (SIGKILL) once the branch is written. */
export async function crashMidJob(run: LoopbackRun): Promise<InterruptedJob> {
  const { github } = run;
  run.phase = "crash mid-job";
  run.log(`[${run.secs()}] step 7: ${run.phase}: /baton architect on a new issue, the app killed (SIGKILL) once the branch is written`);
  const issue = github.addIssue({ title: "Export widgets as CSV", body: "People need a CSV export of widgets from the web module.", user: "octocat" });
  const branch = `baton/adr/${issue.number}-`;
  const { payload } = commentEvent(github, issue.number, "/baton architect", "octocat");
  const delivery = run.delivery(`issue_comment.created "/baton architect" on #${issue.number}`, "issue_comment", payload);
  await run.send(delivery);
  await run.waitFor(`the branch ${branch}…`, () => Object.keys(github.census().branches).some((b) => b.startsWith(branch)));
  const prBeforeKill = pullByHead(github, branch).length > 0;
  const app = run.app!;
  run.appDown = true;
  await app.kill();
  // (In one process the job cannot die with the app: let it finish before the "restart".)
  await run.waitIdle(1000, app);
  run.check("app killed mid-job", true, `${app.exitedWith() ?? "killed"}; ${prBeforeKill ? "the pull request was already open (the kill landed late)" : "branch written, pull request not yet opened"}`);
  run.firstOutput = app.output();
  return { issueNumber: issue.number, branch, delivery };
}

/** Step 8: a new app process (no memory): the interrupted job finishes once; for every other webhook nothing is created. */
export async function restart(run: LoopbackRun, interrupted: InterruptedJob): Promise<void> {
  const { github, claude } = run;
  run.phase = "restart";
  run.log(`[${run.secs()}] step 8: ${run.phase}: a new app process (no memory), every webhook again`);
  await run.startApp("after restart");
  await finishInterrupted(run, interrupted);
  const before = github.census();
  const requestsBefore = github.requests.length;
  const callsBefore = claude.calls.length;
  for (const d of run.deliveries) {
    if (d === interrupted.delivery) continue;
    const since = github.requests.length;
    const sinceCalls = claude.calls.length;
    const t0 = performance.now();
    const done = run.redoneWhen.get(d.id)?.();
    await run.send(d);
    await run.waitRedone(d.label, done, since, t0, 400);
    const newRequests = github.requests.slice(since);
    const posts = newRequests.filter((r) => r.method === "POST" && !r.path.endsWith("/access_tokens") && r.path !== "/api/graphql");
    const patches = newRequests.filter((r) => r.method === "PATCH");
    run.check(`${d.label}: nothing created`, posts.length === 0, posts.map((r) => `POST ${r.path}`).join(", ") || `${newRequests.length} requests, ${patches.length} updates, ${claude.calls.length - sinceCalls} model calls`);
    if (patches.length) run.note(`${d.label}: updated in place: ${[...new Set(patches.map((r) => r.path.replace(`/repos/${github.owner}/${github.repo}`, "")))].join(", ")}`);
  }
  compareCensus(before, github.census(), (name, ok, detail) => run.check(name, ok, detail));
  run.note(`after the restart: ${github.requests.length - requestsBefore} GitHub requests, ${claude.calls.length - callsBefore} model calls (the queue's memory is per process; the repository is what makes the writes idempotent)`);
}

/** The interrupted delivery again: its check run, branch, pull request and comment, each once. */
async function finishInterrupted(run: LoopbackRun, { issueNumber, branch, delivery }: InterruptedJob): Promise<void> {
  const { github } = run;
  const since = github.requests.length;
  const runDone = () => {
    const found = github.checkRuns.find((c) => c.name === "Baton: architecture-review" && (c.externalId ?? "").includes(`"number":${issueNumber}`));
    return found && found.status === "completed" ? found : undefined;
  };
  await run.send(delivery);
  const done = await run.waitFor("the interrupted architecture review to complete", () => runDone() && commentWith(github, issueNumber, `baton:adr-proposed issue-${issueNumber}`) && runDone());
  await run.waitIdle(400);
  const runs = github.checkRuns.filter((c) => (c.externalId ?? "").includes(`"number":${issueNumber}`));
  const pulls = pullByHead(github, branch);
  const branches = Object.keys(github.census().branches).filter((b) => b.startsWith(branch));
  const comments = github.commentsOn(issueNumber).filter((c) => c.body.includes("baton:adr-proposed"));
  run.check(
    `${delivery.label}: finished after the crash, once`,
    done.conclusion === "success" && runs.length === 1 && pulls.length === 1 && branches.length === 1 && comments.length === 1,
    `check runs ${runs.length} (${done.conclusion}), branches ${branches.length}, pull requests ${pulls.length}, comments ${comments.length}; ${github.requests.length - since} requests`,
  );
}
