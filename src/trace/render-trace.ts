import { mermaidLabel } from "../context-store/adr/adr-index.js";
import { escapeMarkdownInline, inlineCode } from "../util/posted-text.js";
import type { Trace } from "./build-trace.js";

/**
 * A trace as Markdown: a Mermaid graph (spec → ADRs → pull requests →
 * pitfalls and open findings) and the same chain as a table, with links
 * where they are known. Every name that comes from the repository or from
 * people is escaped for where it lands (a Mermaid label, a table cell).
 */

export interface TraceLinks {
  /** A file on the default branch; null when no link can be made (locally). */
  file(path: string): string | null;
  issue(number: number): string | null;
}

/** At most this many findings per change are drawn (the table lists them all). */
const MAX_FINDINGS_DRAWN = 5;

export function renderTrace(trace: Trace, links: TraceLinks): string {
  const title = trace.spec ? trace.spec.label : trace.query.kind === "adr" ? `ADR ${trace.query.number}` : "";
  const lines = [`### Trace: ${escapeMarkdownInline(title)}`, ""];
  if (trace.adrs.length === 0 && trace.changes.length === 0) {
    lines.push("_Nothing found to trace._", ...trace.notes.map((n) => `- ${escapeMarkdownInline(n)}`));
    return lines.join("\n");
  }
  lines.push("```mermaid", ...graph(trace), "```", "", ...table(trace, links));
  if (trace.notes.length) lines.push("", ...trace.notes.map((n) => `- ${escapeMarkdownInline(n)}`));
  return lines.join("\n");
}

function adrId(a: { number: number | null; path: string }, i: number): string {
  return a.number === null ? `adr_${i}` : `adr${a.number}`;
}

function graph(trace: Trace): string[] {
  const out = ["graph LR"];
  const ids = new Map(trace.adrs.map((a, i) => [a, adrId(a, i)]));
  const byNumber = new Map(trace.adrs.filter((a) => a.number !== null).map((a) => [a.number!, a]));
  if (trace.spec) out.push(`  spec[${mermaidLabel(trace.spec.label)}]`);
  for (const a of trace.adrs) out.push(`  ${ids.get(a)}[${mermaidLabel(`${a.number === null ? a.path : `ADR ${a.number}`}: ${a.title} (${a.status})`)}]`);
  trace.changes.forEach((c, i) => out.push(`  c${i}[${mermaidLabel(`${c.ref}: ${c.title} (${c.state})`)}]`));
  trace.pitfalls.forEach((p, i) => out.push(`  p${i}[${mermaidLabel(`pitfall ${p.module}: ${p.title}`)}]`));
  let f = 0;
  const findingEdges: string[] = [];
  trace.changes.forEach((c, i) => {
    for (const finding of (c.openFindings ?? []).slice(0, MAX_FINDINGS_DRAWN)) {
      out.push(`  f${f}[${mermaidLabel(`${finding.severity}: ${finding.title}`)}]`);
      findingEdges.push(`  c${i} -.->|open finding| f${f++}`);
    }
  });
  if (trace.spec) for (const a of trace.adrs) if (a.spec) out.push(`  spec --> ${ids.get(a)}`);
  for (const a of trace.adrs) for (const n of a.supersedes) if (byNumber.has(n)) out.push(`  ${ids.get(a)} -->|supersedes| ${ids.get(byNumber.get(n)!)}`);
  trace.changes.forEach((c, i) => {
    for (const n of c.adrs) if (byNumber.has(n)) out.push(`  ${ids.get(byNumber.get(n)!)} -->|${c.role === "proposes the ADR" ? "proposed in" : c.role === "implements" ? "implemented in" : "cited by"}| c${i}`);
    if (c.adrs.length === 0 && trace.spec) out.push(`  spec -->|${c.role === "implements" ? "implemented in" : "cited by"}| c${i}`);
  });
  trace.pitfalls.forEach((p, i) => {
    const from = trace.changes.findIndex((c) => c.number === p.pr);
    if (from >= 0) out.push(`  c${from} -->|learned| p${i}`);
  });
  out.push(...findingEdges);
  const retired = trace.adrs.filter((a) => a.status === "superseded" || a.status === "rejected" || a.status === "deprecated").map((a) => ids.get(a));
  if (retired.length) out.push("  classDef retired fill:#eeeeee,stroke:#999999,color:#666666", `  class ${retired.join(",")} retired`);
  return out;
}

function linked(text: string, url: string | null | undefined): string {
  return url ? `[${escapeMarkdownInline(text)}](${url})` : escapeMarkdownInline(text);
}

function table(trace: Trace, links: TraceLinks): string[] {
  const rows = ["| | what | status |", "|---|---|---|"];
  if (trace.spec) {
    const issue = /^#(\d+)$/.exec(trace.spec.key);
    const where = issue ? links.issue(Number(issue[1])) : links.file(trace.spec.key);
    rows.push(`| spec | ${linked(trace.spec.label, where)} | ${trace.spec.pinned ? `pinned at acceptance in ${inlineCode(trace.spec.pinned)}` : issue ? "not pinned" : "committed file"} |`);
  }
  for (const a of trace.adrs) {
    const relations = [...a.supersedes.map((n) => `supersedes ADR ${n}`), ...a.supersededBy.map((n) => `superseded by ADR ${n}`)];
    rows.push(`| ${a.number === null ? "ADR" : `ADR ${a.number}`} | ${linked(a.title || a.path, links.file(a.path))} | ${escapeMarkdownInline([a.status, ...relations].join(", "))} |`);
  }
  for (const c of trace.changes) {
    const kind = c.state === "commit" ? "commit" : "pull request";
    const which = c.adrs.length ? ` ADR ${c.adrs.join(", ADR ")}` : trace.spec ? " the spec" : "";
    rows.push(`| ${kind} ${escapeMarkdownInline(c.ref)} | ${linked(c.title, c.url)} | ${c.state} · ${c.role}${which} |`);
  }
  for (const p of trace.pitfalls) rows.push(`| pitfall | ${linked(`${p.module}: ${p.title}`, links.file(p.path))} | learned in #${p.pr} (${inlineCode(p.id)}) |`);
  for (const c of trace.changes) {
    for (const f of c.openFindings ?? []) rows.push(`| finding ${inlineCode(f.id)} | ${escapeMarkdownInline(`${f.severity}: ${f.title}`)} (${inlineCode(f.path)}) | open on ${escapeMarkdownInline(c.ref)} |`);
  }
  if (trace.changes.some((c) => c.openFindings === undefined && c.state !== "commit")) rows.push("", "_Findings of some pull requests could not be read._");
  return rows;
}
