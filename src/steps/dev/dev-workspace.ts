import type { StepDeclaration } from "../../graph/step-declaration.js";
import { checkPathOnDisk, normaliseRepoPath, stepPathPolicy, type PathDecision, type PathPolicy } from "../../policy/path-policy.js";
import type { RepoSnapshot } from "../../snapshot/repo-snapshot.js";
import type { FileChange } from "../../writer/intents.js";
import { matchPaths, searchLines } from "../../policy/bounded-match.js";

/** One read returns at most this many characters and lines; the model reads on with `offset`. */
const MAX_READ_CHARS = 60_000;
const DEFAULT_READ_LINES = 2000;
const MAX_WRITE_CHARS = 400_000;
const MAX_SEARCH_HITS = 50;
/** Text handed to the search worker at most: copying it there is main-thread work. */
const MAX_SEARCH_BYTES = 8_000_000;

/**
 * The dev step's view of the repository: the base commit, read-only, plus an
 * overlay of the files the model wrote or deleted. Nothing touches GitHub or
 * the disk until the overlay becomes one commit intent. Writes are checked
 * against the step's declaration as they happen, so the model learns at once
 * that a path is off limits, through the one path policy every writer
 * shares. In local mode (`workingTree`) the disk is checked too, so a write
 * through a committed symbolic link is refused as it is asked for.
 */
export class DevWorkspace {
  private readonly overlay = new Map<string, string | null>();
  /** Files the model has seen whole (read to the end, or written): only those may be replaced wholesale. */
  private readonly seenWhole = new Set<string>();
  private readonly policy: PathPolicy;
  /** Writes the policy refused, for the report: a model that tries `.git/config` is worth a reviewer's attention. */
  readonly refused: { path: string; reason: string }[] = [];

  constructor(
    private readonly snapshot: RepoSnapshot,
    step: StepDeclaration,
    private readonly maxFiles: number,
    private readonly workingTree?: string,
  ) {
    this.policy = stepPathPolicy(step);
  }

  async listFiles(glob?: string): Promise<string> {
    const base = (await this.snapshot.listFiles()).map((f) => f.path);
    const all = new Set(base);
    for (const [p, c] of this.overlay) {
      if (c === null) all.delete(p);
      else all.add(p);
    }
    // The model's glob runs off the main thread, under a time limit.
    const hits = (glob ? await matchPaths(glob, [...all]) : [...all]).sort();
    const shown = hits.slice(0, 500);
    return `${shown.join("\n")}${hits.length > shown.length ? `\n… ${hits.length - shown.length} more (narrow the glob)` : ""}` || "(no files match)";
  }

  /**
   * Lines `offset` (1-based) onwards, at most `limit` lines and 60,000
   * characters, each numbered as `cat -n` does, and a footer saying where to
   * read on: a long file is read in parts, never cut silently.
   */
  async readFile(asked: string, offset = 1, limit = DEFAULT_READ_LINES): Promise<string> {
    const normal = normaliseRepoPath(asked);
    const path = normal.ok ? normal.path : asked;
    const text = await this.currentText(path);
    if (text === undefined) throw new Error(`${path}: no such file`);
    if (text === null) throw new Error(`${path}: binary or too large to read`);
    const lines = text.split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    const first = Math.max(1, Math.floor(offset));
    if (first > Math.max(lines.length, 1)) throw new Error(`${path} has ${lines.length} lines: offset ${first} is past the end`);
    const out: string[] = [];
    let chars = 0;
    let last = first - 1;
    for (let n = first; n <= lines.length && n < first + Math.max(1, Math.floor(limit)); n++) {
      const line = `${String(n).padStart(6)}\t${lines[n - 1]}`;
      if (chars + line.length > MAX_READ_CHARS && out.length > 0) break;
      out.push(line);
      chars += line.length + 1;
      last = n;
    }
    if (first === 1 && last >= lines.length) this.seenWhole.add(path);
    const footer = last < lines.length ? `\n[lines ${first}–${last} of ${lines.length}: read on with offset ${last + 1}]` : "";
    return (out.join("\n") || "(empty file)") + footer;
  }

  /** Exact string replacement: `old` must occur once (or `replaceAll`), so an edit never lands somewhere unintended. */
  async editFile(asked: string, old: string, replacement: string, replaceAll = false): Promise<string> {
    const path = await this.writablePath(asked);
    const text = await this.currentText(path);
    if (text === undefined || text === null) throw new Error(`${path}: no such text file (create it with write_file)`);
    if (old === "") throw new Error("old_string is empty: quote the text to replace");
    if (old === replacement) throw new Error("old_string and new_string are the same: nothing to change");
    const count = text.split(old).length - 1;
    if (count === 0) throw new Error(`${path}: old_string not found (it must match exactly, spaces and line breaks included; read the file again)`);
    if (count > 1 && !replaceAll) throw new Error(`${path}: old_string occurs ${count} times: quote more lines around it so it is unique, or set replace_all`);
    const next = replaceAll ? text.split(old).join(replacement) : text.replace(old, () => replacement);
    if (next.length > MAX_WRITE_CHARS) throw new Error(`${path}: the result would be over ${MAX_WRITE_CHARS} characters`);
    this.overlay.set(path, next);
    return `edited ${path}: ${replaceAll ? count : 1} ${count === 1 || !replaceAll ? "occurrence" : "occurrences"} replaced`;
  }

  async search(pattern: string, glob?: string): Promise<string> {
    // Pattern and glob come from the model: both are matched off the main thread, capped in length and time.
    const listed = (await this.snapshot.listFiles()).filter((f) => (f.size ?? 0) < 500_000);
    const inGlob = glob ? new Set(await matchPaths(glob, listed.map((f) => f.path))) : undefined;
    const files = listed.filter((f) => !inGlob || inGlob.has(f.path)).slice(0, 2000);
    const blobs = await this.snapshot.readFiles(files.map((f) => f.path));
    const texts: [string, string][] = [];
    let bytes = 0;
    let cut = false;
    for (const f of files) {
      const text = this.overlay.has(f.path) ? this.overlay.get(f.path) : blobs.get(f.path)?.text;
      if (!text) continue;
      if (bytes + text.length > MAX_SEARCH_BYTES) {
        cut = true;
        break;
      }
      bytes += text.length;
      texts.push([f.path, text]);
    }
    const hits = await searchLines(pattern, texts, MAX_SEARCH_HITS);
    const note = cut ? `\n[searched the first ${texts.length} files only: ${MAX_SEARCH_BYTES / 1_000_000} MB limit; narrow the glob]` : "";
    return (hits.length ? hits.join("\n") : "(no matches)") + note;
  }

  async writeFile(asked: string, content: string): Promise<string> {
    const path = await this.writablePath(asked);
    if (content.length > MAX_WRITE_CHARS) throw new Error(`${path}: content over ${MAX_WRITE_CHARS} characters`);
    // Replacing a file the model has only seen in part would lose the rest.
    const existing = await this.currentText(path);
    if (existing !== undefined && !this.seenWhole.has(path)) throw new Error(`${path} exists and you have not read all of it: change it with edit_file, or read it to the end first`);
    this.overlay.set(path, content);
    this.seenWhole.add(path);
    return `wrote ${path} (${content.length} characters)`;
  }

  async deleteFile(asked: string): Promise<string> {
    const path = await this.writablePath(asked);
    if ((await this.currentText(path)) === undefined) throw new Error(`${path}: no such file`);
    this.overlay.set(path, null);
    return `deleted ${path}`;
  }

  changes(): FileChange[] {
    return [...this.overlay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([path, content]) => ({ path, content }));
  }

  /** The canonical path to write, or an error the model can act on. */
  private async writablePath(asked: string): Promise<string> {
    const decision: PathDecision = this.workingTree ? await checkPathOnDisk(this.workingTree, asked, this.policy) : this.policy.check(asked);
    if (!decision.allowed) {
      this.refused.push({ path: decision.path, reason: decision.reason });
      throw new Error(decision.reason);
    }
    const path = decision.path;
    if (!this.overlay.has(path) && this.overlay.size >= this.maxFiles) throw new Error(`file limit reached (${this.maxFiles} files, dev.maxFiles)`);
    return path;
  }

  private async currentText(path: string): Promise<string | null | undefined> {
    if (this.overlay.has(path)) {
      const c = this.overlay.get(path);
      return c === null ? undefined : c;
    }
    const blob = (await this.snapshot.readFiles([path])).get(path);
    return blob ? blob.text : undefined;
  }
}
