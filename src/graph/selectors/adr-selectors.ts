import { createHash } from "node:crypto";
import type { AdrRecord } from "../../context-store/adr/adr-record.js";
import { readFullAdrs, type StoredAdr } from "../../context-store/load-context-store.js";
import type { ContextCandidate } from "../context-candidate.js";
import { adrLabel, isInForce, type Selector, type SelectorContext } from "./selector-context.js";

function adrCandidate(adr: StoredAdr, record: AdrRecord, selector: "adr:linked" | "adr:related"): ContextCandidate {
  return {
    selector,
    label: adrLabel(adr),
    identity: `${adr.path}@${adr.sha}`,
    text: `<adr path="${adr.path}">\n${renderAdrForModel(record)}\n</adr>`,
    truncatable: selector === "adr:linked",
    trusted: true,
  };
}

/** The ADR as the model should read it: its sections, which already carry the decision and guidance. */
function renderAdrForModel(r: AdrRecord): string {
  const head = [`# ${r.title}`, `status: ${r.status}`, r.date ? `date: ${r.date}` : "", r.modules.length ? `modules: ${r.modules.join(", ")}` : ""]
    .filter(Boolean)
    .join("\n");
  // A `##` section's body already holds its `###` subsections: list those only when no `##` section encloses them.
  let enclosed = false;
  const body = r.sections
    .filter((s) => {
      if (s.depth <= 2) enclosed = true;
      return s.depth <= 2 || !enclosed;
    })
    .map((s) => `${"#".repeat(s.depth)} ${s.heading}\n${s.body}`)
    .join("\n\n");
  return `${head}\n\n${body}`.trim();
}

/** ADRs the work explicitly links, in the order they were linked. */
export const linkedAdrSelector: Selector = async (ctx) => {
  for (const adr of ctx.linked) {
    if (!isInForce(adr)) ctx.notes.push(`${adrLabel(adr)} is linked but no longer in force`);
  }
  return candidates(ctx, ctx.linked, "adr:linked");
};

/** ADRs in force that cover the modules the work concerns (through the module map), newest first, accepted before proposed. */
export const relatedAdrSelector: Selector = async (ctx) => {
  const beyond = relatedBeyondLimit(ctx);
  if (beyond > 0) ctx.notes.push(`adr:related: ${beyond} older ADRs on these modules not considered (newest ${RELATED_ADRS_PER_MODULE} per module)`);
  return candidates(ctx, relatedAdrs(ctx), "adr:related");
};

/** The ADRs' full records (read in the bounded worker); one that cannot be read is left out, and the notes say why. */
async function candidates(ctx: SelectorContext, adrs: StoredAdr[], selector: "adr:linked" | "adr:related"): Promise<ContextCandidate[]> {
  const full = await readFullAdrs(ctx.snapshot, adrs, ctx.notes);
  return adrs.flatMap((adr) => {
    const record = full.get(adr);
    return record ? [adrCandidate(adr, record, selector)] : [];
  });
}

/**
 * At most this many related ADRs per concerned module: the newest decisions
 * in force. A repository with hundreds of ADRs on one module would otherwise
 * spend the whole budget on them and leave out the diff.
 */
export const RELATED_ADRS_PER_MODULE = 5;

export function relatedAdrs(ctx: Pick<SelectorContext, "store" | "linked" | "modules">): StoredAdr[] {
  if (ctx.modules.length === 0) return [];
  const linked = new Set(ctx.linked.map((a) => a.path));
  const rank = (a: StoredAdr) => (a.record.status === "accepted" ? 0 : 1);
  const candidates = ctx.store.adrs
    .filter((a) => !linked.has(a.path) && isInForce(a))
    .sort((a, b) => rank(a) - rank(b) || (b.record.number ?? -1) - (a.record.number ?? -1) || a.path.localeCompare(b.path));
  const chosen = new Set<StoredAdr>();
  for (const module of ctx.modules) {
    for (const adr of candidates.filter((a) => a.record.modules.includes(module)).slice(0, RELATED_ADRS_PER_MODULE)) chosen.add(adr);
  }
  return candidates.filter((a) => chosen.has(a));
}

/** How many ADRs in force cover the concerned modules beyond the per-module limit (said in the manifest). */
export function relatedBeyondLimit(ctx: Pick<SelectorContext, "store" | "linked" | "modules">): number {
  const wanted = new Set(ctx.modules);
  const linked = new Set(ctx.linked.map((a) => a.path));
  const all = ctx.store.adrs.filter((a) => !linked.has(a.path) && isInForce(a) && a.record.modules.some((m) => wanted.has(m))).length;
  return all - relatedAdrs(ctx).length;
}

/** A compact index of every ADR, so the model knows what has been decided (and can propose supersession). */
export const adrIndexSelector: Selector = async (ctx) => {
  const adrs = ctx.store.adrs;
  if (!ctx.store.adrFolder) {
    ctx.notes.push("no ADR folder yet: the index is empty");
    return [];
  }
  const hash = createHash("sha1");
  for (const a of adrs) hash.update(`${a.path}@${a.sha}\n`);
  const lines = adrs.map((a) => {
    const r = a.record;
    const extra = [r.modules.length ? `modules: ${r.modules.join(", ")}` : "", r.supersededBy.length ? `superseded by ${r.supersededBy.join(", ")}` : ""]
      .filter(Boolean)
      .join("; ");
    return `- ${r.number ?? "?"} | ${r.status} | ${r.title} | ${a.path}${extra ? ` | ${extra}` : ""}`;
  });
  // Newest decisions matter most when the index must be cut: list them first.
  lines.reverse();
  return [
    {
      selector: "adr:index",
      label: `ADR index (${adrs.length} ADRs in ${ctx.store.adrFolder})`,
      identity: `${ctx.store.adrFolder}@index:${hash.digest("hex").slice(0, 12)}`,
      text: `<adr-index folder="${ctx.store.adrFolder}">\n${lines.join("\n")}\n</adr-index>`,
      truncatable: true,
      trusted: true,
    },
  ];
};
