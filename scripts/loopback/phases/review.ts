import { DEV_FILE_PATH } from "../../../test/support/fake-anthropic/fake-anthropic-server.js";
import type { PullRecord } from "../fake-github-server.js";
import { checkRun, checkRunRedone, commentWith, completed } from "../github-queries.js";
import type { LoopbackRun } from "../loopback-run.js";
import { pullOpenedEvent } from "../webhook-events.js";

/** Step 3: pull_request.opened for the dev pull request, then for the ADR's (GitHub sends it for the app's own pull requests too). */
export async function review(run: LoopbackRun, devPull: PullRecord, adrPull: PullRecord): Promise<void> {
  const { github, claude } = run;
  run.phase = "review";
  run.log(`[${run.secs()}] step 3: ${run.phase} (pull_request.opened for the dev PR #${devPull.number})`);
  const devHead = github.pullHeadSha(devPull);
  // The configured fixture sets review.failOn: medium, and the fake's finding is medium.
  const expectedConclusion = run.fixture === "configured" ? "failure" : "success";
  const d = run.delivery(`pull_request.opened #${devPull.number}`, "pull_request", pullOpenedEvent(github, devPull));
  await run.send(d);
  const reviewRun = await run.waitFor("the review check run to complete", () => completed(checkRun(github, "Baton: review", devHead)));
  await run.waitFor("the review summary comment", () => commentWith(github, devPull.number, "baton:review-summary"));
  run.check("check run completed", reviewRun.conclusion === expectedConclusion, `${reviewRun.conclusion}: ${reviewRun.output?.title ?? ""}`);
  const reviews = github.reviews.filter((r) => r.pullNumber === devPull.number);
  run.must("one review on the pull request", reviews.length === 1, `${reviews.length}`);
  const inline = reviews[0]!.comments;
  run.check("the finding is an inline comment on a diff line", inline.length === 1 && inline[0]!.path === DEV_FILE_PATH, inline.map((c) => `${c.path}:${c.line}`).join(", "));
  run.check("one model call (submit_review)", claude.count("submit_review") === 1, `${claude.count("submit_review")}`);
  run.redoneWhen.set(d.id, () => checkRunRedone(github, reviewRun.id));

  const adrHead = github.pullHeadSha(adrPull);
  const adrReview = run.delivery(`pull_request.opened #${adrPull.number} (the ADR's)`, "pull_request", pullOpenedEvent(github, adrPull));
  await run.send(adrReview);
  const adrReviewRun = await run.waitFor("the ADR pull request's review check run to complete", () => completed(checkRun(github, "Baton: review", adrHead)));
  await run.waitFor("the ADR pull request's review", () => github.reviews.some((r) => r.pullNumber === adrPull.number));
  await run.waitIdle(300);
  const adrReviews = github.reviews.filter((r) => r.pullNumber === adrPull.number);
  run.check(
    `the ADR pull request #${adrPull.number} is reviewed too, once`,
    adrReviewRun.conclusion === expectedConclusion && adrReviews.length === 1,
    `${adrReviewRun.conclusion}: ${adrReviewRun.output?.title ?? ""}; inline ${adrReviews[0]?.comments.map((c) => `${c.path}:${c.line}`).join(", ") ?? "none"}`,
  );
  run.redoneWhen.set(adrReview.id, () => checkRunRedone(github, adrReviewRun.id));
}
