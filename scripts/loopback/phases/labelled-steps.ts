import { DEV_FILE_CONTENT, DEV_FILE_PATH } from "../../../test/support/fake-anthropic/fake-anthropic-server.js";
import type { CheckRunRecord, PullRecord } from "../fake-github-server.js";
import { checkRun, checkRunRedone, commentWith, completed, pullByHead } from "../github-queries.js";
import type { Delivery, LoopbackRun } from "../loopback-run.js";
import { ISSUE_ARCHITECTURE, ISSUE_DEV } from "../repo-fixture.js";
import { labelEvent } from "../webhook-events.js";

/** Steps 1 and 2: an issue labelled for the architecture review, then one labelled for dev. */

interface LabelledStep {
  issue: number;
  label: string;
  /** The step's check run. */
  checkRunName: string;
  /** Its issue comment's marker. */
  commentMarker: string;
  /** Its pull request's head branch prefix. */
  branchPrefix: string;
  /** "ADR", "dev". */
  pullKind: string;
}

/** Labels the issue, waits for the step's check run and comment, and checks the run succeeded with one pull request. */
async function labelledStep(run: LoopbackRun, mainSha: string, step: LabelledStep): Promise<{ delivery: Delivery; checkRun: CheckRunRecord; pull: PullRecord }> {
  const { github } = run;
  const delivery = run.delivery(`issues.labeled ${step.label}`, "issues", labelEvent(github, step.issue, step.label));
  await run.send(delivery);
  const done = await run.waitFor(`the ${step.checkRunName.replace(/^Baton: /, "")} check run to complete`, () => completed(checkRun(github, step.checkRunName, mainSha)));
  await run.waitFor(`the ${step.pullKind} comment on the issue`, () => commentWith(github, step.issue, step.commentMarker));
  run.check("check run completed with success", done.conclusion === "success", `${done.conclusion}: ${done.output?.title ?? ""}`);
  const pulls = pullByHead(github, step.branchPrefix);
  run.must(`one ${step.pullKind} pull request`, pulls.length === 1, pulls.map((p) => `#${p.number} ${p.headRef}`).join(", "));
  return { delivery, checkRun: done, pull: pulls[0]! };
}

/** Step 1: issue #1 labelled needs-architecture. Returns the ADR pull request. */
export async function architectureReview(run: LoopbackRun, mainSha: string): Promise<PullRecord> {
  const { github, claude } = run;
  run.phase = "architecture review";
  run.log(`[${run.secs()}] step 1: ${run.phase} (issue #${ISSUE_ARCHITECTURE.number} labelled needs-architecture)`);
  const n = ISSUE_ARCHITECTURE.number;
  const step = { issue: n, label: "needs-architecture", checkRunName: "Baton: architecture-review", commentMarker: `baton:adr-proposed issue-${n}`, branchPrefix: `baton/adr/${n}-`, pullKind: "ADR" };
  const { delivery, checkRun: done, pull } = await labelledStep(run, mainSha, step);
  const files = github.filesAt(github.pullHeadSha(pull));
  const adrPath = Object.keys(files).find((p) => /^docs\/adr\/0002-.*\.md$/.test(p));
  run.check("ADR 0002 proposed on the branch, answering the issue", Boolean(adrPath && /status: proposed/.test(files[adrPath]!) && /spec: "#1"/.test(files[adrPath]!)), adrPath);
  run.check("ADR index regenerated", /0002/.test(files["docs/adr/README.md"] ?? ""), "docs/adr/README.md");
  const comment = commentWith(github, n, "baton:adr-proposed")!;
  run.check("issue comment links the pull request", comment.body.includes(`/pull/${pull.number}`), `comment ${comment.id}`);
  run.check("one model call (write_adr)", claude.count("write_adr") === 1, `${claude.count("write_adr")}`);
  run.redoneWhen.set(delivery.id, () => checkRunRedone(github, done.id));
  return pull;
}

/** Step 2: issue #2 labelled ready-for-dev (ADR 1 is accepted with spec "#2"). Returns the dev pull request. */
export async function dev(run: LoopbackRun, mainSha: string): Promise<PullRecord> {
  const { github, claude } = run;
  run.phase = "dev";
  run.log(`[${run.secs()}] step 2: ${run.phase} (issue #${ISSUE_DEV.number} labelled ready-for-dev; ADR 1 is accepted with spec "#2")`);
  const n = ISSUE_DEV.number;
  const step = { issue: n, label: "ready-for-dev", checkRunName: "Baton: dev", commentMarker: `baton:dev-result issue-${n}`, branchPrefix: `baton/dev/${n}-`, pullKind: "dev" };
  const { delivery, checkRun: done, pull } = await labelledStep(run, mainSha, step);
  const issue = github.issues.get(pull.number)!;
  run.check("pull request closes the issue and cites the ADR", issue.body.includes(`Closes #${n}`) && issue.body.includes("docs/adr/0001-"), issue.title);
  const files = github.filesAt(github.pullHeadSha(pull));
  run.check(`the branch has ${DEV_FILE_PATH} as the model wrote it`, files[DEV_FILE_PATH] === DEV_FILE_CONTENT);
  run.check("two model calls (write_file, then finish)", claude.count("dev") === 2, `${claude.count("dev")}`);
  run.redoneWhen.set(delivery.id, () => checkRunRedone(github, done.id));
  return pull;
}
