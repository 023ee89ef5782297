import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessLauncher } from "../../scripts/loopback/in-process-app.js";
import { childProcessLauncher, formatReport, runLoopback } from "../../scripts/loopback/run-loopback.js";

/**
 * The loopback smoke test (scripts/loopback, docs/loopback.md) as a test:
 * the fake GitHub and Anthropic servers on 127.0.0.1, the app loaded in this
 * process behind Probot's node middleware, signed webhooks over HTTP, every
 * step, redelivery, a "restart", and no duplicates. The real child process
 * (`npm run loopback`) takes about 100 s, mostly the app's start-up and
 * Octokit's one-write-per-second throttling; set LOOPBACK_REAL_PROCESS=1 to
 * run that variant here too.
 */

describe("loopback: the app against fake GitHub and Anthropic servers over HTTP", () => {
  beforeAll(() => {
    // Only loopback: the fakes listen on 127.0.0.1; anything else still fails.
    nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
  });
  afterAll(() => {
    nock.disableNetConnect();
  });

  it("runs every step once, and a redelivery or a restart duplicates nothing", { timeout: 90_000 }, async () => {
    const lines: string[] = [];
    const report = await runLoopback({ launcher: inProcessLauncher(), log: (l) => lines.push(l), waitMs: 30_000 });
    if (!report.ok) console.error(`${lines.join("\n")}\n${formatReport(report)}`);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    const phases = new Set(report.checks.map((c) => c.phase));
    for (const p of ["architecture review", "dev", "review", "comment commands", "redelivery (same process)", "same events, new delivery ids", "restart", "coverage"]) expect(phases).toContain(p);
  });

  it("works the same in a repository without .github/baton.yml, pitfalls or ADR module guidance", { timeout: 90_000 }, async () => {
    const lines: string[] = [];
    const report = await runLoopback({ launcher: inProcessLauncher(), log: (l) => lines.push(l), waitMs: 30_000, fixture: "minimal" });
    if (!report.ok) console.error(`${lines.join("\n")}\n${formatReport(report)}`);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it.runIf(process.env.LOOPBACK_REAL_PROCESS === "1")("the same against the real process (npm start's command line)", { timeout: 200_000 }, async () => {
    const lines: string[] = [];
    const report = await runLoopback({ launcher: childProcessLauncher(), log: (l) => lines.push(l) });
    if (!report.ok) console.error(`${lines.join("\n")}\n${formatReport(report)}`);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
