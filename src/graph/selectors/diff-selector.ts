import { compressDiff } from "../../steps/review/compress-diff.js";
import type { DiffFile } from "../../steps/review/diff-files.js";
import { extendFile } from "../../steps/review/extend-hunks.js";
import type { ManifestOmission } from "../manifest.js";
import { delimitText } from "../../util/untrusted-text.js";
import { describeRevealed, mergeRevealed, revealInvisible, revealedNote, type RevealedCharacter } from "../../util/code-text.js";
import type { Selector, SelectorContext } from "./selector-context.js";
import { modulesForPath } from "../../config/module-map.js";
import picomatch from "picomatch";

/**
 * The diff under review: untrusted, and code. It reaches the model exactly
 * as committed (never through the prose sanitiser: an `"<!--"` in a string
 * is part of the change), with invisible and bidi characters made visible
 * and flagged. When it does not fit, compressDiff drops whole files (lock
 * and generated files first) before cutting hunks, and every file it did not
 * send whole is listed in the manifest.
 */
export const diffSelector: Selector = async (ctx) => {
  const diff = ctx.trigger.diff;
  if (!diff) {
    ctx.notes.push("no diff: nothing to review");
    return [];
  }
  const identity = `diff ${diff.base.slice(0, 12)}..${diff.head.slice(0, 12)}`;
  const ignored = picomatch(ctx.config.review.ignore.length ? ctx.config.review.ignore : ["\0never"], { dot: true });
  const kept = diff.files.filter((f) => !ignored(f.path));
  const plain = revealFiles(kept);
  const extension = extendFiles(kept, diff.headFiles, ctx);
  const extended = extension ? revealFiles(extension.files) : null;
  const omittedByConfig: ManifestOmission[] = diff.files
    .filter((f) => ignored(f.path))
    .map((f) => ({ selector: "diff", label: f.path, identity: `${identity}:${f.path}`, tokens: 0, reason: "ignored by review.ignore" }));

  const options = diffOptions(ctx);
  const render = (budget: number, withContext = true) => {
    const { files, revealed } = withContext && extended ? extended : plain;
    const sent = (path: string) => revealed.has(path);
    const compressed = compressDiff(files, budget, options);
    const shown = compressed.files.filter((f) => f.included !== "omitted" && sent(f.path));
    const flagged = shown.reduce((all: RevealedCharacter[], f) => mergeRevealed(all, revealed.get(f.path) ?? []), []);
    const note = flagged.length ? `${revealedNote(`this diff (${shown.map((f) => f.path).join(", ")})`, flagged)}\n\n` : "";
    const omitted: ManifestOmission[] = compressed.files
      .filter((f) => f.included !== "full")
      .map((f) => ({ selector: "diff", label: f.path, identity: `${identity}:${f.path}`, tokens: f.fullTokens, reason: f.reason ?? f.included }));
    const details = shown.map((f) => `hidden characters made visible in ${f.path}: ${describeRevealed(revealed.get(f.path) ?? [])}`);
    if (withContext && extension) details.unshift(...extension.details);
    else if (extension) details.unshift("context beyond the diff's own not sent: over budget");
    return { text: delimitText("untrusted", identity, FRAGMENTS_NOTE + note + compressed.text), omitted, compressed, details };
  };
  const whole = render(Number.MAX_SAFE_INTEGER);
  const files = plain.files;
  return [
    {
      selector: "diff",
      label: `Diff ${identity.slice(5)} (${diff.files.length} files)`,
      identity,
      text: whole.text,
      truncatable: false,
      trusted: false,
      code: true,
      ...(whole.details.length ? { details: whole.details } : {}),
      fitTo: (tokens: number) => {
        // Leave room for the delimiter around the compressed text, and the note on hidden characters.
        const room = Math.max(0, tokens - 40 - (whole.text.length - whole.compressed.text.length) / 3);
        // The extended context is worth its tokens only while every file still fits whole; else the diff's own context.
        const withContext = render(room);
        const fitted = withContext.compressed.files.every((f) => f.included === "full" || f.reason === "binary file" || f.reason?.startsWith("patch omitted")) ? withContext : render(room, false);
        const kept = fitted.compressed.files.filter((f) => f.included !== "omitted").length;
        return { text: fitted.text, reason: `over budget: ${kept} of ${files.length} files sent`, omitted: [...omittedByConfig, ...fitted.omitted], details: fitted.details };
      },
      partsLeftOut: [...omittedByConfig, ...whole.omitted],
    },
  ];
};

/**
 * Told to the model with every diff: it sees fragments, so a symbol whose
 * definition is not shown is not a finding.
 */
export const FRAGMENTS_NOTE =
  "Note from Baton: this diff shows fragments of the repository. Hunks are extended to their enclosing function or class " +
  "(small files are shown whole) where Baton could; everything else is not shown. Symbols, imports and types defined " +
  "elsewhere exist unless the diff removes them: do not report them as missing.\n\n";

/** Hunks extended with the head's text, and what the manifest says per file; null without head text. */
function extendFiles(files: DiffFile[], headFiles: Record<string, string> | undefined, ctx: SelectorContext): { files: DiffFile[]; details: string[] } | null {
  if (!headFiles) return null;
  const options = { wholeFileLines: ctx.config.review.wholeFileLines, enclosingBlockLines: ctx.config.review.enclosingBlockLines };
  const details: string[] = [];
  const out = files.map((file) => {
    const result = extendFile(file, headFiles[file.path], options);
    if (result.detail) details.push(`${file.path}: ${result.detail}`);
    return result.file;
  });
  return { files: out, details };
}

/** Each file's lines with hidden characters made visible, and what was revealed per path. */
function revealFiles(files: DiffFile[]): { files: DiffFile[]; revealed: Map<string, RevealedCharacter[]> } {
  const revealed = new Map<string, RevealedCharacter[]>();
  const out = files.map((file) => {
    const found: RevealedCharacter[] = [];
    const hunks = file.hunks.map((hunk) => ({
      ...hunk,
      lines: hunk.lines.map((line) => {
        // A CRLF file's lines end in CR: a line ending, not a hidden character.
        const r = revealInvisible(line.content.endsWith("\r") ? line.content.slice(0, -1) : line.content);
        mergeRevealed(found, r.revealed);
        return r.text !== line.content ? { ...line, content: r.text } : line;
      }),
    }));
    if (found.length > 0) revealed.set(file.path, found);
    return { ...file, hunks };
  });
  return { files: out, revealed };
}

function diffOptions(ctx: SelectorContext) {
  const adrModules = new Set(ctx.store.adrs.flatMap((a) => a.record.modules));
  return {
    // Files in modules that have ADRs or named modules come first: that is where decisions apply.
    priority: (path: string) => {
      const mods = modulesForPath(ctx.moduleMap, path);
      return mods.some((m) => ctx.modules.includes(m)) ? 2 : mods.some((m) => adrModules.has(m)) ? 1 : 0;
    },
  };
}
