import type { AdrStatus } from "../context-store/adr/adr-record.js";
import { normaliseSpecKey } from "../graph/resolve-context.js";
import { adrLinksFromText } from "../steps/pull-request-body.js";

/**
 * Traceability: from a spec to its ADRs (with their status and
 * supersession), to the pull requests that implement or cite them, to the
 * pitfalls learned from those, and the findings still open on them. Built
 * from what the repository and GitHub already hold: ADR front matter
 * (`spec`, `supersedes`), PR bodies and commit messages (`Baton-ADR`,
 * `Baton-Spec`, `Closes #N`, `ADR 12`), pitfall entries (`Learned in`),
 * and the review state in Baton's summary comments. Pure: sources in,
 * chain out.
 */

export type TraceQuery = { kind: "issue"; number: number } | { kind: "spec-file"; path: string } | { kind: "adr"; number: number };

export interface TraceAdr {
  number: number | null;
  title: string;
  status: AdrStatus;
  path: string;
  spec: string | null;
  supersedes: number[];
  supersededBy: number[];
}

export interface TraceFinding {
  id: string;
  title: string;
  severity: string;
  path: string;
}

/** A pull request (GitHub), or a commit (a local checkout, where pull requests are not known). */
export interface TraceChange {
  /** `#15`, or a short commit sha. */
  ref: string;
  number?: number;
  title: string;
  state: "open" | "merged" | "closed" | "commit";
  url?: string;
  /** Body or commit message: where its links are read from. */
  text: string;
  headRef?: string;
  /** Open findings of its latest review; undefined when unknown (locally). */
  openFindings?: TraceFinding[];
}

export interface TracePitfall {
  module: string;
  path: string;
  id: string;
  title: string;
  pr?: number;
}

export interface TraceSources {
  adrs: TraceAdr[];
  pitfalls: TracePitfall[];
  changes: TraceChange[];
  /** Issue specs pinned at acceptance: issue number → pinned file. */
  pinned: Map<number, string>;
  /** Titles of issues, where known (GitHub mode). */
  issueTitles?: Map<number, string>;
}

export type ChangeRole = "proposes the ADR" | "implements" | "cites";

export interface Trace {
  query: TraceQuery;
  spec: { key: string; label: string; pinned?: string } | null;
  adrs: TraceAdr[];
  changes: (TraceChange & { role: ChangeRole; adrs: number[] })[];
  pitfalls: TracePitfall[];
  /** Why the chain is short, when it is. */
  notes: string[];
}

/** `#12` and `issue 12` are issues; `12`, `ADR 12` and `ADR-0012` are ADRs; a path (a slash, or `.md`) is a spec file. */
export function parseTraceQuery(text: string): TraceQuery | null {
  const t = text.trim();
  const issue = /^(?:#|issue\s*#?)(\d{1,9})$/i.exec(t);
  if (issue) return { kind: "issue", number: Number(issue[1]) };
  const adr = /^(?:adr[\s-]*)?0*(\d{1,9})$/i.exec(t);
  if (adr) return { kind: "adr", number: Number(adr[1]) };
  if (/\.(md|markdown)$/i.test(t) || t.includes("/")) return { kind: "spec-file", path: t.replace(/^\.\//, "") };
  return null;
}

/** Supersession is followed both ways, this far, so a long history cannot make the walk unbounded. */
const MAX_ADRS = 50;

export function buildTrace(sources: TraceSources, query: TraceQuery): Trace {
  const notes: string[] = [];
  const byNumber = new Map(sources.adrs.filter((a) => a.number !== null).map((a) => [a.number!, a]));
  let specKey: string | null = query.kind === "issue" ? `#${query.number}` : query.kind === "spec-file" ? query.path : null;
  const seeds: TraceAdr[] = [];
  if (query.kind === "adr") {
    const adr = byNumber.get(query.number);
    if (adr) {
      seeds.push(adr);
      specKey = adr.spec ? normaliseSpecKey(adr.spec) : null;
    } else notes.push(`no ADR ${query.number} on the default branch`);
  }
  if (specKey) for (const a of sources.adrs) if (a.spec && normaliseSpecKey(a.spec) === specKey && !seeds.includes(a)) seeds.push(a);
  if (specKey && seeds.length === 0) notes.push(`no ADR names ${specKey} as its spec`);

  // The ADRs of the spec, and those they supersede or are superseded by.
  const adrs: TraceAdr[] = [];
  const queue = [...seeds];
  while (queue.length && adrs.length < MAX_ADRS) {
    const a = queue.shift()!;
    if (adrs.includes(a)) continue;
    adrs.push(a);
    for (const n of [...a.supersedes, ...a.supersededBy]) {
      const next = byNumber.get(n);
      if (next && !adrs.includes(next)) queue.push(next);
    }
  }
  const numbers = new Set(adrs.map((a) => a.number).filter((n): n is number => n !== null));

  const changes: Trace["changes"] = [];
  for (const c of sources.changes) {
    const links = adrLinksFromText(`${c.title}\n${c.text}`);
    const cited = [...new Set(links.flatMap((l) => (typeof l === "number" ? (numbers.has(l) ? [l] : []) : [...adrs.filter((a) => a.path === l || a.path.endsWith(`/${l}`)).map((a) => a.number ?? -1)])))].filter((n) => n >= 0);
    const specs = [...c.text.matchAll(/^Baton-Spec:\s*(\S+)\s*$/gim)].map((m) => normaliseSpecKey(m[1]!));
    const closes = [...c.text.matchAll(/\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+#(\d+)\b/gi)].map((m) => `#${m[1]}`);
    const forSpec = specKey !== null && (specs.includes(specKey) || closes.includes(specKey));
    if (cited.length === 0 && !forSpec) continue;
    const proposes = (c.headRef?.startsWith("baton/adr/") ?? false) || /^Baton-Step:\s*architecture-review@/im.test(c.text);
    const implementsIt = /^Baton-Step:\s*dev@/im.test(c.text) || closes.includes(specKey ?? "\u0000");
    changes.push({ ...c, role: proposes ? "proposes the ADR" : implementsIt ? "implements" : "cites", adrs: cited });
  }

  const prNumbers = new Set(changes.map((c) => c.number).filter((n): n is number => n !== undefined));
  const pitfalls = sources.pitfalls.filter((p) => p.pr !== undefined && prNumbers.has(p.pr));

  let spec: Trace["spec"] = null;
  if (specKey) {
    const issue = /^#(\d+)$/.exec(specKey);
    const title = issue ? sources.issueTitles?.get(Number(issue[1])) : undefined;
    const pinned = issue ? sources.pinned.get(Number(issue[1])) : undefined;
    spec = { key: specKey, label: issue ? `Issue ${specKey}${title ? `: ${title}` : ""}` : `Spec ${specKey}`, ...(pinned ? { pinned } : {}) };
  } else if (query.kind === "adr" && seeds.length) {
    notes.push(`ADR ${query.number} names no spec`);
  }
  return { query, spec, adrs, changes, pitfalls, notes };
}
