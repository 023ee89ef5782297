import type { BatonConfig, InputSelector } from "../config/config-schema.js";
import { buildModuleMap, modulesForPaths, type ModuleMap } from "../config/module-map.js";
import { loadContextStore, type ContextStore, type StoredAdr } from "../context-store/load-context-store.js";
import type { RepoSnapshot } from "../snapshot/repo-snapshot.js";
import { allocateBudget } from "./allocate-budget.js";
import type { ContextBlock, ContextCandidate } from "./context-candidate.js";
import type { Manifest } from "./manifest.js";
import { adrIndexSelector, linkedAdrSelector, relatedAdrSelector } from "./selectors/adr-selectors.js";
import { diffSelector } from "./selectors/diff-selector.js";
import { guidanceSelector, pitfallsSelector } from "./selectors/module-selectors.js";
import { moduleMapSelector, sourceSelector, treeOutlineSelector } from "./selectors/repository-selectors.js";
import type { Selector, SelectorContext } from "./selectors/selector-context.js";
import { specSelector } from "./selectors/spec-selector.js";
import { sourceOutlineSelector } from "./selectors/outline-selector.js";
import type { StepDeclaration } from "./step-declaration.js";
import { asSent } from "./text-as-sent.js";
import type { SpecRef, StepTrigger } from "./step-trigger.js";

const SELECTORS: Record<InputSelector, Selector> = {
  spec: specSelector,
  "adr:linked": linkedAdrSelector,
  "adr:related": relatedAdrSelector,
  "adr:index": adrIndexSelector,
  "pitfalls:modules": pitfallsSelector,
  "guidance:modules": guidanceSelector,
  "module-map": moduleMapSelector,
  "tree-outline": treeOutlineSelector,
  diff: diffSelector,
  "source:modules": sourceSelector,
  "source:outline": sourceOutlineSelector,
};

export interface ResolveArgs {
  step: StepDeclaration;
  snapshot: RepoSnapshot;
  config: BatonConfig;
  configIdentity?: string;
  trigger: StepTrigger;
  /** Reuse a store already loaded from the same snapshot (one event may resolve several steps). */
  store?: ContextStore;
  moduleMap?: ModuleMap;
}

export interface ResolvedContext {
  step: StepDeclaration;
  blocks: ContextBlock[];
  manifest: Manifest;
  store: ContextStore;
  moduleMap: ModuleMap;
  modules: string[];
  linked: StoredAdr[];
}

/**
 * Resolves what a step is given: runs each declared selector against the
 * snapshot (in declared order, which is the priority order), then budgets
 * the candidates. Pure apart from the snapshot reads.
 */
export async function resolveContext(args: ResolveArgs): Promise<ResolvedContext> {
  const { step, snapshot, config, trigger } = args;
  const notes: string[] = [];
  const store = args.store ?? (await loadContextStore(snapshot, config));
  const files = await snapshot.listFiles();
  const moduleMap = args.moduleMap ?? buildModuleMap(config, files.map((f) => f.path));
  if (moduleMap.note) notes.push(moduleMap.note);
  notes.push(store.adrFolder ? `ADR folder ${store.adrFolder} (${store.adrFolderReason}), ${store.adrs.length} ADRs` : `no ADR folder (${store.adrFolderReason})`);
  notes.push(...store.warnings);
  notes.push(...(trigger.notes ?? []));

  const linked = findLinkedAdrs(store, trigger);
  const modules = concernedModules(moduleMap, trigger, linked, await specText(snapshot, trigger.spec));
  if (modules.length) notes.push(`modules concerned: ${modules.join(", ")}`);

  const ctx: SelectorContext = {
    step,
    snapshot,
    config,
    configIdentity: args.configIdentity ?? "defaults",
    store,
    moduleMap,
    trigger,
    modules,
    linked,
    notes,
  };
  const candidates: ContextCandidate[] = [];
  for (const selector of step.inputs) {
    candidates.push(...(await SELECTORS[selector](ctx)).map(asSent));
  }
  const allocation = allocateBudget(candidates, step.budget);
  const manifest: Manifest = {
    step: { id: step.id, version: step.version },
    model: step.model,
    commit: snapshot.commit,
    budget: step.budget,
    usedTokens: allocation.usedTokens,
    inputs: allocation.blocks.map((b) => ({
      selector: b.selector,
      label: b.label,
      identity: b.identity,
      tokens: b.tokens,
      ...(b.truncated ? { truncated: b.truncated } : {}),
      ...(b.details?.length ? { details: b.details } : {}),
    })),
    omitted: allocation.omitted,
    notes,
  };
  return { step, blocks: allocation.blocks, manifest, store, moduleMap, modules, linked };
}

/** ADRs linked explicitly (by number or path), and those whose front matter names the spec. */
export function findLinkedAdrs(store: ContextStore, trigger: StepTrigger): StoredAdr[] {
  const out: StoredAdr[] = [];
  const add = (adr: StoredAdr | undefined) => {
    if (adr && !out.includes(adr)) out.push(adr);
  };
  for (const link of trigger.linkedAdrs ?? []) {
    if (typeof link === "number") add(store.adrs.find((a) => a.record.number === link));
    else add(store.adrs.find((a) => a.path === link || a.path.endsWith(`/${link}`)));
  }
  const specKey = specKeyOf(trigger.spec);
  if (specKey) {
    for (const adr of store.adrs) if (adr.record.spec && normaliseSpecKey(adr.record.spec) === specKey) add(adr);
  }
  return out;
}

function specKeyOf(spec: SpecRef | undefined): string | null {
  if (!spec) return null;
  if (spec.kind === "issue") return `#${spec.number}`;
  if (spec.kind === "file") return spec.path;
  return null;
}

/** `#12`, `12`, `issue #12` and issue URLs all name issue 12; paths are compared as written. */
export function normaliseSpecKey(spec: string): string {
  const s = spec.trim();
  const issue = /^(?:issue\s*)?#?(\d+)$/i.exec(s) ?? /\/issues\/(\d+)\/?$/.exec(s);
  return issue ? `#${issue[1]}` : s.replace(/^\.\//, "");
}

/** The spec's words, for finding the modules it names (a committed spec is read at the pinned commit). */
async function specText(snapshot: RepoSnapshot, spec: SpecRef | undefined): Promise<string> {
  if (!spec) return "";
  if (spec.kind === "issue") return `${spec.title}\n${spec.body}`;
  if (spec.kind === "text") return spec.text;
  return (await snapshot.readFiles([spec.path])).get(spec.path)?.text ?? "";
}

function concernedModules(map: ModuleMap, trigger: StepTrigger, linked: StoredAdr[], spec: string): string[] {
  const set = new Set<string>(trigger.modules ?? []);
  for (const m of modulesForPaths(map, trigger.changedPaths ?? trigger.diff?.files.map((f) => f.path) ?? [])) set.add(m);
  for (const adr of linked) for (const m of adr.record.modules) set.add(m);
  if (spec) {
    // A spec that names a module (as a word, or by its folder) concerns it: deterministic, not guessed.
    const text = spec;
    for (const m of map.modules) {
      const folder = m.globs[0]?.replace(/\/?\*\*.*$/, "");
      const word = new RegExp(`(^|[^\\w-])${m.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^\\w-]|$)`, "i");
      if (word.test(text) || (folder && folder.includes("/") && text.includes(folder))) set.add(m.name);
    }
  }
  return [...set].sort();
}
