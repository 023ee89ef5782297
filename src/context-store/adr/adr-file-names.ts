/**
 * What a file name in an ADR folder says: whether it is an ADR at all, and
 * which number it carries. The number comes from the file name only: headings
 * are edited by hand and drift (a copied `# 3.` in `0033-x.md`), names do not.
 */

const MARKDOWN_EXTENSION = /\.(md|markdown|mdx)$/i;

/** Files that live next to ADRs but are not decisions. Compared without extension, lower case. */
const NOT_ADRS = new Set([
  "readme",
  "index",
  "changelog",
  "contributing",
  "license",
  "licence",
  "summary",
  "toc",
  "table-of-contents",
  "sidebar",
  "glossary",
  "adr-log",
  "decision-log",
  "adr-index",
]);

/** Prefix words that mark a leading ID as an ADR ID (`ADR-7`, `ODH-ADR-DR-0001`, `decision-12`). */
const ADR_WORDS = new Set(["adr", "adrs", "ad", "madr", "dr", "decision", "decisions", "record"]);

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

function stripExtension(name: string): string {
  return name.replace(/\.[A-Za-z0-9]{1,10}$/, "");
}

/** `20200926`, `202009261530` or `2020-09-26` at the start: a log4brains-style date, not a number. */
function isDatePrefix(name: string): boolean {
  const compact = /^(\d{4})(\d{2})(\d{2})\d*(?!\d)/.exec(name);
  const dashed = /^(\d{4})[-_](\d{2})[-_](\d{2})(?!\d)/.exec(name);
  const m = compact ?? dashed;
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1970 && year <= 2199 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * The number in an ID such as a file name (`0001-x` → 1, `adr-001-x` → 1,
 * `ADR032-x` → 32, `ADR-7` → 7, `ODH-ADR-DR-0001-x` → 1), or null (a date
 * prefix, a slug without an ID).
 */
export function numberFromAdrId(id: string): number | null {
  const name = stripExtension(baseName(id.trim()));
  if (isDatePrefix(name)) return null;

  const plain = /^0*(\d{1,9})(?=$|[-_. ])/.exec(name);
  if (plain) return Number(plain[1]);

  // Letters before the number are an ID prefix only if one of them says "ADR"
  // or they are all upper case (`ODH-ADR-7`, `DEC-12`); otherwise they are a
  // slug that happens to contain a number (`use-java-17`).
  const prefixed = /^((?:[A-Za-z]+[-_ ]?){1,5}?)#?0*(\d{1,9})(?=$|[-_. ])/.exec(name);
  if (!prefixed) return null;
  const words = (prefixed[1] ?? "").split(/[-_ ]/).filter((w) => w !== "");
  const saysAdr = words.some((w) => ADR_WORDS.has(w.toLowerCase()));
  const allUpper = words.every((w) => /^[A-Z]{1,6}$/.test(w));
  return saysAdr || allUpper ? Number(prefixed[2]) : null;
}

export type AdrFileVerdict = { adr: true } | { adr: false; reason: string };

/**
 * Whether a file in an ADR folder is an ADR, and if not why (said on stderr
 * by the CLI). A numbered file is an ADR whatever words its slug holds
 * (`0012-template-engine.md`); README, index, templates and other companion
 * files are not.
 */
export function adrFileVerdict(name: string): AdrFileVerdict {
  const parts = name.split(/[\\/]/).filter((p) => p !== "");
  const file = parts.pop();
  if (!file || !MARKDOWN_EXTENSION.test(file)) return { adr: false, reason: "not a markdown file" };
  if (parts.some((dir) => dir.startsWith(".") || /^_?templates?$/i.test(dir))) return { adr: false, reason: "in a hidden or templates folder" };
  if (file.startsWith(".") || file.startsWith("_")) return { adr: false, reason: "a hidden or partial file (name starts with . or _)" };
  // `0000-index.md`, `000-readme.md`: number zero is where some folders keep their index.
  const stem = file.replace(MARKDOWN_EXTENSION, "").toLowerCase().replace(/^0+[-_.]/, "");
  if (NOT_ADRS.has(stem)) return { adr: false, reason: `a companion file (${stem}), not a decision` };
  if (stem.includes("template") && numberFromAdrId(file) === null) return { adr: false, reason: "an unnumbered template" };
  return { adr: true };
}

/** Which files in an ADR folder are ADRs: see `adrFileVerdict`. */
export function isAdrFileName(name: string): boolean {
  return adrFileVerdict(name).adr;
}
