import { readFullAdrs, readPitfalls } from "../../context-store/load-context-store.js";
import type { ContextCandidate } from "../context-candidate.js";
import { relatedAdrs } from "./adr-selectors.js";
import { isInForce, type Selector } from "./selector-context.js";

/** The pitfalls of the modules the work concerns, read from the trusted commit. */
export const pitfallsSelector: Selector = async (ctx) => {
  if (ctx.modules.length === 0) return [];
  const found = await readPitfalls(ctx.snapshot, ctx.store, ctx.modules, ctx.notes);
  const missing = ctx.modules.filter((m) => !found.some((p) => p.module === m));
  if (missing.length) ctx.notes.push(`no pitfalls recorded yet for: ${missing.join(", ")}`);
  return found.map(
    (p): ContextCandidate => ({
      selector: "pitfalls:modules",
      label: `Pitfalls of ${p.module} (${p.file.entries.length} entries)`,
      identity: `${p.path}@${p.sha}`,
      text: `<pitfalls module="${p.module}" path="${p.path}">\n${p.text.trim()}\n</pitfalls>`,
      truncatable: true,
      trusted: true,
    }),
  );
};

/** The `### <module>` guidance of linked and related ADRs in force, for the modules the work concerns. */
export const guidanceSelector: Selector = async (ctx) => {
  const wanted = new Set(ctx.modules);
  // A linked ADR sent whole (adr:linked) already carries its guidance: do not pay for it twice.
  const linked = ctx.step.inputs.includes("adr:linked") ? [] : ctx.linked;
  const sources = [...linked, ...relatedAdrs(ctx)].filter(isInForce);
  // Reading the same ADRs as adr:related: the records come from the cache, and a failure was already noted there.
  const full = await readFullAdrs(ctx.snapshot, sources, []);
  const out: ContextCandidate[] = [];
  for (const adr of sources) {
    for (const [module, guidance] of Object.entries(full.get(adr)?.guidance ?? {})) {
      if (!wanted.has(module) || !guidance.trim()) continue;
      out.push({
        selector: "guidance:modules",
        label: `Guidance for ${module} from ADR ${adr.record.number ?? "?"}`,
        identity: `${adr.path}@${adr.sha}#guidance/${module}`,
        text: `<guidance module="${module}" adr="${adr.path}">\n${guidance.trim()}\n</guidance>`,
        truncatable: true,
        trusted: true,
      });
    }
  }
  return out;
};
