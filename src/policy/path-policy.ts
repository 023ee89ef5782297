import { lstat, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import picomatch from "picomatch";
import type { StepDeclaration } from "../graph/step-declaration.js";
import { configGlobProblem, escapeGlob } from "./glob-limits.js";

/**
 * The one path policy every writer asks before it writes a file: the
 * capability check (GitHub and local writers), the local writer on disk,
 * the dev step's tools and the Claude Code session's hooks. A path is
 * written only when it is a plain repository-relative path, has no `.git`
 * component, matches no denied glob (compared case- and Unicode-insensitively,
 * because the disk it lands on may be case-insensitive) and matches an
 * allowed glob (compared exactly: an allow list is never widened).
 */

/** Linux PATH_MAX; git accepts longer paths, but no checkout could hold them. */
export const MAX_PATH_LENGTH = 4096;
/** NAME_MAX of every common file system, in UTF-8 bytes. */
export const MAX_SEGMENT_BYTES = 255;

export type NormalisedPath = { ok: true; path: string } | { ok: false; reason: string };
export type PathDecision = { allowed: true; path: string } | { allowed: false; path: string; reason: string };

export interface PathPolicy {
  /** Normalises `path` and decides; an allowed decision carries the path to write (NFC, no `.` or empty segments). */
  check(path: string): PathDecision;
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly alwaysDeny: readonly string[];
}

export interface PathPolicyOptions {
  /** Globs the writer may write (picomatch, dotfiles included), compared exactly. */
  allow: readonly string[];
  /** Globs it may never write, even when allowed; compared case- and Unicode-insensitively. */
  deny: readonly string[];
  /** Like `deny`, but not a repository's to change; reported as such. */
  alwaysDeny?: readonly string[];
}

// Control characters (NUL, newline, escape…), and characters that render as
// nothing: zero-width, bidi controls, BOM, soft hyphen, tags, line separators.
// HFS+ ignores several of them when it compares names, so `.g\u200cit` is `.git` there.
const CONTROL = /\p{Cc}/u;
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}]/u;
/** With the u flag, only an unpaired surrogate is a code point of category Cs: it has no UTF-8 form. */
const LONE_SURROGATE = /\p{Cs}/u;

const refused = (reason: string): NormalisedPath => ({ ok: false, reason });

/**
 * The canonical form of a repository-relative path: NFC, `/`-separated, no
 * empty or `.` segments. Refused: `..`, backslashes, absolute paths and drive
 * letters, control and invisible characters, over-long paths or names.
 */
export function normaliseRepoPath(p: string): NormalisedPath {
  if (typeof p !== "string" || p.length === 0) return refused("the path is empty");
  // Checked before any other work, so an enormous input costs nothing.
  if (p.length > MAX_PATH_LENGTH) return refused(`longer than ${MAX_PATH_LENGTH} characters`);
  if (LONE_SURROGATE.test(p)) return refused("contains a lone UTF-16 surrogate");
  if (CONTROL.test(p)) return refused("contains a control character (NUL, newline, tab…)");
  if (INVISIBLE.test(p)) return refused("contains an invisible character (zero-width, bidi control, BOM…)");
  if (p.includes("\\")) return refused("contains a backslash: separate folders with /");
  if (p.startsWith("/")) return refused("is absolute: give it relative to the repository root");
  if (/^[A-Za-z]:/.test(p)) return refused("starts with a drive letter");
  const segments = p.normalize("NFC").split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) return refused("contains ..");
  if (segments.length === 0) return refused("names the repository root, not a file");
  for (const s of segments) {
    if (Buffer.byteLength(s, "utf8") > MAX_SEGMENT_BYTES) return refused(`has a name longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  return { ok: true, path: segments.join("/") };
}

/**
 * How a case-insensitive disk may see one name: full case folding (upper then
 * lower turns `ſ` into `s`, `ß` into `ss`, the Kelvin sign into `k`), NFC,
 * and what NTFS ignores: an alternate data stream (`.git::$INDEX_ALLOCATION`)
 * and trailing dots and spaces (`.git. `).
 */
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase().normalize("NFC");
}

function foldSegment(segment: string): string {
  let key = foldCase(segment);
  const colon = key.indexOf(":");
  if (colon > 0) key = key.slice(0, colon); // `:x` names no file before the colon: it stays as it is, for the deny globs to see.
  let end = key.length;
  while (end > 0 && (key[end - 1] === "." || key[end - 1] === " ")) end--;
  return key.slice(0, end);
}

/** The comparison key of a normalised path, for denied globs. */
export function foldRepoPath(path: string): string {
  return path.split("/").map(foldSegment).join("/");
}

/** `.git` in any case or disguise, and its NTFS short name `git~1`: git's own data (config, hooks) never comes from a step. */
function isDotGit(foldedSegment: string): boolean {
  return foldedSegment === ".git" || foldedSegment === "git~1";
}

interface Rule {
  glob: string;
  test: (path: string) => boolean;
}

function compileRules(globs: readonly string[], fold: boolean): Rule[] {
  return globs.map((glob) => {
    // Configuration globs are refused at load; this keeps any other source to the same bounded shapes.
    const problem = configGlobProblem(glob);
    if (problem) throw new Error(`path policy: the glob ${JSON.stringify(glob.slice(0, 80))} ${problem.message} (${problem.fix})`);
    // Globs are case-folded only: cutting at ":" or trailing dots would break [[:alpha:]] and the like.
    const source = fold ? foldCase(glob) : glob;
    return { glob, test: picomatch(source, { dot: true, nocase: fold }) };
  });
}

export function createPathPolicy(options: PathPolicyOptions): PathPolicy {
  const allow = [...options.allow];
  const deny = [...options.deny];
  const alwaysDeny = [...(options.alwaysDeny ?? [])];
  const allowRules = compileRules(allow, false);
  const denyRules = compileRules(deny, true);
  const alwaysRules = compileRules(alwaysDeny, true);

  return {
    allow,
    deny,
    alwaysDeny,
    check(input: string): PathDecision {
      const normal = normaliseRepoPath(input);
      if (!normal.ok) {
        const shown = typeof input === "string" ? JSON.stringify(input.slice(0, 200)) : String(input);
        return { allowed: false, path: String(input), reason: `${shown}: not a repository-relative path (${normal.reason})` };
      }
      const path = normal.path;
      const no = (reason: string): PathDecision => ({ allowed: false, path, reason: `${path}: ${reason}` });
      const folded = foldRepoPath(path);
      if (folded.split("/").some(isDotGit)) return no("a .git component is git's own data (config, hooks) and is never written");
      const always = alwaysRules.find((r) => r.test(folded));
      if (always) return no(`the step may never write here (always denied: ${always.glob})`);
      const denied = denyRules.find((r) => r.test(folded));
      if (denied) return no(`the step may never write here (denied by ${denied.glob})`);
      if (!allowRules.some((r) => r.test(path))) return no(`outside what the step may write (${allow.join(", ") || "nothing"})`);
      return { allowed: true, path };
    },
  };
}

const stepPolicies = new WeakMap<StepDeclaration, PathPolicy>();

/** The policy of a step's declaration, compiled once per declaration. */
export function stepPathPolicy(step: StepDeclaration): PathPolicy {
  let policy = stepPolicies.get(step);
  if (!policy) {
    policy = createPathPolicy({ allow: step.writablePaths, deny: step.deniedPaths, alwaysDeny: step.alwaysDeniedPaths ?? [] });
    stepPolicies.set(step, policy);
  }
  return policy;
}

/**
 * What the dev step may never write, whatever the configuration says:
 * the decisions it implements (the ADR folder, and `.adr-dir`, which moves
 * it) and Baton's own rules (`.github/baton.yml`), so a model cannot widen
 * its own permissions for the next run. `.git` is refused for every step.
 */
export function devAlwaysDenied(adrFolder: string): string[] {
  const folder = normaliseRepoPath(adrFolder);
  // The folder is a literal (it may come from `.adr-dir`, written by a committer): escaped, it cannot be a costly glob.
  const adr = escapeGlob(folder.ok ? folder.path : adrFolder.replace(/^\.?\/+|\/+$/g, ""));
  return [`${adr}/**`, ".adr-dir", ".github/baton.yml", ".github/baton.yaml"];
}

async function lstatOrNull(path: string) {
  try {
    return await lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw err;
  }
}

/**
 * The policy's decision, then the disk's: no existing part of the path is a
 * symbolic link (a parent or the file itself) or another repository (a
 * submodule's work tree), parents are folders, and the real path of what
 * exists stays inside the repository and is spelled as asked (no case or
 * short-name alias of a denied path on a case-insensitive disk).
 */
export async function checkPathOnDisk(root: string, path: string, policy: PathPolicy): Promise<PathDecision> {
  const decision = policy.check(path);
  if (!decision.allowed) return decision;
  const no = (reason: string): PathDecision => ({ allowed: false, path: decision.path, reason: `${decision.path}: ${reason}` });
  const rootReal = await realpath(root);
  const segments = decision.path.split("/");
  let existing = rootReal;
  let depth = 0;
  for (; depth < segments.length; depth++) {
    const next = join(existing, segments[depth]!);
    const shown = segments.slice(0, depth + 1).join("/");
    const stat = await lstatOrNull(next);
    if (!stat) break;
    if (stat.isSymbolicLink()) return no(`${shown} is a symbolic link; Baton never writes through links`);
    const last = depth === segments.length - 1;
    if (!last && !stat.isDirectory()) return no(`${shown} is a file, not a folder`);
    if (last && !stat.isFile()) return no(`${shown} exists and is not a regular file`);
    if (!last && (await lstatOrNull(join(next, ".git")))) return no(`${shown} is another git repository (a submodule); Baton writes only in this one`);
    existing = next;
  }
  const real = await realpath(existing);
  const rel = relative(rootReal, real);
  if (rel.startsWith("..") || isAbsolute(rel)) return no("resolves outside the repository");
  const onDisk = rel.split(sep).filter(Boolean).join("/");
  const asked = segments.slice(0, depth).join("/");
  if (onDisk !== asked) return no(`is spelled ${onDisk} on disk: use that spelling`);
  return decision;
}
