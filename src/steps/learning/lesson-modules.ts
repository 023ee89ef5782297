import { inlineCode } from "../../util/posted-text.js";

/** The module every lesson may go to when it belongs to no module of the map. */
export const GENERAL_MODULE = "general";

/**
 * A lesson's `--module` must name a module of the map (or `general`): a typo
 * would otherwise start a pitfall file nobody's steps ever read. Returns the
 * refusal, listing the known modules, or null when every name is known.
 */
export function unknownModulesMessage(asked: readonly string[], known: readonly string[], style: "markdown" | "plain" = "markdown"): string | null {
  const unknown = asked.filter((m) => m !== GENERAL_MODULE && !known.includes(m));
  if (unknown.length === 0) return null;
  const name = (m: string) => (style === "markdown" ? inlineCode(m) : m);
  const list = [...known, GENERAL_MODULE].map(name).join(", ");
  return `${unknown.length === 1 ? "There is no module" : "There are no modules"} ${unknown.map(name).join(", ")} in the module map. Known modules: ${list}.`;
}
