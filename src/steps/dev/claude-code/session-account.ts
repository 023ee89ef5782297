import { inlineCode, redactSecrets, tableCell } from "../../../util/posted-text.js";
import type { RefusedPath } from "./dev-checkout.js";
import type { TestResult } from "./final-test-run.js";
import type { SessionResult } from "./run-claude-session.js";

/**
 * The session's account, for the pull request and the check run: turns,
 * tokens and cost; the files changed; every command with its exit code; the
 * final test result; and everything left out of the commit, with why. Paths,
 * commands and test output come from the repository or the model: they are
 * shown as code, and secrets are redacted.
 */
export interface SessionAccount {
  session: SessionResult;
  maxTurns: number;
  costCapUsd: number;
  committed: string[];
  /** Paths the final-diff check left out (a command wrote them, or they broke a rule). */
  leftOut: RefusedPath[];
  tests: TestResult;
}

/** Why the pull request must be a draft; empty when it can be reviewed as it is. */
export function draftReasons(a: SessionAccount): string[] {
  const reasons: string[] = [];
  if (!a.session.finished) reasons.push(`the session stopped early: ${a.session.stopReason}`);
  if (a.tests.status === "failed") reasons.push(`the tests fail on this commit (${inlineCode(a.tests.command)}: ${a.tests.why})`);
  if (a.tests.status === "not run") reasons.push(`no tests were run: ${a.tests.why}`);
  const refusedWrites = a.session.refused.filter((r) => r.tool !== "Bash").length + a.leftOut.length;
  if (refusedWrites) reasons.push(`Baton refused ${refusedWrites} ${refusedWrites === 1 ? "change" : "changes"} outside the dev step's boundary (listed below)`);
  return reasons;
}

const n = (v: number) => v.toLocaleString("en-US");

export function renderSessionAccount(a: SessionAccount): string {
  const { session: s, tests } = a;
  const u = s.usage;
  const lines = [
    "### Claude Code session",
    "",
    "| | |",
    "|---|---|",
    `| ended | ${tableCell(s.stopReason)} |`,
    `| turns | ${s.turns} of ${a.maxTurns} (dev.maxTurns) |`,
    `| tokens | ${n(u.inputTokens)} input, ${n(u.cacheReadTokens)} read from cache, ${n(u.cacheWriteTokens)} written to cache, ${n(u.outputTokens)} output |`,
    `| cost | $${s.costUsd.toFixed(4)} of a $${a.costCapUsd.toFixed(2)} cap |`,
    `| final tests | ${tableCell(testLine(tests))} |`,
    "",
    `**Files changed:** ${a.committed.length ? a.committed.map((p) => inlineCode(p)).join(", ") : "none"}`,
  ];
  if (s.commands.length) {
    lines.push("", "**Commands the session ran**", "", "| command | exit code |", "|---|---:|");
    for (const c of s.commands) lines.push(`| ${inlineCode(redactSecrets(c.command))} | ${c.refused ? `refused: ${tableCell(c.refused)}` : (c.exitCode ?? "unknown")} |`);
  } else lines.push("", "The session ran no command.");
  const refusedWrites = s.refused.filter((r) => r.tool !== "Bash");
  if (refusedWrites.length || a.leftOut.length) {
    lines.push("", "**Left out of the commit** (outside the dev step's boundary)", "", "| path | why |", "|---|---|");
    for (const r of refusedWrites) lines.push(`| ${inlineCode(r.target || "?")} | ${tableCell(`${r.tool} refused when the session asked: ${r.reason}`)} |`);
    for (const r of a.leftOut) lines.push(`| ${inlineCode(r.path)} | ${tableCell(`changed on disk, not committed: ${r.reason}`)} |`);
  }
  if (tests.status === "failed" && tests.tail.trim()) lines.push("", `<details><summary>Output of ${inlineCode(tests.command)} (last lines)</summary>`, "", fenced(redactSecrets(tests.tail)), "", "</details>");
  return lines.join("\n");
}

function testLine(t: TestResult): string {
  if (t.status === "passed") return `passed (${inlineCode(t.command)}, exit 0)`;
  if (t.status === "failed") return `failed (${inlineCode(t.command)}: ${t.why})`;
  return `not run: ${t.why}`;
}

/** A fenced block that the text cannot close: the fence is longer than any backtick run inside. */
function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text.replace(/\r\n?/g, "\n").trimEnd()}\n${fence}`;
}
