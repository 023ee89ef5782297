import { pathsForModules } from "../../config/module-map.js";
import { codeText } from "../../util/code-text.js";
import type { ContextCandidate } from "../context-candidate.js";
import type { Selector } from "./selector-context.js";

/**
 * What the concerned modules are today, for the architecture review: each
 * module's files and, per file, the lines that declare what it exports (in
 * the common languages, by a line pattern: no parser). Much smaller than
 * the source, so a decision builds on what exists. Files past the byte
 * budget are listed without their exports; the manifest says how many.
 */

/** Files larger than this are listed, not read. */
const MAX_OUTLINE_FILE_BYTES = 200_000;
/** At most this many export lines per file, each cut to this many characters. */
const MAX_EXPORTS_PER_FILE = 30;
const MAX_EXPORT_CHARS = 160;

// Top-level declarations that other code can use: JS/TS exports, Python and Ruby top-level defs and
// classes, Go exported identifiers, Rust `pub` items, Java/Kotlin/C#/Swift public types and members.
const EXPORT_LINE =
  /^(export\s|module\.exports|exports\.|def\s|class\s|async\s+def\s|func\s+(\([^)]*\)\s*)?[A-Z]|type\s+[A-Z]|var\s+[A-Z]|const\s+[A-Z]|pub(\([^)]*\))?\s|\s{0,4}public\s|open\s+class\s|interface\s|object\s|module\s[A-Z])/;

export function exportLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.slice(0, 400);
    if (!EXPORT_LINE.test(line)) continue;
    const trimmed = line.replace(/\s*\{\s*$/, "").trim();
    out.push(trimmed.length > MAX_EXPORT_CHARS ? `${trimmed.slice(0, MAX_EXPORT_CHARS - 1)}…` : trimmed);
    if (out.length >= MAX_EXPORTS_PER_FILE) break;
  }
  return out;
}

export const sourceOutlineSelector: Selector = async (ctx) => {
  if (ctx.modules.length === 0) {
    ctx.notes.push("no modules concerned: no source outline");
    return [];
  }
  const files = await ctx.snapshot.listFiles();
  const out: ContextCandidate[] = [];
  // Read only what could fit: a quarter of the step's budget, in bytes, for the files' text.
  let byteBudget = ctx.step.budget * 3.5 * 0.25;
  let unread = 0;
  for (const module of ctx.modules) {
    const paths = new Set(pathsForModules(ctx.moduleMap, [module], files.map((f) => f.path)));
    const entries = files.filter((f) => paths.has(f.path));
    if (entries.length === 0) continue;
    const readable = entries.filter((e) => (e.size ?? 0) <= MAX_OUTLINE_FILE_BYTES && (byteBudget -= e.size ?? 0) >= 0);
    unread += entries.length - readable.length;
    const blobs = await ctx.snapshot.readFiles(readable.map((e) => e.path));
    const lines = entries.map((e) => {
      const text = blobs.get(e.path)?.text;
      const exports = text ? exportLines(codeText(text)) : [];
      return exports.length ? `${e.path}\n${exports.map((x) => `  ${x}`).join("\n")}` : e.path;
    });
    out.push({
      selector: "source:outline",
      label: `Source outline of ${module} (${entries.length} files)`,
      identity: `outline:${module}@${ctx.snapshot.commit}`,
      text: `<source-outline module="${module}">\n${lines.join("\n")}\n</source-outline>`,
      truncatable: true,
      trusted: true,
      code: true,
    });
  }
  if (unread) ctx.notes.push(`source:outline: ${unread} files listed without their exports (over the outline's byte budget or ${MAX_OUTLINE_FILE_BYTES} bytes)`);
  return out;
};
