import { detectNamingStyle, numberFromFileName } from "./adr-numbering.js";
import type { AdrMetadata } from "./adr-record.js";
import { FRONT_MATTER } from "./supersede-adr.js";
import type { FileChange } from "../../writer/intents.js";

/**
 * Numbers that never collide. Two ADR pull requests opened from the same
 * default branch can both propose ADR 2; when one lands, the other's number
 * is taken. Renumbering moves the open pull request's ADR to the next free
 * number: its file name, its own number heading (`# 2. Title`), every link
 * to it from the files the pull request changes (a superseded ADR's
 * `superseded-by`, a pinned spec's `adr:`), so that it reads back the same,
 * one number on. Pure: plain texts in, plain texts out.
 */

export interface PullRequestFile {
  path: string;
  /** The file at the pull request's head; null when the pull request deletes it. */
  text: string | null;
  /** The pull request adds this file (it is not on its base). */
  added: boolean;
}

export interface Renumbering {
  from: string;
  to: string;
  fromNumber: number;
  toNumber: number;
}

export interface RenumberPlan {
  renames: Renumbering[];
  /** Every file of the pull request after renumbering (renamed ones under their new path); deletions as null. */
  files: FileChange[];
  /** The ADR numbers the pull request holds afterwards. */
  numbers: number[];
}

export function renumberPullRequestAdrs(input: {
  folder: string;
  /** ADRs on the default branch now. */
  onMain: readonly Pick<AdrMetadata, "file" | "number">[];
  /** Numbers other open ADR pull requests hold (after their own renumbering). */
  reserved: readonly number[];
  files: readonly PullRequestFile[];
}): RenumberPlan {
  const prefix = `${input.folder}/`;
  const isAdr = (path: string) => path.startsWith(prefix) && !path.slice(prefix.length).includes("/") && numberFromFileName(path) !== null;
  const mainByNumber = new Map(input.onMain.filter((a) => a.number !== null).map((a) => [a.number!, a.file]));
  const added = input.files.filter((f) => f.added && f.text !== null && isAdr(f.path)).sort((a, b) => (a.path < b.path ? -1 : 1));
  const taken = new Set<number>([...mainByNumber.keys(), ...input.reserved]);
  for (const f of added) taken.add(numberFromFileName(f.path)!);
  let next = Math.max(0, ...taken) + 1;

  const style = detectNamingStyle(input.onMain.map((a) => a.file));
  const renames: Renumbering[] = [];
  for (const f of added) {
    const n = numberFromFileName(f.path)!;
    const holder = mainByNumber.get(n);
    // Taken when the default branch has another file under that number (the same file landing is no collision).
    if (holder === undefined || `${prefix}${holder}` === f.path) continue;
    const toNumber = next++;
    renames.push({ from: f.path, to: `${prefix}${renumberedName(f.path.slice(prefix.length), n, toNumber, style.width)}`, fromNumber: n, toNumber });
  }

  const files: FileChange[] = input.files.map((f) => {
    const rename = renames.find((r) => r.from === f.path);
    const path = rename?.to ?? f.path;
    if (f.text === null) return { path, content: null };
    let text = f.text;
    for (const r of renames) text = relink(text, r, path === r.to ? "renamed" : isAdr(f.path) ? "adr" : "other");
    return { path, content: text };
  });
  const numbers = added.map((f) => renames.find((r) => r.from === f.path)?.toNumber ?? numberFromFileName(f.path)!);
  return { renames, files, numbers };
}

/** `0002-use-caches.md` → `0003-use-caches.md`, `adr-2-x.md` → `adr-3-x.md`: only the number changes, at the folder's width or wider. */
export function renumberedName(file: string, from: number, to: number, width: number): string {
  const m = /^((?:[A-Za-z]+[-_])*[A-Za-z]*)(\d+)/.exec(file);
  if (!m || Number(m[2]) !== from) return file;
  const digits = String(to).padStart(Math.max((m[2] ?? "").length, width), "0");
  return `${m[1] ?? ""}${digits}${file.slice(m[0].length)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Links to the renamed file now point at its new name and number, and say
 * its new number; the renamed file's own number heading follows; an ADR the
 * pull request changes names it by its new number in `superseded-by`.
 */
function relink(text: string, r: Renumbering, role: "renamed" | "adr" | "other"): string {
  const oldName = r.from.slice(r.from.lastIndexOf("/") + 1);
  const newName = r.to.slice(r.to.lastIndexOf("/") + 1);
  let out = text.split(oldName).join(newName);
  const target = escapeRegExp(newName);
  // Link texts that carry the number: `[2. Title](0002-x.md)`, `[ADR 2](0002-x.md)`, `[0002](0002-x.md)`.
  out = out.replace(new RegExp(`\\[(ADR[ -]?)?(0*${r.fromNumber})(\\.\\s[^\\]]*)?\\]\\(((?:[^)\\s]*/)?${target})\\)`, "g"), (_m, adr: string | undefined, digits: string, rest: string | undefined, link: string) => {
    const n = adr ? `${adr}${r.toNumber}` : rest ? String(r.toNumber) : String(r.toNumber).padStart(digits.length, "0");
    return `[${n}${rest ?? ""}](${link})`;
  });
  if (role === "renamed") return out.replace(new RegExp(`^(#\\s+)0*${r.fromNumber}(\\.\\s)`, "m"), `$1${r.toNumber}$2`);
  const fm = role === "adr" ? FRONT_MATTER.exec(out) : null;
  if (!fm) return out;
  // The pull request added this `superseded-by` (a file both sides changed would not merge): it names the renamed ADR.
  const yaml = (fm[2] ?? "").replace(/^(superseded[-_ ]?by\s*:.*)$/gim, (line) => line.replace(new RegExp(`(?<![\\d.])0*${r.fromNumber}(?![\\d.])`, "g"), String(r.toNumber)));
  return `${fm[1]}${yaml}\n${fm[3]}${out.slice(fm[0].length)}`;
}
