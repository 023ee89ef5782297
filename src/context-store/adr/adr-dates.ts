/**
 * Dates as people type them in ADR headers. Slash and dash dates are read
 * day-first (the ISO 8601 ADR in adr-tools exists because its default was
 * dd/mm/yyyy); month names in any usual order; the first date of a line wins;
 * month-only dates and placeholders give null rather than a guessed day.
 */

const MONTH_NAMES =
  "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

interface Candidate {
  index: number;
  year: number;
  month: number;
  day: number;
  /** Month/day swapped when day-first is impossible (`04/25/2020`). */
  alternative?: { month: number; day: number };
}

function monthNumber(name: string): number {
  return MONTHS[name.toLowerCase().slice(0, 3)] ?? 0;
}

function fullYear(text: string): number {
  const n = Number(text);
  if (text.length === 4) return n;
  return n >= 70 ? 1900 + n : 2000 + n;
}

function isValid(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const PATTERNS: { re: RegExp; read: (m: RegExpExecArray) => Omit<Candidate, "index"> }[] = [
  {
    // 2020-09-24, 2020/09/24, 2020.09.24, 2020-09-24T10:00
    re: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g,
    read: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }),
  },
  {
    // 20200924
    re: /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/g,
    read: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }),
  },
  {
    // 05/02/2018, 22-10-2024, 10/04/18: day first
    re: /(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)/g,
    read: (m) => ({
      year: fullYear(m[3] ?? ""),
      month: Number(m[2]),
      day: Number(m[1]),
      alternative: { month: Number(m[1]), day: Number(m[2]) },
    }),
  },
  {
    // 8 Jun 2024, 11-April-2023, 5th of September 2023
    re: new RegExp(
      `(?<![\\p{L}\\d])(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?[\\s\\-/.,]+(${MONTH_NAMES})(?!\\p{L})\\.?[\\s\\-/.,]+(\\d{4})(?!\\d)`,
      "giu",
    ),
    read: (m) => ({ year: Number(m[3]), month: monthNumber(m[2] ?? ""), day: Number(m[1]) }),
  },
  {
    // Sep 5th, 2023, May 24, 2026, December 11 2025
    re: new RegExp(
      `(?<!\\p{L})(${MONTH_NAMES})(?!\\p{L})\\.?[\\s\\-/.]+(\\d{1,2})(?:st|nd|rd|th)?(?!\\d),?[\\s\\-/.,]+(\\d{4})(?!\\d)`,
      "giu",
    ),
    read: (m) => ({ year: Number(m[3]), month: monthNumber(m[1] ?? ""), day: Number(m[2]) }),
  },
];

/** The first date written in `text` as `YYYY-MM-DD`, or null when there is none (placeholders, month-only dates). */
export function parseAdrDate(text: string): string | null {
  const candidates: Candidate[] = [];
  for (const { re, read } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      candidates.push({ index: m.index, ...read(m) });
    }
  }
  candidates.sort((a, b) => a.index - b.index);
  for (const c of candidates) {
    if (isValid(c.year, c.month, c.day)) return format(c.year, c.month, c.day);
    const alt = c.alternative;
    if (alt && isValid(c.year, alt.month, alt.day)) return format(c.year, alt.month, alt.day);
  }
  return null;
}

/** A YAML date value (string, Date, or a number such as 20200924) as `YYYY-MM-DD`, or null. */
export function dateFromValue(value: unknown): string | null {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  }
  if (typeof value === "string" || typeof value === "number") return parseAdrDate(String(value));
  return null;
}
