import { compressDiff } from "../../steps/review/compress-diff.js";
import type { ManifestOmission } from "../manifest.js";
import { delimitUntrusted } from "../../util/untrusted-text.js";
import type { Selector, SelectorContext } from "./selector-context.js";
import { modulesForPath } from "../../config/module-map.js";
import picomatch from "picomatch";

/**
 * The diff under review: untrusted text. When it does not fit, compressDiff
 * drops whole files (lock and generated files first) before cutting hunks,
 * and every file it did not send whole is listed in the manifest.
 */
export const diffSelector: Selector = async (ctx) => {
  const diff = ctx.trigger.diff;
  if (!diff) {
    ctx.notes.push("no diff: nothing to review");
    return [];
  }
  const identity = `diff ${diff.base.slice(0, 12)}..${diff.head.slice(0, 12)}`;
  const ignored = picomatch(ctx.config.review.ignore.length ? ctx.config.review.ignore : ["\0never"], { dot: true });
  const files = diff.files.filter((f) => !ignored(f.path));
  const omittedByConfig: ManifestOmission[] = diff.files
    .filter((f) => ignored(f.path))
    .map((f) => ({ selector: "diff", label: f.path, identity: `${identity}:${f.path}`, tokens: 0, reason: "ignored by review.ignore" }));

  const options = diffOptions(ctx);
  const render = (budget: number) => {
    const compressed = compressDiff(files, budget, options);
    const omitted: ManifestOmission[] = compressed.files
      .filter((f) => f.included !== "full")
      .map((f) => ({ selector: "diff", label: f.path, identity: `${identity}:${f.path}`, tokens: f.fullTokens, reason: f.reason ?? f.included }));
    return { text: delimitUntrusted(`diff ${diff.base.slice(0, 12)}..${diff.head.slice(0, 12)}`, compressed.text), omitted, compressed };
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
      fitTo: (tokens: number) => {
        // Leave room for the delimiter around the compressed text.
        const fitted = render(Math.max(0, tokens - 40));
        const kept = fitted.compressed.files.filter((f) => f.included !== "omitted").length;
        return { text: fitted.text, reason: `over budget: ${kept} of ${files.length} files sent`, omitted: [...omittedByConfig, ...fitted.omitted] };
      },
      partsLeftOut: [...omittedByConfig, ...whole.omitted],
    },
  ];
};

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
