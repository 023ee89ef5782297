import type { Log, Result } from "sarif";
import type { StepOutcome } from "../steps/step-types.js";
import { redactSecrets } from "../util/posted-text.js";
import { normalizeLineEndings, stripInvisible } from "../util/untrusted-text.js";

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

/**
 * Text that leaves Baton in SARIF: uploaded to code scanning, it is posted
 * like any comment, and shown as plain text. So, as everything Baton posts,
 * its secrets are redacted, and invisible and control characters go. SARIF
 * has markup of its own in plain text: `[text](n)` is a link to a related
 * location (SARIF 2.1.0 §3.11.6), so a literal bracket, and a backslash
 * before one, are backslash-escaped. Markdown escaping does not apply: no
 * `message.markdown` is written.
 */
function sarifText(text: string, env: NodeJS.ProcessEnv | undefined): string {
  return stripInvisible(normalizeLineEndings(redactSecrets(text, env ? { env } : {}))).replace(/\\(?=[[\]])|[[\]]/g, "\\$&");
}

/** A repository path as the URI reference SARIF wants: each segment percent-encoded (a space, `#`, `%`, `?`). */
function pathUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** SARIF 2.1.0, for code-scanning upload and other CI tools. Rules are the findings' sources (spec, ADR, pitfall). */
export function reviewToSarif(findings: Finding[], opts: { version: string; model: string; env?: NodeJS.ProcessEnv }): Log {
  const text = (value: string) => sarifText(value, opts.env);
  const ruleIds = [...new Set(findings.map((f) => ruleId(text(f.source))))].sort();
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
        properties: { model: text(opts.model) },
        results: findings.map((f) => ({
          ruleId: ruleId(text(f.source)),
          level: SARIF_LEVEL[f.severity],
          message: { text: text(`${f.title}\n\n${f.body}`) },
          locations: [{ physicalLocation: { artifactLocation: { uri: pathUri(f.path) }, region: { startLine: Math.max(1, f.line) } } }],
          properties: { severity: f.severity, source: text(f.source) },
        })),
      },
    ],
  };
}

/** The rule a finding breaks, from its source (redacted). The source is the model's words: an ADR's id keeps letters, digits, `.`, `_` and `-` only. */
function ruleId(source: string): string {
  const s = source.trim().toLowerCase();
  if (s.startsWith("adr")) return `baton/adr/${s.replace(/^adr[:\s-]*/, "").replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "unknown"}`;
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
