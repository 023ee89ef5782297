import { headerMarkers } from "../writer/outgoing-text.js";
import type { Manifest } from "./manifest.js";

/**
 * The knowledge files a step's context was read from (spec, ADRs,
 * guidance, pitfalls, the config), as its manifest records them
 * (`path@blob`), in a form that survives in a check run: the manifest table
 * shows at most 40 rows, so the check run also carries them in one hidden
 * marker in its header (where Baton's markers live, see
 * writer/outgoing-text.ts),
 *
 *     <!-- baton:context commit=<sha> docs%2Fadr%2F0001-x.md@<blob> … -->
 *
 * each entry URI-encoded (no space, no `<` or `>`, so no path can end it).
 * Staleness reads this back: the repository is the database, and the
 * manifest already written is the record of what a review used.
 */

export interface FileIdentity {
  path: string;
  sha: string;
}

export interface UsedContext {
  /** The trusted commit the context was read from; null for a check run written before the hidden line existed. */
  commit: string | null;
  files: FileIdentity[];
}

/** Past this many files the line is cut (a dev step's source files); reviews use far fewer. */
export const MAX_MARKED_FILES = 200;

/** Inputs that are not knowledge: the code and the diff change with every push and say nothing about staleness. */
const NOT_KNOWLEDGE = new Set(["source:modules", "diff", "tree-outline"]);

const MARKER = /<!-- baton:context commit=([0-9a-f]{40,64})((?: [^\s>]+)*) -->/;
const FILE_IDENTITY = /^(.+)@([0-9a-f]{40}|[0-9a-f]{64})(?:#.*)?$/;

/** A manifest identity as a file at a blob (`path@sha`, `path@sha#guidance/api`, `module-map@.github/baton.yml@sha`), or null. */
export function fileIdentity(identity: string): FileIdentity | null {
  const m = FILE_IDENTITY.exec(identity.replace(/^module-map@/, ""));
  if (!m?.[1] || !m[2] || m[1].startsWith("diff ") || m[1] === "tree") return null;
  return { path: m[1], sha: m[2] };
}

export function contextMarker(manifest: Manifest): string {
  const seen = new Set<string>();
  const entries: string[] = [];
  for (const input of manifest.inputs) {
    const f = NOT_KNOWLEDGE.has(input.selector) ? null : fileIdentity(input.identity);
    const key = f ? `${encodeURIComponent(f.path)}@${f.sha}` : null;
    if (key && !seen.has(key) && entries.length < MAX_MARKED_FILES) {
      seen.add(key);
      entries.push(key);
    }
  }
  return `<!-- baton:context commit=${manifest.commit}${entries.map((e) => ` ${e}`).join("")} -->`;
}

/**
 * What a step's context was, from a check run summary (or a comment holding
 * its manifest): the hidden line when there is one, else the identities in
 * the manifest table. Never throws.
 */
export function readUsedContext(summary: string): UsedContext {
  // Only a marker in the header counts: one anywhere else was quoted, not written by Baton.
  const m = headerMarkers(summary).map((h) => MARKER.exec(h)).find((x) => x !== null);
  if (m) {
    const files: FileIdentity[] = [];
    for (const entry of (m[2] ?? "").trim().split(" ").filter(Boolean)) {
      const at = entry.lastIndexOf("@");
      try {
        files.push({ path: decodeURIComponent(entry.slice(0, at)), sha: entry.slice(at + 1) });
      } catch {
        // a damaged entry is skipped, not fatal
      }
    }
    return { commit: m[1] ?? null, files };
  }
  const files: FileIdentity[] = [];
  for (const row of summary.matchAll(/^\|[^\n]*?\| `([^`\n]+)` \|/gm)) {
    const f = fileIdentity((row[1] ?? "").replace(/\\\|/g, "|"));
    if (f && !files.some((x) => x.path === f.path && x.sha === f.sha)) files.push(f);
  }
  return { commit: null, files };
}

export interface ChangedInput {
  path: string;
  /** The blob the step used. */
  was: string;
  /** The blob on the default branch now; null when the file is gone. */
  now: string | null;
}

/** The files a step used that are now different on the default branch (paths outside `matters` are not looked at). */
export function changedInputs(used: readonly FileIdentity[], now: ReadonlyMap<string, string>, matters: (path: string) => boolean): ChangedInput[] {
  const out: ChangedInput[] = [];
  for (const f of used) {
    if (!matters(f.path)) continue;
    const current = now.get(f.path) ?? null;
    if (current !== f.sha && !out.some((o) => o.path === f.path)) out.push({ path: f.path, was: f.sha, now: current });
  }
  return out;
}
