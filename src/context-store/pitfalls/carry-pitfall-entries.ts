import { addLearnedIn, matchLesson } from "./merge-pitfalls.js";
import { parsePitfalls, parseSource } from "./parse-pitfalls.js";
import { FIELD_LINE, fieldName, moduleFromPitfallPath, type PitfallEntry } from "./pitfall-entry.js";
import { appendPitfallText } from "./write-pitfalls.js";

/**
 * A learning pull request ("Pitfalls learned from #N", `/baton remember`)
 * appends entries at the end of pitfall files. When the default branch
 * changed the same files since the pull request branched (another learning
 * pull request merged), the two would conflict. This carries the pull
 * request's own changes onto the default branch's text:
 * - each entry the pull request added, appended after the default branch's
 *   entries, as the pull request wrote it;
 * - unless the default branch already holds the lesson (same stable id, or
 *   the same normalised text): dropped, with where it was learned;
 * - or nearly the same lesson: one more "Learned in" on that entry, the rule
 *   `planLearnedPitfalls` follows;
 * - each "Learned in" the pull request added to an existing entry, added to
 *   that entry on the default branch (once).
 * The default branch's text is kept byte for byte apart from those lines.
 * Pure: texts in, texts out (run in the bounded markdown worker).
 */

export interface PitfallFileSides {
  path: string;
  /** Where the pull request branched (the merge base); null when the file was not there. */
  base: string | null;
  /** On the pull request's branch. */
  head: string | null;
  /** On the default branch now; null when it has no such file. */
  main: string | null;
}

export interface CarriedEntry {
  id: string;
  title: string;
}

export interface CarriedPitfalls {
  path: string;
  /** The default branch's text with the pull request's changes carried over (null: no file, nothing to add). */
  content: string | null;
  /** Entries appended, as the pull request wrote them. */
  added: CarriedEntry[];
  /** Entries (or "Learned in" sources) that became one more "Learned in" on an entry of the default branch. */
  merged: (CarriedEntry & { into: CarriedEntry })[];
  /**
   * What the default branch already holds, left out: `learnedIn` is the pull
   * request the default branch's entry cites first; `gone` when the entry
   * the pull request added a source to is no longer on the default branch.
   */
  dropped: (CarriedEntry & { learnedIn: number | null; gone?: true })[];
}

export function carryPitfallEntries(files: readonly PitfallFileSides[]): CarriedPitfalls[] {
  return files.map(carryFile);
}

interface ReadFile {
  entries: PitfallEntry[];
  /** Each entry's markdown, from its heading to the next entry, trailing blank lines left out. */
  blocks: Map<PitfallEntry, string>;
}

function read(path: string, text: string | null): ReadFile {
  if (text === null || text.trim() === "") return { entries: [], blocks: new Map() };
  const entries = parsePitfalls(path, text).entries;
  // parsePitfalls numbers the lines of the text without BOM and with LF endings.
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  const blocks = new Map<PitfallEntry, string>();
  entries.forEach((e, i) => {
    const end = entries[i + 1]?.line ?? lines.length + 1;
    blocks.set(e, lines.slice(e.line - 1, end - 1).join("\n").replace(/\s+$/, ""));
  });
  return { entries, blocks };
}

/** One rendered source of a "Learned in" line: `[PR #7](url)` or `PR #7`, with its finding. */
const SOURCE_ITEM = /(?:\[(?:\\.|[^\]\\\n])*\]\((?:<[^>\n]*>|[^)\s]*)\)|PR #\d+)(?:, finding `[0-9a-f]{4,16}`)?/g;

function sourceItems(block: string): string[] {
  const out: string[] = [];
  for (const line of block.split("\n")) {
    const field = FIELD_LINE.exec(line);
    if (field?.[2] && fieldName(field[2]) === "source") out.push(...[...(field[3] ?? "").matchAll(SOURCE_ITEM)].map((m) => m[0]));
  }
  return out;
}

function carryFile(sides: PitfallFileSides): CarriedPitfalls {
  const { path } = sides;
  const module = moduleFromPitfallPath(path);
  const base = read(path, sides.base);
  const head = read(path, sides.head);
  const out: CarriedPitfalls = { path, content: sides.main, added: [], merged: [], dropped: [] };
  // The default branch's entries, read again only once the text changed.
  let known: { text: string | null; entries: PitfallEntry[] } | null = null;
  const onMain = (): PitfallEntry[] => {
    if (known?.text !== out.content) known = { text: out.content, entries: read(path, out.content).entries };
    return known.entries;
  };
  const seen = new Set<string>();

  for (const entry of head.entries) {
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    const self = { id: entry.id, title: entry.title };
    const before = base.entries.find((e) => e.id === entry.id);
    if (!before) {
      const match = matchLesson(onMain(), entry.id, entry.lesson);
      if (match && "same" in match) {
        out.dropped.push({ ...self, learnedIn: match.same.source.pr ?? null });
      } else if (match) {
        out.content = addLearnedIn(out.content ?? "", match.near, entry.source);
        out.merged.push({ ...self, into: { id: match.near.id, title: match.near.title } });
      } else {
        out.content = appendPitfallText(out.content, module, head.blocks.get(entry) ?? "");
        out.added.push(self);
      }
      continue;
    }
    // An entry the pull request found again: the places it was learned in that it added.
    const had = new Set(sourceItems(base.blocks.get(before) ?? ""));
    for (const item of sourceItems(head.blocks.get(entry) ?? "")) {
      if (had.has(item)) continue;
      had.add(item);
      const match = matchLesson(onMain(), entry.id, entry.lesson);
      if (!match || !("same" in match)) {
        out.dropped.push({ ...self, learnedIn: null, gone: true });
        continue;
      }
      const next = addLearnedIn(out.content ?? "", match.same, parseSource(item));
      if (next === out.content) out.dropped.push({ ...self, learnedIn: match.same.source.pr ?? null });
      else out.merged.push({ ...self, into: { id: match.same.id, title: match.same.title } });
      out.content = next;
    }
  }
  return out;
}
