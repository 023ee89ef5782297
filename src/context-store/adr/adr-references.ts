/**
 * Supersession as written: "Superseded by [DNS](0015-dns.md)", "supersedes
 * ADR-0045", a `| Supersedes | 0003 |` row. Works on flattened text (see
 * adr-markdown.ts), where a link is a token carrying its target's ADR number.
 *
 * Only explicit references count: a link to an ADR file, an `ADR-n` ID, or (in
 * a status line or metadata value, where nothing else is expected) a bare
 * number. "Amends", "in favour of", slugs and URLs are not supersession.
 */

import { numberFromAdrId } from "./adr-file-names.js";

export interface Relations {
  supersedes: number[];
  supersededBy: number[];
}

const RELATION =
  /\b(?:(?<by>(?:superseded|superceded|superseeded|supersceded|replaced|obsoleted)(?:\s+(?:in\s+part|partly|partially|fully|entirely))?\s+by)|(?<active>supersedes|supersede|supercedes|supercede|superseeds|replaces|obsoletes))\b/giu;

const TOKEN = /^\uE000([^\uE001]*)\uE001[^\uE002]*\uE002/;
const ADR_ID = /^(?:[A-Za-z]+[-_])*ADRs?(?:[-_][A-Za-z]+)*[-_ ]?#?\s?0*(\d{1,9})(?!\w|[./-]\d)/i;
/** A bare number, not part of a version, a date or a word; with its slug when written as a file name (`0005-foo.md`). */
const BARE = /^#?0*(\d{1,9})(?:[-_][A-Za-z][\w-]*(?:\.md)?)?(?!\w|[.,:/-]\d)/;
/** A bare number that still looks like an ADR ID outside metadata: zero-padded (`0003`, `#0033`, `0003-x.md`). */
const PADDED = /^#?0+(\d{1,9})(?:[-_][A-Za-z][\w-]*(?:\.md)?)?(?!\w|[.,:/-]\d)/;
/** Words and punctuation allowed between a relation and its first reference ("superseded by: the ADR #12"). */
const FILLER = /^(?:[\s:*_"'“”‘’([\-–—]+|(?:the|an?|adrs?|decisions?|records?|number|no\.|nr\.?)(?=[\s#:]))*/i;
const SEPARATOR = /^[\s\])*_"'”’]*(?:,\s*and\b|,|&|\/|\+|\band\b|\bor\b)\s*/i;

function pushUnique(list: number[], n: number): void {
  if (!list.includes(n)) list.push(n);
}

/** One reference at the start of `rest`: its ADR number (or null for a link that is not to an ADR) and its length. */
function readReference(rest: string, allowBare: boolean, afterAdrWord: boolean): { n: number | null; length: number } | null {
  const token = TOKEN.exec(rest);
  if (token) {
    const target = token[1] ?? "";
    return { n: target.startsWith("#") ? Number(target.slice(1)) : null, length: token[0].length };
  }
  const id = ADR_ID.exec(rest);
  if (id) return { n: Number(id[1]), length: id[0].length };
  const bare = (allowBare || afterAdrWord ? BARE : PADDED).exec(rest);
  if (bare) return { n: Number(bare[1]), length: bare[0].length };
  return null;
}

/** The references listed right after a relation word: "by [A](0002-a.md) and ADR-3". */
function referenceList(text: string, from: number, allowBare: boolean): number[] {
  const out: number[] = [];
  let i = from;
  // "supersedes ADRs 3 and 4": once the list has said "ADR", its plain numbers are ADR numbers.
  let afterAdrWord = false;
  for (;;) {
    const filler = FILLER.exec(text.slice(i))?.[0] ?? "";
    afterAdrWord ||= /\badrs?\b/i.test(filler);
    const ref = readReference(text.slice(i + filler.length), allowBare, afterAdrWord);
    if (!ref) break;
    if (ref.n !== null) pushUnique(out, ref.n);
    i += filler.length + ref.length;
    const sep = SEPARATOR.exec(text.slice(i));
    if (!sep) break;
    i += sep[0].length;
  }
  return out;
}

/**
 * Supersession sentences in flattened text. `allowBare` lets a plain number
 * count ("Superseded by 12"), for status lines and metadata values only.
 */
export function relationsInText(flat: string, allowBare: boolean): Relations {
  const result: Relations = { supersedes: [], supersededBy: [] };
  const text = liftRelationsOutOfLinks(flat);
  RELATION.lastIndex = 0;
  for (let m = RELATION.exec(text); m !== null; m = RELATION.exec(text)) {
    const by = m.groups?.["by"] !== undefined;
    // The words around a relation are all that matter; bounding them keeps odd input linear.
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 80);
    const before = text.slice(Math.max(0, m.index - 200), m.index);
    const refs = referenceList(text, m.index + m[0].length, allowBare);
    if (refs.length > 0) {
      for (const n of refs) pushUnique(by ? result.supersededBy : result.supersedes, n);
      continue;
    }
    if (by && SELF.test(after)) {
      // "ADR-0002 is superseded by this decision": this one supersedes 2.
      const n = referenceBefore(before.replace(PASSIVE_TAIL, ""));
      if (n !== null) pushUnique(result.supersedes, n);
      continue;
    }
    if (!by) {
      // "[ADR-0045](…), which this decision supersedes"
      const tail = WHICH_THIS.exec(before);
      const n = tail ? referenceBefore(before.slice(0, tail.index)) : null;
      if (n !== null) pushUnique(result.supersedes, n);
    }
  }
  return result;
}

/** "this ADR", "the present decision": the document itself. */
const SELF = /^\s*(?:this|the\s+(?:present|current|new))\s+(?:adr|decision|record|document|one)\b(?![-_ ]?#?\d)/i;
const PASSIVE_TAIL = /\s*(?:(?:is|was|are|were|has\s+been|have\s+been|will\s+be|gets|got)\s+)?(?:now\s+)?(?:(?:in\s+part|partly|partially|fully|entirely)\s+)?$/i;
const WHICH_THIS = /\s*,?\s*(?:which|that)\s+(?:this|the\s+(?:present|current|new))\s+(?:adr|decision|record|document)\s+(?:now\s+|also\s+)?$/i;
const REFERENCE_AT_END =
  /(?:\uE000([^\uE001]*)\uE001[^\uE002]*\uE002|(?<![\w./-])(?:[A-Za-z]+[-_])*ADRs?(?:[-_][A-Za-z]+)*[-_ ]?#?\s?0*(\d{1,9}))[\s*_"'”’)]*$/i;

/** The single reference that ends `text`, or null. */
function referenceBefore(text: string): number | null {
  const m = REFERENCE_AT_END.exec(text);
  if (!m) return null;
  if (m[1] !== undefined) return m[1].startsWith("#") ? Number(m[1].slice(1)) : null;
  return m[2] !== undefined ? Number(m[2]) : null;
}

/**
 * `[Superseded by](0012-x.md)`: the relation is the link's text and the
 * reference its target. Put the text in front of the link so it reads as
 * "Superseded by <link>".
 */
function liftRelationsOutOfLinks(flat: string): string {
  return flat.replace(/\uE000([^\uE001]*)\uE001([^\uE002]*)\uE002/g, (token: string, target: string, text: string) => {
    RELATION.lastIndex = 0;
    return RELATION.test(text) ? `${text} \uE000${target}\uE001\uE002` : token;
  });
}

const ANY_REFERENCE =
  /\uE000([^\uE001]*)\uE001[^\uE002]*\uE002|(?<![\w./-])(?:[\w.-]+\/)*([\w%.-]+?)\.(?:md|markdown|html)\b|(?<![\w./-])(?:[A-Za-z]+[-_])*ADRs?(?:[-_][A-Za-z]+)*[-_ ]?#?\s?0*(\d{1,9})(?!\w|[./-]\d)|(?<![\w.\/#-])#?0*(\d{1,9})(?!\w|[.,:/-]\d)/gi;

/** Every ADR reference in a metadata value (`| Supersedes | ADR-3, [4](0004-x.md) |`); `N/A`, URLs and versions give none. */
export function referencesInValue(flat: string): number[] {
  const out: number[] = [];
  ANY_REFERENCE.lastIndex = 0;
  for (let m = ANY_REFERENCE.exec(flat); m !== null; m = ANY_REFERENCE.exec(flat)) {
    if (m[1] !== undefined) {
      if (m[1].startsWith("#")) pushUnique(out, Number(m[1].slice(1)));
    } else if (m[2] !== undefined) {
      // A file name or path (`docs/adr/0006-x.md`): its ADR number, if the name carries one.
      const n = numberFromAdrId(m[2]);
      if (n !== null) pushUnique(out, n);
    } else {
      const n = m[3] ?? m[4];
      if (n !== undefined) pushUnique(out, Number(n));
    }
  }
  return out;
}

/** Metadata keys that carry supersession, normalised (lower case, single spaces, no punctuation). */
export function relationOfKey(key: string): keyof Relations | null {
  const k = key.toLowerCase().replace(/[-_]+/g, " ").replace(/\s+/g, " ").trim();
  if (/^(?:superseded|superceded|superseeded|replaced|obsoleted) ?by$/.test(k) || k === "supersededby") return "supersededBy";
  if (/^(?:supersedes|supercedes|supersede|replaces|obsoletes)$/.test(k)) return "supersedes";
  return null;
}

export function mergeRelations(into: Relations, from: Relations): void {
  for (const n of from.supersedes) pushUnique(into.supersedes, n);
  for (const n of from.supersededBy) pushUnique(into.supersededBy, n);
}
