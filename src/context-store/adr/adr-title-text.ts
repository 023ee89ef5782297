/**
 * An ADR title as text, shared by both tiers of the reader: the number, ID
 * or document-type label that tools put in front of it removed, and a title
 * made from the file name when the ADR has none.
 */

/** Leading numbers and IDs, one of which is removed. Order matters: the most specific first. */
const PREFIXES: readonly RegExp[] = [
  // ADR001:, ADR-0001 -, [ADR-12], ODH-ADR-DR-0001:, ADR 7., Decision 12:
  /^\[?(?:[A-Za-z]+[-_])*(?:ADRs?|AD|DR|Decision)(?:[-_][A-Za-z]+)*[-_ ]?#?\d+[A-Za-z]?\]?(?:\s*[:.)|]\s*|\s+[-–—]\s+|\s+)/i,
  // DEC-012: , RFC-7: (an upper-case ID needs a colon to count as one)
  /^[A-Z][A-Z0-9]*(?:[-_][A-Za-z0-9]+)*[-_ ]?\d+\s*:\s+/,
  // 1. , 0009. , 23 , 1) , 12: , 3 - , #4
  /^#?\d+(?:[.:)]\s+|\s+)(?:[-–—:|]\s+)?/,
];

/**
 * A label naming the document type rather than the decision, as `ADR 7:`
 * does with a number: "Architecture Decision Record: Use ADRs", "ADR: Use
 * Kafka". Needs its colon, so "Decision records are kept in git" and
 * "ADR - Eval-Hub multi-tenancy" (a dash reads as part of the title) stay.
 */
const DOCUMENT_TYPE = /^(?:Architectur(?:e|al)\s+Decision(?:\s+Records?)?|Any\s+Decision\s+Records?|Decision\s+Records?|ADRs?|MADR|DR)\s*:\s*/i;

function unwrapBold(title: string): string {
  const m = /^(\*\*|__)(.+)\1$/s.exec(title);
  return m ? (m[2] ?? "").trim() : title;
}

/** A heading's text as a title: one ID prefix and a bold wrapper removed, whitespace collapsed. */
export function cleanTitle(raw: string): string {
  let title = raw.replace(/\s+/g, " ").replace(/\s*\{#[^}]*\}\s*$/, "").trim();
  title = unwrapBold(title);
  const typed = title.replace(DOCUMENT_TYPE, "");
  if (typed !== title && typed.trim() !== "") return unwrapBold(cleanTitle(typed));
  for (const prefix of PREFIXES) {
    const stripped = title.replace(prefix, "");
    if (stripped !== title) {
      if (stripped.trim() !== "") title = stripped.trim();
      break;
    }
  }
  return unwrapBold(title);
}

/** A readable title from a file name when the ADR has none: `0007-use-postgres.md` → "Use postgres". */
export function titleFromFileName(file: string): string {
  const base = (file.split(/[\\/]/).pop() ?? file).replace(/\.[A-Za-z0-9]+$/, "");
  const slug = base
    .replace(/^\d{8}[-_]?/, "")
    .replace(/^(?:[A-Za-z]+[-_])*?(?:adr[-_]?)?\d+[-_]?/i, "")
    .replace(/[-_]+/g, " ")
    .trim();
  const words = slug === "" ? base : slug;
  return words.charAt(0).toUpperCase() + words.slice(1);
}
