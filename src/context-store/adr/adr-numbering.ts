/**
 * Numbers and file names for new ADRs. A new file follows the conventions the
 * folder already uses (prefix, digit width, separator, extension), so that a
 * team's own tooling (adr-tools, log4brains, ...) keeps sorting and finding it.
 */

/** Anything that carries an ADR number, or at least a file name to read one from. */
export interface NumberedAdr {
  file: string;
  number: number | null;
}

const DEFAULT_WIDTH = 4;
const MAX_SLUG_LENGTH = 50;

/**
 * One past the highest number in use (1 for an empty folder). Records whose
 * number is null fall back to the number in their file name, so a folder read
 * by a lenient reader still never gets a duplicate.
 */
export function nextAdrNumber(existing: readonly NumberedAdr[]): number {
  let max = 0;
  for (const adr of existing) {
    const n = adr.number ?? numberFromFileName(adr.file);
    if (n !== null && Number.isSafeInteger(n) && n > max) max = n;
  }
  return max + 1;
}

/** How a folder names its numbered files: `adr-001-x.md` is { prefix: "adr-", width: 3, separator: "-", extension: ".md" }. */
export interface AdrNamingStyle {
  prefix: string;
  width: number;
  separator: string;
  extension: string;
}

/**
 * Leading ID as the reader sees it: an optional letters prefix (`adr-`, `ADR`, `ODH-ADR-DR-`), digits, then a
 * separator or the end. Written without nested optional quantifiers so long names cannot backtrack badly.
 */
export const NUMBERED_FILE_NAME = /^((?:[A-Za-z]+[-_])*[A-Za-z]*)(\d+)(?:([-_.])(.*))?\.(md|markdown)$/;
const NUMBERED = NUMBERED_FILE_NAME;

/** `20200926-x` is a date (log4brains), not a number. */
function looksLikeDatePrefix(prefix: string, digits: string): boolean {
  if (prefix !== "" || digits.length !== 8) return false;
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  return year >= 1970 && year <= 2199 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** The parts of a numbered file name (any folder in front is ignored), or null for dates, README, ... */
function numberedParts(file: string): { prefix: string; digits: string; separator: string; extension: string } | null {
  const m = NUMBERED.exec(file.split("/").pop() ?? file);
  if (!m) return null;
  const prefix = m[1] ?? "";
  const digits = m[2] ?? "";
  if (looksLikeDatePrefix(prefix, digits)) return null;
  return { prefix, digits, separator: m[3] === "_" ? "_" : "-", extension: `.${m[5] ?? "md"}` };
}

/** The ADR number encoded in a file name (`0001-x.md` → 1, `adr-001-x.md` → 1), or null (dates, README, ...). */
export function numberFromFileName(file: string): number | null {
  const n = Number(numberedParts(file)?.digits);
  return Number.isSafeInteger(n) ? n : null;
}

/** The naming style most files in the folder share; 4-digit `NNNN-slug.md` when nothing is numbered. */
export function detectNamingStyle(existingFileNames: readonly string[]): AdrNamingStyle {
  const styles: AdrNamingStyle[] = [];
  for (const name of existingFileNames) {
    const parts = numberedParts(name);
    if (parts) styles.push({ prefix: parts.prefix, width: parts.digits.length, separator: parts.separator, extension: parts.extension });
  }
  if (styles.length === 0) return { prefix: "", width: DEFAULT_WIDTH, separator: "-", extension: ".md" };
  return {
    prefix: mostCommon(styles.map((s) => s.prefix)),
    width: Number(mostCommon(styles.map((s) => String(s.width)))),
    separator: mostCommon(styles.map((s) => s.separator)),
    extension: mostCommon(styles.map((s) => s.extension)),
  };
}

/** Most frequent value; ties go to the value sorted first so the answer does not depend on listing order. */
function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = "";
  let bestCount = -1;
  // Default sort order: UTF-16 code units, the same on every machine (no locale).
  for (const v of [...counts.keys()].sort()) {
    const c = counts.get(v) ?? 0;
    if (c > bestCount) [best, bestCount] = [v, c];
  }
  return best;
}

/** Letters that NFKD does not decompose into ASCII + combining marks. */
const TRANSLITERATIONS: Record<string, string> = {
  ß: "ss", æ: "ae", Æ: "ae", œ: "oe", Œ: "oe", ø: "o", Ø: "o", ł: "l", Ł: "l", đ: "d", Đ: "d",
  ð: "d", Ð: "d", þ: "th", Þ: "th", ı: "i", ħ: "h", Ħ: "h", ŋ: "n", Ŋ: "n",
  "&": " and ", "+": " plus ", "@": " at ",
};

/**
 * A file-name slug: lowercase ASCII letters, digits and hyphens, at most 50
 * characters, cut at a word boundary. Accents are folded (`é` → `e`); scripts
 * without an ASCII reading are dropped. Never empty: falls back to "decision".
 */
export function slugify(title: string, maxLength = MAX_SLUG_LENGTH, fallback = "decision"): string {
  let s = "";
  for (const ch of title.normalize("NFKD")) s += TRANSLITERATIONS[ch] ?? ch;
  s = s
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    // Runs are single hyphens by now: only one can lead or trail.
    .replace(/^-|-$/g, "");
  if (s.length > maxLength) {
    const cut = s.slice(0, maxLength + 1);
    const lastHyphen = cut.lastIndexOf("-");
    // Cut at the last whole word unless that leaves almost nothing. Neither cut ends in a hyphen: a
    // hyphen at the last kept place would be the last hyphen, and there are no runs of hyphens.
    s = lastHyphen >= maxLength / 2 ? cut.slice(0, lastHyphen) : s.slice(0, maxLength);
  }
  return s === "" ? fallback : s;
}

/**
 * `NNNN-slug.md` in the folder's own style. Never returns a name already in
 * `existingFileNames` (compared case-insensitively, for case-insensitive file
 * systems): a clash gets `-2`, `-3`, ... appended to the slug.
 */
export function adrFileName(number: number, title: string, existingFileNames: readonly string[]): string {
  const style = detectNamingStyle(existingFileNames);
  const n = Number.isSafeInteger(number) ? Math.max(number, 0) : 0;
  const id = `${style.prefix}${String(n).padStart(style.width, "0")}`;
  const slug = slugify(title);
  const taken = new Set(existingFileNames.map((f) => (f.split("/").pop() ?? f).toLowerCase()));
  let candidate = `${id}${style.separator}${slug}${style.extension}`;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
    candidate = `${id}${style.separator}${slug}-${i}${style.extension}`;
  }
  return candidate;
}
