import type { Log, Result } from "sarif";
import type { StepOutcome } from "../steps/step-types.js";

type Finding = NonNullable<StepOutcome["findings"]>[number];

export const SEVERITY_ORDER = ["low", "medium", "high", "critical"] as const;
export type FailOn = (typeof SEVERITY_ORDER)[number] | "none";

/** Exit code for CI: 1 when a finding is at or above `failOn`. */
export function reviewExitCode(findings: Finding[], failOn: FailOn): number {
  if (failOn === "none") return 0;
  const threshold = SEVERITY_ORDER.indexOf(failOn);
  return findings.some((f) => SEVERITY_ORDER.indexOf(f.severity) >= threshold) ? 1 : 0;
}

const SARIF_LEVEL: Record<Finding["severity"], Result.level> = { critical: "error", high: "error", medium: "warning", low: "note" };

/** SARIF 2.1.0, for code-scanning upload and other CI tools. Rules are the findings' sources (spec, ADR, pitfall). */
export function reviewToSarif(findings: Finding[], opts: { version: string; model: string }): Log {
  const ruleIds = [...new Set(findings.map((f) => ruleId(f)))].sort();
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Baton",
            version: opts.version,
            informationUri: "https://github.com/baton-dev/baton",
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: describeRule(id) } })),
          },
        },
        properties: { model: opts.model },
        results: findings.map((f) => ({
          ruleId: ruleId(f),
          level: SARIF_LEVEL[f.severity],
          message: { text: `${f.title}\n\n${f.body}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: f.path }, region: { startLine: Math.max(1, f.line) } } }],
          properties: { severity: f.severity, source: f.source },
        })),
      },
    ],
  };
}

function ruleId(f: Finding): string {
  const s = f.source.trim().toLowerCase();
  if (s.startsWith("adr")) return `baton/adr/${s.replace(/^adr[:\s-]*/, "") || "unknown"}`;
  if (s.startsWith("pitfall")) return "baton/pitfall";
  if (s === "spec") return "baton/spec";
  return "baton/general";
}

function describeRule(id: string): string {
  if (id.startsWith("baton/adr/")) return `Conformance to ADR ${id.slice("baton/adr/".length)}`;
  if (id === "baton/pitfall") return "A known pitfall of the module";
  if (id === "baton/spec") return "Compliance with the spec";
  return "General review finding";
}

/**
 * The review as a person reads it in a terminal: the summary, then every
 * finding with its place, its source and its explanation (the summary
 * comment on GitHub has the explanations on the inline comments instead).
 */
export function reviewToMarkdown(report: string, findings: Finding[]): string {
  if (findings.length === 0) return report;
  const details = findings.map((f) => [`### ${f.severity}: ${f.title}`, "", `\`${f.path}:${Math.max(1, f.line)}\` (${f.source})`, "", f.body.trim()].join("\n"));
  return [report.trimEnd(), "", "## Findings explained", "", details.join("\n\n")].join("\n");
}
