import { inlineCode, tableCell as fitTableCell } from "../../util/posted-text.js";
import { hiddenMarker } from "../../writer/intents.js";
import { neutraliseModelText } from "../../writer/neutralise-model-text.js";
import { SEVERITIES, SEVERITY_RANK, type AdrConformance, type Severity, type SpecRequirement } from "./review-schema.js";
import { renderReviewState, SUMMARY_MARKER, type FindingStatus, type ReviewState, type ReviewStateFinding, type SpecRow } from "./review-state.js";

/**
 * What Baton posts for a review: the review body, its inline comments and
 * the summary comment. Every string that came from the model (or from the
 * state, which holds model text) goes through `safeText`/`tableCell`/`code`
 * before it reaches GitHub.
 */

/**
 * GitHub rejects comment bodies over 65,536 characters, and the writer cuts
 * at as many UTF-8 bytes; stay clear of both, so the cut never falls on text
 * we chose to keep.
 */
export const MAX_COMMENT_BYTES = 60_000;

function fits(text: string): boolean {
  return Buffer.byteLength(text, "utf8") <= MAX_COMMENT_BYTES;
}

const BADGE: Record<Severity, string> = { critical: "🔴 Critical", high: "🟠 High", medium: "🟡 Medium", low: "🔵 Low" };

export function severityBadge(severity: Severity): string {
  return BADGE[severity];
}

/**
 * Model text made safe for GitHub: no HTML comments (so no forged
 * `<!-- baton:` markers), no pings. A stray `<!-` left at the end is
 * escaped too, so concatenation with the next piece cannot open a comment.
 */
export function safeText(text: string): string {
  return neutraliseModelText(text).replace(/<!-/g, "&lt;!-");
}

/** Model text for a Markdown table cell: neutralised, one cell (pipes escaped, line breaks as `<br>`). */
export function tableCell(text: string): string {
  return fitTableCell(safeText(text));
}

/** A path or identifier as inline code, shown as it is (backticks included): see `inlineCode`. */
export function code(text: string): string {
  return inlineCode(text.trim() || "?");
}

/** "adr:12" → "ADR 12", "pitfall:x" → "pitfall: x". */
export function describeSource(source: string): string {
  const s = source.trim();
  const adr = /^adr[:\s-]*0*(\d+)$/i.exec(s);
  if (adr) return `ADR ${adr[1]}`;
  const pitfall = /^pitfall\s*:\s*(.+)$/i.exec(s);
  if (pitfall) return `pitfall: ${pitfall[1]}`;
  return s;
}

function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

function indent(text: string, by = "  "): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");
}

/** A finding as rendered: from this run (with body and source) or from an earlier push (state only). */
export interface RenderedFinding {
  id?: string;
  severity: Severity;
  path: string;
  startLine?: number;
  line?: number;
  title: string;
  body?: string;
  source?: string;
  /** Reported in this review. */
  isNew: boolean;
  /** Commit of the review that first reported it (earlier pushes). */
  sha?: string;
  /** Open unless a push fixed it or a maintainer dismissed it. */
  status?: FindingStatus;
  closedSha?: string;
  closedBy?: string;
}

/** A finding from an earlier push, as the review state remembers it (no body or source). */
export function renderedFromState(f: ReviewStateFinding): RenderedFinding {
  return {
    id: f.id,
    severity: f.severity,
    path: f.path,
    title: f.title,
    isNew: false,
    status: f.status,
    ...(f.line !== undefined ? { line: f.line } : {}),
    ...(f.startLine !== undefined ? { startLine: f.startLine } : {}),
    ...(f.sha !== undefined ? { sha: f.sha } : {}),
    ...(f.closedSha !== undefined ? { closedSha: f.closedSha } : {}),
    ...(f.closedBy !== undefined ? { closedBy: f.closedBy } : {}),
  };
}

export function bySeverity<T extends { severity: Severity }>(findings: T[]): T[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

/** "3 findings (1 high, 2 medium)". */
export function countLabel(findings: { severity: Severity }[], noun = "finding"): string {
  const n = findings.length;
  const head = `${n} ${noun}${n === 1 ? "" : "s"}`;
  if (n === 0) return head;
  const parts = SEVERITIES.flatMap((s) => {
    const c = findings.filter((f) => f.severity === s).length;
    return c ? [`${c} ${s}`] : [];
  });
  return `${head} (${parts.join(", ")})`;
}

function location(f: { path: string; line?: number; startLine?: number }): string {
  const lines = f.line ? (f.startLine && f.startLine < f.line ? `:${f.startLine}-${f.line}` : `:${f.line}`) : "";
  return code(`${f.path}${lines}`);
}

/** A GitHub suggestion block: "Commit suggestion" replaces the commented lines with it. Null when it cannot be offered safely. */
export function suggestionBlock(suggestion: string | undefined): string | null {
  if (suggestion === undefined) return null;
  const text = suggestion.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  // Code is posted as is, so it could carry a hidden marker: such a suggestion is not offered.
  if (text.includes("<!--") || text.includes("-->")) return null;
  let fence = "```";
  while (text.includes(fence)) fence += "`";
  return `${fence}suggestion\n${text}\n${fence}`;
}

/** Found in a review thread's first comment, so a resolved thread dismisses its finding. */
export function findingMarker(id: string): string {
  return hiddenMarker("finding", id);
}

/** The body of one inline comment; the suggestion only when the comment covers exactly the finding's lines. */
export function renderInlineComment(
  f: { id?: string; severity: Severity; title: string; body: string; source: string; confidence?: number; suggestion?: string },
  opts: { exact?: boolean } = {},
): string {
  const suggestion = opts.exact ? suggestionBlock(f.suggestion) : null;
  const meta = [`Source: ${safeText(describeSource(f.source))}`, ...(f.id ? [`id ${code(f.id)}`] : []), ...(f.confidence !== undefined ? [`confidence ${f.confidence.toFixed(2)}`] : []), "Baton review"];
  // The marker first: Baton's markers live in a body's header only (outgoing-text.ts), where a resolved thread is read.
  const lines = [...(f.id ? [findingMarker(f.id)] : []), `${severityBadge(f.severity)} · **${safeText(f.title)}**`, "", safeText(f.body)];
  if (suggestion) lines.push("", suggestion);
  lines.push("", `<sub>${meta.join(" · ")}</sub>`);
  return lines.join("\n");
}

/** One finding as a list item; `withBody` in the review body (no inline comment carries it), not in the grouped summary. */
function listFinding(f: RenderedFinding, withBody: boolean): string {
  const source = f.source ? ` · ${safeText(describeSource(f.source))}` : "";
  const id = f.id ? ` · ${code(f.id)}` : "";
  const when = f.isNew ? (withBody ? "" : " · 🆕 new") : f.sha ? ` · _reported at ${code(shortSha(f.sha))}_` : " · _reported earlier_";
  const closed = f.status && f.status !== "open" ? ` · ${f.status}${f.closedBy ? ` by ${closedByText(f.closedBy)}` : ""}${f.closedSha ? ` at ${code(shortSha(f.closedSha))}` : ""}` : "";
  const badge = withBody ? `${severityBadge(f.severity)} ` : "";
  const head = `- ${badge}${location(f)} **${safeText(f.title).replace(/\n+/g, " ")}**${source}${id}${when}${closed}`;
  return withBody && f.body ? `${head}\n\n${indent(safeText(f.body))}\n` : head;
}

function closedByText(by: string): string {
  if (by === "push") return "a push (its code changed)";
  if (by === "model") return "a push (per the review)";
  if (by === "thread") return "a resolved thread";
  const login = by.replace(/^@/, "");
  // A GitHub login: shown as a code span, so nobody is pinged.
  return /^[A-Za-z0-9-]{1,39}$/.test(login) ? inlineCode(`@${login}`) : code(by);
}

export interface ReviewBodyArgs {
  headSha: string;
  /** The commit the incremental diff starts from; absent for a whole-PR review. */
  sinceSha?: string;
  newFindings: RenderedFinding[];
  /** Findings on lines GitHub cannot comment on (not in the diff). */
  unplaced: RenderedFinding[];
  /** Placeable findings left out of the inline comments by `review.maxInlineComments`. */
  overflow: RenderedFinding[];
  maxInline: number;
}

/** The review body: short; the details live in the inline comments and the summary comment. */
export function renderReviewBody(args: ReviewBodyArgs): string {
  const scope = args.sinceSha ? `changes since ${code(shortSha(args.sinceSha))}` : "the whole pull request";
  const lines = [hiddenMarker("review", args.headSha), `**Baton review** of ${code(shortSha(args.headSha))} (${scope}): ${countLabel(args.newFindings, "new finding")}.`];
  if (args.unplaced.length) {
    lines.push("", "**Not on a line of the diff**", "", ...bySeverity(args.unplaced).map((f) => listFinding(f, true)));
  }
  if (args.overflow.length) {
    lines.push("", `**More findings** (over the limit of ${args.maxInline} inline comments)`, "", ...bySeverity(args.overflow).map((f) => listFinding(f, true)));
  }
  lines.push("", "Spec and ADR compliance, and the context this review used, are in the Baton summary comment on this pull request.");
  return lines.join("\n");
}

const SPEC_STATUS: Record<SpecRequirement["status"], string> = { met: "✅ met", partial: "🟡 partial", missing: "❌ missing", "not-applicable": "➖ n/a" };
const ADR_STATUS: Record<AdrConformance["status"], string> = { conforms: "✅ conforms", deviates: "❌ deviates", "not-applicable": "➖ n/a" };

export interface SummaryArgs {
  headSha: string;
  sinceSha?: string;
  summary: string;
  /** The spec table over the whole PR (rows judged on earlier pushes carry their commit). */
  specCompliance: SpecRow[];
  adrConformance: AdrConformance[];
  /** All findings so far: this review's and earlier ones, each with its status. */
  findings: RenderedFinding[];
  manifestMarkdown?: string;
  state: ReviewState;
  /** Set when nothing was reviewed in this run (e.g. an empty incremental diff). */
  note?: string;
}

/** The summary comment: Baton's one standing comment on the PR, also the home of the review state. */
export function renderSummaryComment(args: SummaryArgs): string {
  const full = buildSummary(args, Number.MAX_SAFE_INTEGER, true);
  if (fits(full)) return full;
  // Too long for GitHub: the manifest (also on the check run) goes first, then the oldest-listed findings.
  for (const limit of [200, 100, 50, 20, 0]) {
    const shorter = buildSummary(args, limit, false);
    if (fits(shorter)) return shorter;
  }
  // Only a huge summary or tables get here; the state marker comes first, so the writer's cut keeps it.
  return buildSummary({ ...args, specCompliance: [], adrConformance: [] }, 0, false);
}

const FINDINGS_HEADING = "### Findings";
const CONTEXT_HEADING = "### Context used";

/** "2 open (1 new) · 1 resolved · 0 dismissed". */
export function statusLine(findings: RenderedFinding[]): string {
  const open = findings.filter((f) => (f.status ?? "open") === "open");
  const count = (status: FindingStatus) => findings.filter((f) => f.status === status).length;
  return `${countLabel(open, "open finding")}, ${open.filter((f) => f.isNew).length} new · ${count("resolved")} resolved · ${count("dismissed")} dismissed`;
}

/**
 * The findings section: open ones by severity (new ones marked), then the
 * resolved and dismissed ones. Exported so a dismissal can re-render this
 * section alone (see replaceFindingsSection).
 */
export function renderFindingsSection(findings: RenderedFinding[], limit = Number.MAX_SAFE_INTEGER): string[] {
  const lines = [FINDINGS_HEADING, "", `_${statusLine(findings)}_ · open findings count for \`review.failOn\`; dismiss one with \`/baton dismiss <id>\` or by resolving its thread.`, ""];
  const open = bySeverity(findings.filter((f) => (f.status ?? "open") === "open"));
  if (findings.length === 0) lines.push("_No findings._", "");
  for (const severity of SEVERITIES) {
    const group = open.filter((f) => f.severity === severity);
    if (!group.length) continue;
    const shown = group.slice(0, Math.max(0, limit));
    lines.push(`#### ${severityBadge(severity)} (${group.length})`, "", ...shown.map((f) => listFinding(f, false)));
    if (shown.length < group.length) lines.push(`- _…and ${group.length - shown.length} more_`);
    lines.push("");
  }
  for (const status of ["resolved", "dismissed"] as const) {
    const group = findings.filter((f) => f.status === status);
    if (!group.length) continue;
    const shown = group.slice(-Math.max(0, limit));
    lines.push(`<details><summary>${status === "resolved" ? "Resolved" : "Dismissed"} (${group.length})</summary>`, "", ...shown.map((f) => listFinding(f, false)));
    if (shown.length < group.length) lines.push(`- _…and ${group.length - shown.length} more_`);
    lines.push("", "</details>", "");
  }
  return lines;
}

/** The summary with its state and findings section replaced; null when the body is not a summary Baton can edit. */
export function replaceFindingsSection(body: string, state: ReviewState, findings: RenderedFinding[]): string | null {
  const start = body.indexOf(`\n${FINDINGS_HEADING}\n`);
  const end = body.indexOf(`\n${CONTEXT_HEADING}\n`);
  const marker = /<!-- baton:review-state [\s\S]*? -->/.exec(body);
  if (start < 0 || end < start || !marker) return null;
  const withSection = `${body.slice(0, start + 1)}${renderFindingsSection(findings).join("\n")}${body.slice(end)}`;
  return withSection.replace(marker[0], () => renderReviewState(state));
}

function buildSummary(args: SummaryArgs, findingLimit: number, withManifest: boolean): string {
  const scope = args.sinceSha ? `changes since ${code(shortSha(args.sinceSha))}` : "whole pull request";
  const lines: string[] = [
    SUMMARY_MARKER,
    // The state sits at the top: a reader takes the first state marker, before any rendered text.
    renderReviewState(args.state),
    "## Baton review",
    "",
    `Last reviewed ${code(shortSha(args.headSha))} (${scope}) · ${statusLine(args.findings)}`,
    "",
  ];
  if (args.note) lines.push(`> ${safeText(args.note)}`, "");
  if (args.summary.trim()) lines.push(safeText(args.summary), "");

  lines.push("### Spec compliance", "");
  if (args.specCompliance.length) {
    lines.push("_Over the whole pull request: each requirement as last judged._", "");
    lines.push("| # | requirement | status | evidence | judged at |", "|---:|---|---|---|---|");
    args.specCompliance.forEach((r, i) =>
      lines.push(`| ${i + 1} | ${tableCell(r.requirement)} | ${SPEC_STATUS[r.status]} | ${tableCell(r.evidence)} | ${r.sha ? code(shortSha(r.sha)) : ""} |`),
    );
  } else {
    lines.push("_No spec requirements were checked (no spec in the context, or nothing reviewed)._");
  }
  lines.push("", "### ADR conformance", "");
  if (args.adrConformance.length) {
    lines.push("| ADR | rule | status | note |", "|---|---|---|---|");
    for (const a of args.adrConformance) lines.push(`| ${tableCell(a.adr)} | ${tableCell(a.rule ?? "") || "_the decision_"} | ${ADR_STATUS[a.status]} | ${tableCell(a.note)} |`);
  } else {
    lines.push("_No ADR was checked (none linked or related to this change)._");
  }

  lines.push("", ...renderFindingsSection(args.findings, findingLimit));

  lines.push("### Context used", "");
  if (args.manifestMarkdown && withManifest) {
    // The manifest is rendered by Baton from pinned identities, but labels can carry issue titles: no comments, no pings.
    const manifest = safeText(args.manifestMarkdown);
    lines.push(manifest.startsWith("<details") ? manifest : `<details><summary>Context manifest</summary>\n\n${manifest}\n\n</details>`);
  } else if (args.manifestMarkdown) {
    lines.push("_The context manifest is too long for this comment: see the check run._");
  } else {
    lines.push("_No manifest was given._");
  }
  return lines.join("\n");
}
