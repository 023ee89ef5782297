/** The loopback run's outcome: every check by phase, notes, and the summary printed at the end. */

export interface Check {
  phase: string;
  name: string;
  ok: boolean;
  detail?: string;
}

export interface LoopbackReport {
  ok: boolean;
  checks: Check[];
  /** Informational lines (updates made on redelivery, timings). */
  notes: string[];
  durationMs: number;
  /** The app's output, when something failed. */
  appOutput?: string;
}

export function formatReport(report: LoopbackReport): string {
  const lines: string[] = [];
  const phases = [...new Set(report.checks.map((c) => c.phase))];
  lines.push("", "Summary");
  for (const p of phases) {
    const cs = report.checks.filter((c) => c.phase === p);
    const bad = cs.filter((c) => !c.ok);
    lines.push(`  ${bad.length ? "FAIL" : "PASS"}  ${p}: ${cs.length - bad.length}/${cs.length}`);
    for (const c of bad) lines.push(`          - ${c.name}${c.detail ? ` — ${c.detail}` : ""}`);
  }
  lines.push("", `${report.ok ? "PASS" : "FAIL"}: ${report.checks.filter((c) => c.ok).length}/${report.checks.length} checks in ${(report.durationMs / 1000).toFixed(1)} s`);
  if (!report.ok && report.appOutput) {
    lines.push("", "Last lines the app printed:", ...report.appOutput.trim().split("\n").slice(-40).map((l) => `  | ${l.slice(0, 400)}`));
  }
  return lines.join("\n");
}
