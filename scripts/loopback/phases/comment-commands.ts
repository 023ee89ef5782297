import type { CommentRecord, PullRecord } from "../fake-github-server.js";
import { checkRun, checkRunRedone, commentsListedAgain, commentWith, pullByHead, reviewCompletions } from "../github-queries.js";
import type { LoopbackRun } from "../loopback-run.js";
import { ISSUE_ARCHITECTURE, ISSUE_DEV } from "../repo-fixture.js";
import { commentEvent } from "../webhook-events.js";

/** Step 4: /baton help, context, dev (by a non-collaborator), remember and review, each answered once. */
export async function commentCommands(run: LoopbackRun, devPull: PullRecord): Promise<void> {
  run.phase = "comment commands";
  run.log(`[${run.secs()}] step 4: ${run.phase}`);
  await repliedCommands(run);
  await remember(run, devPull);
  await reReview(run, devPull);
}

/** Commands answered with a reply comment and no model call. */
async function repliedCommands(run: LoopbackRun): Promise<void> {
  const { github, claude } = run;
  const commands: { label: string; number: number; body: string; login: string; expect: (c: CommentRecord) => [boolean, string] }[] = [
    { label: "/baton help on issue #1", number: ISSUE_ARCHITECTURE.number, body: "/baton help", login: "octocat", expect: (c) => [/\/baton remember/.test(c.body), "help table"] },
    { label: "/baton context on issue #2", number: ISSUE_DEV.number, body: "/baton context", login: "octocat", expect: (c) => [/Context the \*\*architecture-review\*\* step/.test(c.body), "manifest, no model call"] },
    {
      label: `/baton dev on issue #2 by a non-collaborator`,
      number: ISSUE_DEV.number,
      body: "/baton dev",
      login: "outsider",
      expect: (c) => [/reserved for people with write access/.test(c.body), "refused politely"],
    },
  ];
  for (const cmd of commands) {
    const { payload, comment } = commentEvent(github, cmd.number, cmd.body, cmd.login);
    const d = run.delivery(`issue_comment.created "${cmd.body}" on #${cmd.number}${cmd.login !== "octocat" ? ` by ${cmd.login}` : ""}`, "issue_comment", payload);
    const calls = claude.calls.length;
    await run.send(d);
    const reply = await run.waitFor(`the reply to ${cmd.label}`, () => commentWith(github, cmd.number, `baton:reply comment-${comment.id}`));
    const [ok, what] = cmd.expect(reply);
    run.check(`${cmd.label}: reply posted (${what})`, ok && claude.calls.length === calls, `comment ${reply.id}`);
    run.redoneWhen.set(d.id, () => commentsListedAgain(github, cmd.number));
  }
}

/** /baton remember on the open dev pull request: noted, to be proposed with what the pull request teaches when it is merged or closed. */
async function remember(run: LoopbackRun, devPull: PullRecord): Promise<void> {
  const { github } = run;
  const lesson = "/baton remember --module api Evict idle rate-limit buckets because an unbounded map grows forever";
  const { payload } = commentEvent(github, devPull.number, lesson, "octocat");
  const d = run.delivery(`issue_comment.created "/baton remember" on PR #${devPull.number}`, "issue_comment", payload);
  await run.send(d);
  const reply = await run.waitFor("the /baton remember reply", () => commentWith(github, devPull.number, "baton:remember"));
  await run.waitIdle(300);
  const pitfallPulls = pullByHead(github, "baton/pitfalls/");
  run.check(
    `/baton remember on PR #${devPull.number}: noted for the pull request's merge, no pitfall pull request yet`,
    pitfallPulls.length === 0 && reply.body.includes(`Pitfalls learned from #${devPull.number}`),
    pitfallPulls.map((p) => `#${p.number} ${p.headRef}`).join(", "),
  );
  run.redoneWhen.set(d.id, () => commentsListedAgain(github, devPull.number));
}

/** /baton review on the dev pull request: reviewed again, once. */
async function reReview(run: LoopbackRun, devPull: PullRecord): Promise<void> {
  const { github, claude } = run;
  const devHead = github.pullHeadSha(devPull);
  const { payload } = commentEvent(github, devPull.number, "/baton review", "octocat");
  const d = run.delivery(`issue_comment.created "/baton review" on PR #${devPull.number}`, "issue_comment", payload);
  const reviewCalls = claude.count("submit_review");
  const reviewsBefore = github.reviews.filter((r) => r.pullNumber === devPull.number).length;
  const completions = reviewCompletions(github, devHead);
  await run.send(d);
  // Either the review's own check run again (one check run per step and commit) or one of its own.
  await run.waitFor("the /baton review check run to complete", () => reviewCompletions(github, devHead) > completions);
  const forced = checkRun(github, "Baton: review", devHead)!;
  await run.waitIdle(300);
  const reviewsNow = github.reviews.filter((r) => r.pullNumber === devPull.number).length;
  const runsNow = github.checkRuns.filter((c) => c.name === "Baton: review" && c.headSha === devHead).length;
  // A person asking again may get a review of its own (keyed by the command), never more than one.
  run.check(
    `/baton review on PR #${devPull.number}: re-reviewed once`,
    claude.count("submit_review") === reviewCalls + 1 && reviewsNow - reviewsBefore <= 1 && runsNow <= 2,
    `${forced.conclusion}; reviews on the PR: ${reviewsBefore} → ${reviewsNow}; review check runs on the head: ${runsNow}`,
  );
  run.redoneWhen.set(d.id, () => checkRunRedone(github, forced.id));
}
