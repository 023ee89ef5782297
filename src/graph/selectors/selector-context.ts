import type { BatonConfig } from "../../config/config-schema.js";
import type { ModuleMap } from "../../config/module-map.js";
import type { ContextStore, StoredAdr } from "../../context-store/load-context-store.js";
import type { RepoSnapshot } from "../../snapshot/repo-snapshot.js";
import type { ContextCandidate } from "../context-candidate.js";
import type { StepDeclaration } from "../step-declaration.js";
import type { StepTrigger } from "../step-trigger.js";

/** Everything a selector may look at; selectors only read. */
export interface SelectorContext {
  step: StepDeclaration;
  snapshot: RepoSnapshot;
  config: BatonConfig;
  /** Identity of the configuration used (`.github/baton.yml@sha` or `defaults`). */
  configIdentity: string;
  store: ContextStore;
  moduleMap: ModuleMap;
  trigger: StepTrigger;
  /** Modules the work concerns: named, changed, or those of the linked ADRs. */
  modules: string[];
  linked: StoredAdr[];
  notes: string[];
}

export type Selector = (ctx: SelectorContext) => Promise<ContextCandidate[]>;

export function adrLabel(adr: StoredAdr): string {
  const n = adr.record.number;
  return `${n === null ? "ADR" : `ADR ${n}`}: ${adr.record.title} (${adr.record.status})`;
}

/** ADRs that are no longer in force are not offered as related context. */
export function isInForce(adr: StoredAdr): boolean {
  return !["superseded", "rejected", "deprecated"].includes(adr.record.status);
}
