import { appErrors } from "../app-log-errors.js";
import type { LoopbackRun } from "../loopback-run.js";

/** Step 9: every request understood by the fakes, no server error in them, no error in the app's log. */
export function coverage(run: LoopbackRun): void {
  const { github, claude } = run;
  run.phase = "coverage";
  run.log(`[${run.secs()}] step 9: ${run.phase}`);
  run.check("every request the app made was understood by the fake GitHub", github.unmatched.length === 0, github.unmatched.join("; ") || `${github.requests.length} requests, ${github.tokensIssued} installation tokens`);
  run.check("no request was refused by the fake Anthropic", claude.rejected.length === 0, claude.rejected.join("; ") || `${claude.calls.length} model calls`);
  run.check("no server error in the fakes", github.serverErrors.length === 0, github.serverErrors.join("; "));
  const errors = appErrors(`${run.firstOutput}\n${run.app?.output() ?? ""}`);
  run.check("the app logged no error", errors.length === 0, errors.slice(0, 5).join(" | "));
}
