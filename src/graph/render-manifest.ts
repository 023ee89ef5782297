import { escapeMarkdownInline, escapeTableCell, inlineCode, tableCell } from "../util/posted-text.js";
import type { Manifest } from "./manifest.js";

/** The manifest as JSON: stable key order, for machines and for hidden markers. */
export function manifestToJson(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2);
}

/**
 * Labels, identities and reasons carry repository text (file names, ADR
 * titles, module names, issue titles): escaped for their table cell, so a
 * file named `x<!-- baton:… -->.png` or `@org/team.md` shows as its name
 * and does nothing else.
 */
const cell = escapeTableCell;
const codeCell = (text: string): string => tableCell(inlineCode(text));

/** Rows shown per table; the rest are summed up by input kind, so a manifest fits in a GitHub comment. */
export const MAX_MANIFEST_ROWS = 40;

function remainder<T extends { selector: string; tokens: number }>(rows: T[], shown: number): string | null {
  const rest = rows.slice(shown);
  if (rest.length === 0) return null;
  const bySelector = new Map<string, { count: number; tokens: number }>();
  for (const r of rest) {
    const s = bySelector.get(r.selector) ?? { count: 0, tokens: 0 };
    s.count++;
    s.tokens += r.tokens;
    bySelector.set(r.selector, s);
  }
  const parts = [...bySelector.entries()].map(([sel, s]) => `${sel} ×${s.count} (${s.tokens} tokens)`);
  return `| … and ${rest.length} more: ${escapeTableCell(parts.join(", "))} | | | see the JSON manifest |`;
}

/**
 * The manifest as Markdown for a PR comment, check run or terminal: what the
 * step saw, pinned, with token counts, and what it did not see and why.
 */
export function manifestToMarkdown(manifest: Manifest, opts: { heading?: string; collapsible?: boolean; maxRows?: number } = {}): string {
  const maxRows = opts.maxRows ?? MAX_MANIFEST_ROWS;
  const heading = opts.heading ?? escapeMarkdownInline(`Context manifest: ${manifest.step.id} v${manifest.step.version}`);
  const lines: string[] = [];
  lines.push(`**Model:** ${inlineCode(manifest.model)} · **Commit:** ${inlineCode(manifest.commit.slice(0, 12))} · **Tokens:** ${manifest.usedTokens.toLocaleString("en-US")} of ${manifest.budget.toLocaleString("en-US")}`);
  lines.push("");
  if (manifest.inputs.length) {
    lines.push("| input | identity | tokens | note |", "|---|---|---:|---|");
    for (const i of manifest.inputs.slice(0, maxRows)) {
      const note = [...(i.truncated ? [i.truncated.reason] : []), ...(i.details ?? [])].join("; ");
      lines.push(`| ${cell(i.selector)} — ${cell(i.label)} | ${codeCell(i.identity)} | ${i.tokens} | ${cell(note)} |`);
    }
    const more = remainder(manifest.inputs, maxRows);
    if (more) lines.push(more);
  } else {
    lines.push("_No inputs._");
  }
  if (manifest.omitted.length) {
    lines.push("", "**Left out**", "", "| input | identity | tokens | reason |", "|---|---|---:|---|");
    for (const o of manifest.omitted.slice(0, maxRows)) {
      lines.push(`| ${cell(o.selector)} — ${cell(o.label)} | ${codeCell(o.identity)} | ${o.tokens} | ${cell(o.reason)} |`);
    }
    const more = remainder(manifest.omitted, maxRows);
    if (more) lines.push(more);
  }
  if (manifest.notes.length) {
    lines.push("", "**Notes**", "", ...manifest.notes.map((n) => `- ${escapeMarkdownInline(n)}`));
  }
  const body = lines.join("\n");
  if (opts.collapsible) return `<details><summary>${heading}</summary>\n\n${body}\n\n</details>`;
  return `### ${heading}\n\n${body}`;
}
