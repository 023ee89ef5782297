import { inAdrFolder } from "./adr-folder.js";
import { updateAdrIndexFile } from "./adr-index-file.js";
import type { AdrMetadata } from "./adr-record.js";
import { setAdrStatus, type AdrDecision } from "./adr-status-edit.js";
import { readAdrMetadata } from "./read-adr-metadata.js";
import { supersedeAdr, type FileChange } from "./supersede-adr.js";

/**
 * The decision on proposed ADRs, as file changes: each decided ADR's status
 * and date; on acceptance, every ADR it `supersedes` marked superseded by it
 * (in the same change, never earlier: a proposal only records the intent);
 * and the regenerated index. Pure: the same texts give the same changes, and
 * deciding again what is already decided changes nothing.
 */

export interface AdrText {
  /** Path from the repository root. */
  path: string;
  text: string;
  /** The text as read (a store's cached reading); parsed from `text` when absent. */
  record?: AdrMetadata;
}

export interface DecisionPlan {
  /** Files to write (only those whose content changes). */
  files: FileChange[];
  /** `newly`: it was proposed until this decision (false when it was already decided so). */
  decided: { path: string; number: number | null; title: string; status: AdrDecision; spec: string | null; newly: boolean }[];
  /** ADRs marked superseded, and by which. */
  superseded: { number: number; path: string; by: number }[];
  /** What was left as it was, and why. */
  notes: string[];
}

export function decideAdrs(input: { folder: string; adrs: readonly AdrText[]; index: string | null; targets: readonly string[]; decision: AdrDecision; date: string }): DecisionPlan {
  const original = new Map(input.adrs.map((a) => [a.path, a.text]));
  const texts = new Map(original);
  const fileOf = (path: string) => path.slice(input.folder.length + 1);
  const records = new Map(input.adrs.map((a) => [a.path, a.record ?? readAdrMetadata(fileOf(a.path), a.text).metadata]));
  const read = (path: string): AdrMetadata => {
    const text = texts.get(path) ?? "";
    if (text === original.get(path) && records.has(path)) return records.get(path)!;
    const record = readAdrMetadata(fileOf(path), text).metadata;
    records.set(path, record);
    return record;
  };
  const plan: DecisionPlan = { files: [], decided: [], superseded: [], notes: [] };

  for (const path of input.targets) {
    const before = read(path);
    const label = before.number === null ? fileOf(path) : `ADR ${before.number}`;
    if (before.status !== "proposed" && before.status !== input.decision) {
      plan.notes.push(`${label} is ${before.status}, not proposed: left as it is`);
      continue;
    }
    if (before.status === "proposed") texts.set(path, setAdrStatus({ path, text: texts.get(path) ?? "" }, input.decision, input.date).content);
    plan.decided.push({ path, number: before.number, title: before.title, status: input.decision, spec: before.spec, newly: before.status === "proposed" });
    if (input.decision !== "accepted" || before.number === null) continue;
    for (const n of before.supersedes) {
      const old = input.adrs.find((a) => a.path !== path && records.get(a.path)?.number === n);
      if (!old) {
        plan.notes.push(`${label} supersedes ADR ${n}, which is not in ${input.folder}: nothing to mark`);
        continue;
      }
      const updated = supersedeAdr({ path: old.path, text: texts.get(old.path) ?? "" }, n, before.number, fileOf(path), { newTitle: before.title });
      texts.set(old.path, updated.content);
      plan.superseded.push({ number: n, path: old.path, by: before.number });
    }
  }

  // The decided ADRs first, then those they supersede, then the index: the order people read the commit in.
  const order = [...input.targets, ...plan.superseded.map((x) => x.path)];
  for (const path of new Set(order)) if (original.get(path) !== texts.get(path)) plan.files.push({ path, content: texts.get(path) ?? "" });
  if (plan.files.length > 0) {
    const index = indexChange(input.folder, input.adrs.map((a) => read(a.path)), input.index);
    if (index.change) plan.files.push(index.change);
    if (index.note) plan.notes.push(index.note);
  }
  return plan;
}

/**
 * The index file for these ADRs, as a change: Baton's own README is
 * regenerated, its markers in a hand-written README are updated, and a
 * hand-written README without markers is left alone with a note
 * (`updateAdrIndexFile` owns the rule).
 */
export function indexChange(folder: string, records: readonly AdrMetadata[], existingIndex: string | null): { change: FileChange | null; note?: string } {
  const path = inAdrFolder(folder, "README.md");
  const update = updateAdrIndexFile(existingIndex, records, { path, appendToHandWritten: false });
  if (update.kind === "write") return { change: { path, content: update.content } };
  if (update.kind === "leave") return { change: null, note: update.note };
  return { change: null };
}
