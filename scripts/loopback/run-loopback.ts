import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { childProcessLauncher } from "./app-launcher.js";
import { formatReport, type LoopbackReport } from "./loopback-report.js";
import { LoopbackRun, StepFailure, type LoopbackOptions } from "./loopback-run.js";
import { commentCommands } from "./phases/comment-commands.js";
import { coverage } from "./phases/coverage.js";
import { crashMidJob, restart } from "./phases/crash-and-restart.js";
import { architectureReview, dev } from "./phases/labelled-steps.js";
import { redeliverSameProcess, redeliverWithNewIds } from "./phases/redelivery.js";
import { review } from "./phases/review.js";
import { setUp } from "./phases/setup.js";
import type { FixtureVariant } from "./repo-fixture.js";

/**
 * The loopback smoke test: the real Baton app as a process (`npm start`'s
 * command line), against a fake GitHub Enterprise API and a fake Anthropic
 * API on 127.0.0.1, driven by signed webhooks. It runs every step
 * (architecture review, dev, review, comment commands), then redelivers
 * every webhook (same delivery id) to the same process, then restarts the
 * app and delivers them all again, and checks that nothing was duplicated:
 * no second branch, commit, pull request, review, comment or check run.
 *
 * `npm run loopback` prints a step-by-step report and exits non-zero on any
 * failure. Everything is bounded: each wait polls every 100 ms for at most
 * 60 s, and the app's process group is killed on the way out, failure or not.
 *
 * This file runs the phases in order (phases/*.ts); loopback-run.ts holds
 * what they share, app-launcher.ts starts the app.
 */

export { childProcessLauncher, type AppLauncher, type RunningApp } from "./app-launcher.js";
export { formatReport, type Check, type LoopbackReport } from "./loopback-report.js";
export type { LoopbackOptions } from "./loopback-run.js";

export async function runLoopback(options: LoopbackOptions = {}): Promise<LoopbackReport> {
  const run = new LoopbackRun(options);
  const { github, claude } = run;
  let failed = false;
  try {
    const mainSha = await setUp(run);
    const adrPull = await architectureReview(run, mainSha);
    const devPull = await dev(run, mainSha);
    await review(run, devPull, adrPull);
    await commentCommands(run, devPull);
    await run.waitIdle(500);
    await redeliverSameProcess(run);
    await redeliverWithNewIds(run);
    await restart(run, await crashMidJob(run));
    coverage(run);
  } catch (err) {
    failed = true;
    const message = err instanceof Error ? err.message : String(err);
    if (!(err instanceof StepFailure)) run.log(`  !!    ${err instanceof Error ? (err.stack ?? message) : message}`);
    run.checks.push({ phase: run.phase, name: "run aborted", ok: false, detail: message });
    run.log(`  FAIL  run aborted — ${message}`);
  } finally {
    await run.app?.stop().catch(() => undefined);
    await github.stop().catch(() => undefined);
    await claude.stop().catch(() => undefined);
  }
  const { app, firstOutput, checks, notes } = run;
  const ok = !failed && checks.every((c) => c.ok);
  const appOutput = firstOutput && firstOutput !== app?.output() ? `${firstOutput}\n--- restart ---\n${app?.output() ?? ""}` : (app?.output() ?? "");
  return { ok, checks, notes, durationMs: Math.round(performance.now() - run.started), ...(ok ? {} : { appOutput }) };
}

async function main(): Promise<void> {
  const viaNpm = process.argv.includes("--npm") || process.env.LOOPBACK_VIA_NPM === "1";
  const hardStop = setTimeout(() => {
    process.stderr.write("loopback: hard time limit (180 s) reached, giving up\n");
    process.exit(2);
  }, 180_000);
  hardStop.unref();
  const inProcess = process.argv.includes("--in-process");
  const fixture: FixtureVariant = process.argv.includes("--minimal") ? "minimal" : "configured";
  const launcher = inProcess ? (await import("./in-process-app.js")).inProcessLauncher() : childProcessLauncher({ viaNpm });
  const report = await runLoopback({ launcher, fixture });
  process.stdout.write(`${formatReport(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`loopback: ${signal}, stopping\n`);
      process.exit(130);
    });
  }
  await main();
}
