import { compressDiff } from "../../steps/review/compress-diff.js";
import type { DiffFile } from "../../steps/review/diff-files.js";
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
  const { files, revealed } = revealFiles(diff.files.filter((f) => !ignored(f.path)));
  const omittedByConfig: ManifestOmission[] = diff.files
    .filter((f) => ignored(f.path))
    .map((f) => ({ selector: "diff", label: f.path, identity: `${identity}:${f.path}`, tokens: 0, reason: "ignored by review.ignore" }));

  const options = diffOptions(ctx);
  const render = (budget: number) => {
    const sent = (path: string) => revealed.has(path);
    const compressed = compressDiff(files, budget, options);
    const shown = compressed.files.filter((f) => f.included !== "omitted" && sent(f.path));
    const flagged = shown.reduce((all: RevealedCharacter[], f) => mergeRevealed(all, revealed.get(f.path) ?? []), []);
    const note = flagged.length ? `${revealedNote(`this diff (${shown.map((f) => f.path).join(", ")})`, flagged)}\n\n` : "";
    const omitted: ManifestOmission[] = compressed.files
      .filter((f) => f.included !== "full")
      .map((f) => ({ selector: "diff", label: f.path, identity: `${identity}:${f.path}`, tokens: f.fullTokens, reason: f.reason ?? f.included }));
    const details = shown.map((f) => `hidden characters made visible in ${f.path}: ${describeRevealed(revealed.get(f.path) ?? [])}`);
    return { text: delimitText("untrusted", identity, note + compressed.text), omitted, compressed, details };
  };
  const whole = render(Number.MAX_SAFE_INTEGER);
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
        const fitted = render(Math.max(0, tokens - 40 - (whole.text.length - whole.compressed.text.length) / 3));
        const kept = fitted.compressed.files.filter((f) => f.included !== "omitted").length;
        return { text: fitted.text, reason: `over budget: ${kept} of ${files.length} files sent`, omitted: [...omittedByConfig, ...fitted.omitted], details: fitted.details };
      },
      partsLeftOut: [...omittedByConfig, ...whole.omitted],
    },
  ];
};

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
