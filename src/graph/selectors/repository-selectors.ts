import { pathsForModules } from "../../config/module-map.js";
import type { ContextCandidate } from "../context-candidate.js";
import { countTokens } from "../token-count.js";
import { describeRevealed, revealInvisible, revealedNote } from "../../util/code-text.js";
import type { Selector } from "./selector-context.js";

/** Files larger than this are never sent whole as source context. */
const MAX_SOURCE_BYTES = 200_000;

export const moduleMapSelector: Selector = async (ctx) => {
  const lines = ctx.moduleMap.modules.map((m) => `- ${m.name}: ${m.globs.join(", ")}`);
  const origin = ctx.moduleMap.inferred ? "inferred from the tree" : "declared in .github/baton.yml";
  return [
    {
      selector: "module-map",
      label: `Module map (${ctx.moduleMap.modules.length} modules, ${origin})`,
      identity: `module-map@${ctx.configIdentity}`,
      text: `<module-map origin="${origin}">\n${lines.join("\n")}\n</module-map>`,
      truncatable: true,
      trusted: true,
    },
  ];
};

/** Directories (to depth 3) with their file counts: the shape of the repository without its contents. */
export const treeOutlineSelector: Selector = async (ctx) => {
  const files = await ctx.snapshot.listFiles();
  const counts = new Map<string, number>();
  for (const f of files) {
    const parts = f.path.split("/");
    for (let depth = 1; depth <= Math.min(3, parts.length - 1); depth++) {
      const dir = parts.slice(0, depth).join("/");
      counts.set(dir, (counts.get(dir) ?? 0) + 1);
    }
  }
  const lines = [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([dir, n]) => `${"  ".repeat(dir.split("/").length - 1)}${dir.split("/").pop()}/ (${n})`);
  const topFiles = files.filter((f) => !f.path.includes("/")).map((f) => f.path);
  return [
    {
      selector: "tree-outline",
      label: `Tree outline (${files.length} files)`,
      identity: `tree@${ctx.snapshot.commit}`,
      text: `<tree-outline>\n${topFiles.join("\n")}\n${lines.join("\n")}\n</tree-outline>`,
      truncatable: true,
      trusted: true,
    },
  ];
};

/**
 * Source files of the modules the work concerns. Sizes from the tree let us
 * stop reading once the budget is surely spent, so a 20,000-file repository
 * costs only the blobs that could fit; the rest are listed as left out.
 */
export const sourceSelector: Selector = async (ctx) => {
  if (ctx.modules.length === 0) {
    ctx.notes.push("no modules concerned: no source context");
    return [];
  }
  const files = await ctx.snapshot.listFiles();
  const wanted = new Set(pathsForModules(ctx.moduleMap, ctx.modules, files.map((f) => f.path)));
  const entries = files.filter((f) => wanted.has(f.path));
  const byteBudget = ctx.step.budget * 3.5;
  const toRead: typeof entries = [];
  let bytes = 0;
  let skipped = 0;
  for (const e of entries) {
    if ((e.size ?? 0) > MAX_SOURCE_BYTES || bytes > byteBudget) {
      skipped++;
      continue;
    }
    toRead.push(e);
    bytes += e.size ?? 0;
  }
  if (skipped) ctx.notes.push(`source: ${skipped} of ${entries.length} files of ${ctx.modules.join(", ")} not read (over budget or over ${MAX_SOURCE_BYTES} bytes)`);
  const blobs = await ctx.snapshot.readFiles(toRead.map((e) => e.path));
  const out: ContextCandidate[] = [];
  for (const e of toRead) {
    const blob = blobs.get(e.path);
    if (!blob || blob.text === null) continue;
    const { text, revealed } = revealInvisible(blob.text);
    const note = revealed.length ? `${revealedNote(e.path, revealed)}\n` : "";
    out.push({
      selector: "source:modules",
      label: `Source ${e.path}`,
      identity: `${e.path}@${e.sha}`,
      text: `<file path="${e.path}">\n${note}${text}\n</file>`,
      truncatable: countTokens(text) > 400,
      trusted: true,
      code: true,
      ...(revealed.length ? { details: [`hidden characters made visible: ${describeRevealed(revealed)}`] } : {}),
    });
  }
  return out;
};
