import parseDiff from "parse-diff";

/**
 * One shape for a pull request's changes, whether they come from a unified
 * diff (git, GitHub's .diff media type) or from GitHub's "list pull request
 * files" endpoint. Line numbers are kept on both sides: the model cites new
 * (RIGHT side) line numbers, and inline comments are placed on them.
 */

export type DiffStatus = "added" | "modified" | "deleted" | "renamed";

export interface DiffLine {
  type: "add" | "del" | "context";
  /** The line's text without its "+", "-" or " " marker. */
  content: string;
  /** Line number in the new file (add and context lines). */
  newLine?: number;
  /** Line number in the old file (del and context lines). */
  oldLine?: number;
}

export interface DiffHunk {
  /** The "@@ -a,b +c,d @@ section" line. */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export interface DiffFile {
  path: string;
  /** The previous path of a renamed (or copied) file. */
  oldPath?: string;
  status: DiffStatus;
  binary: boolean;
  additions: number;
  deletions: number;
  hunks: DiffHunk[];
  /** Why the file has no hunks although it changed, e.g. "patch omitted by GitHub". */
  patchOmitted?: string;
}

/** Unquotes a C-style quoted git path ("a/t\303\251st") into UTF-8. */
function unquoteGitPath(raw: string): string {
  const s = raw.trim();
  if (!(s.length >= 2 && s.startsWith('"') && s.endsWith('"'))) return s;
  const bytes: number[] = [];
  const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", a: "\x07", b: "\b", f: "\f", v: "\v" };
  for (let i = 1; i < s.length - 1; i++) {
    const ch = s[i]!;
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const next = s[i + 1] ?? "";
    const octal = /^[0-7]{3}/.exec(s.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(...Buffer.from(simple[next] ?? next, "utf8"));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Path from a "--- a/x" / "+++ b/x" line; undefined for /dev/null. */
function pathFromMarkerLine(rest: string): string | undefined {
  let value = rest;
  if (!value.startsWith('"')) {
    const tab = value.indexOf("\t"); // non-git diffs append a timestamp after a tab
    if (tab >= 0) value = value.slice(0, tab);
  }
  value = unquoteGitPath(value);
  if (value === "/dev/null") return undefined;
  return value.replace(/^[abciwo12]\//, "");
}

/** "diff --git a/x b/x" with identical sides (binary, mode change): split in the middle, safe with spaces. */
function pathFromGitHeader(line: string): string | undefined {
  const rest = line.slice("diff --git ".length);
  if (rest.length % 2 === 0) return undefined;
  const half = (rest.length - 1) / 2;
  const left = rest.slice(0, half).replace(/^[abciwo12]\//, "");
  const right = rest.slice(half + 1).replace(/^[abciwo12]\//, "");
  return rest[half] === " " && left === right ? left : undefined;
}

function convertChunks(chunks: parseDiff.Chunk[]): DiffHunk[] {
  return chunks.map((chunk) => {
    const lines: DiffLine[] = [];
    for (const change of chunk.changes) {
      // parse-diff records "\ No newline at end of file" as a copy of the previous change.
      if (change.content.startsWith("\\")) continue;
      const content = change.content.slice(1);
      if (change.type === "add") lines.push({ type: "add", content, newLine: change.ln });
      else if (change.type === "del") lines.push({ type: "del", content, oldLine: change.ln });
      else lines.push({ type: "context", content, oldLine: change.ln1, newLine: change.ln2 });
    }
    return {
      header: chunk.content,
      oldStart: chunk.oldStart,
      oldLines: chunk.oldLines,
      newStart: chunk.newStart,
      newLines: chunk.newLines,
      lines,
    };
  });
}

function countLines(hunks: DiffHunk[]): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const hunk of hunks)
    for (const line of hunk.lines) {
      if (line.type === "add") additions++;
      else if (line.type === "del") deletions++;
    }
  return { additions, deletions };
}

/** One "diff --git" section: header metadata read here, hunks by parse-diff. */
function parseSection(section: string): DiffFile | undefined {
  const lines = section.split("\n");
  let from: string | undefined;
  let to: string | undefined;
  let renameFrom: string | undefined;
  let renameTo: string | undefined;
  let copyFrom: string | undefined;
  let isNew = false;
  let isDeleted = false;
  let binary = false;
  let sawMarkers = false;
  for (const line of lines) {
    if (line.startsWith("@@")) break;
    if (line.startsWith("rename from ")) renameFrom = unquoteGitPath(line.slice(12));
    else if (line.startsWith("rename to ")) renameTo = unquoteGitPath(line.slice(10));
    else if (line.startsWith("copy from ")) copyFrom = unquoteGitPath(line.slice(10));
    else if (line.startsWith("copy to ")) renameTo = unquoteGitPath(line.slice(8));
    else if (line.startsWith("new file mode")) isNew = true;
    else if (line.startsWith("deleted file mode")) isDeleted = true;
    else if (/^Binary files .* differ$/.test(line) || line === "GIT binary patch") binary = true;
    else if (line.startsWith("--- ")) {
      from = pathFromMarkerLine(line.slice(4));
      sawMarkers = true;
      if (from === undefined) isNew = true;
    } else if (line.startsWith("+++ ")) {
      to = pathFromMarkerLine(line.slice(4));
      sawMarkers = true;
      if (to === undefined) isDeleted = true;
    }
  }

  const parsed = parseDiff(section)[0];
  const hunks = convertChunks(parsed?.chunks ?? []);
  const headerPath = lines[0]?.startsWith("diff --git ") ? pathFromGitHeader(lines[0]) : undefined;
  const fallback = (p: string | undefined) => (p === undefined || p === "/dev/null" ? undefined : p);
  const oldPath = renameFrom ?? copyFrom ?? (sawMarkers ? from : undefined) ?? headerPath ?? fallback(parsed?.from);
  const newPath = renameTo ?? (sawMarkers ? to : undefined) ?? headerPath ?? fallback(parsed?.to);
  const path = isDeleted ? (oldPath ?? newPath) : (newPath ?? oldPath);
  if (path === undefined) return undefined;

  let status: DiffStatus = "modified";
  if (isDeleted) status = "deleted";
  else if (isNew || copyFrom !== undefined) status = "added";
  else if (oldPath !== undefined && oldPath !== path) status = "renamed";

  const file: DiffFile = { path, status, binary, ...countLines(hunks), hunks };
  if ((status === "renamed" || copyFrom !== undefined) && oldPath !== undefined) file.oldPath = oldPath;
  return file;
}

/** Parses a unified diff (git or plain) into files. */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const normalised = text.replace(/\r\n/g, "\n");
  const lines = normalised.split("\n");
  const starts = lines.flatMap((line, i) => (line.startsWith("diff --git ") ? [i] : []));
  if (starts.length === 0) {
    // A plain "diff -u" without git headers: parse-diff alone (it strips a/ b/ and timestamps).
    return parseDiff(normalised).flatMap((parsed): DiffFile[] => {
      const from = parsed.from === "/dev/null" ? undefined : parsed.from;
      const to = parsed.to === "/dev/null" ? undefined : parsed.to;
      const path = to ?? from;
      if (path === undefined) return [];
      const hunks = convertChunks(parsed.chunks);
      let status: DiffStatus = "modified";
      if (to === undefined) status = "deleted";
      else if (from === undefined) status = "added";
      else if (from !== to) status = "renamed";
      const file: DiffFile = { path, status, binary: false, ...countLines(hunks), hunks };
      if (status === "renamed") file.oldPath = from;
      return [file];
    });
  }
  const files: DiffFile[] = [];
  starts.forEach((start, i) => {
    const section = lines.slice(start, starts[i + 1] ?? lines.length).join("\n");
    const file = parseSection(section);
    if (file) files.push(file);
  });
  return files;
}

/** An item of GitHub's "list pull request files" answer (fields Baton uses). */
export interface GitHubPullFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string | null;
  previous_filename?: string;
}

const BINARY_EXTENSIONS = new Set(
  (
    "png jpg jpeg gif webp bmp ico icns tif tiff psd pdf zip gz tgz bz2 xz 7z rar jar war ear class so dylib dll exe bin o a " +
    "woff woff2 ttf otf eot mp3 mp4 m4a mov avi mkv wav flac ogg webm sqlite db wasm pyc pyo lockb keystore jks p12 der"
  ).split(" "),
);

export function hasBinaryExtension(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot >= 0 && BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

const GITHUB_STATUS: Record<string, DiffStatus> = {
  added: "added",
  removed: "deleted",
  modified: "modified",
  renamed: "renamed",
  copied: "added",
  changed: "modified",
  unchanged: "modified",
};

/**
 * Converts GitHub's file list. GitHub leaves `patch` out for binary files and
 * for diffs too large to show; it does not say which, so: a binary extension,
 * or no counted changes (GitHub counts none for binary files), means binary;
 * otherwise the file is marked "patch omitted by GitHub".
 */
export function fromGitHubFiles(files: GitHubPullFile[]): DiffFile[] {
  return files.map((item) => {
    const status = GITHUB_STATUS[item.status] ?? "modified";
    const file: DiffFile = {
      path: item.filename,
      status,
      binary: false,
      additions: item.additions,
      deletions: item.deletions,
      hunks: [],
    };
    if (item.previous_filename && item.previous_filename !== item.filename) file.oldPath = item.previous_filename;
    if (typeof item.patch === "string" && item.patch.length > 0) {
      file.hunks = convertChunks(parseDiff(item.patch).flatMap((parsed) => parsed.chunks));
    } else if (hasBinaryExtension(item.filename)) {
      file.binary = true;
    } else if (item.changes === 0) {
      // A pure rename has nothing to show; anything else changed without counted lines is binary.
      if (status !== "renamed") file.binary = true;
    } else {
      file.patchOmitted = "patch omitted by GitHub";
    }
    return file;
  });
}

/** Lines added plus lines deleted, for the small-change threshold. `exclude` leaves out e.g. lock files. */
export function linesChangedCount(files: DiffFile[], exclude: (path: string) => boolean = () => false): number {
  return files.reduce((sum, file) => (exclude(file.path) ? sum : sum + file.additions + file.deletions), 0);
}
