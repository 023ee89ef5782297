/**
 * A lesson names the modules it belongs to; a misspelt name would start a new
 * pitfall file that no step ever reads. Known: the module map's modules and
 * the modules that already have a pitfall file.
 */
export function unknownModuleProblem(requested: readonly string[], known: Iterable<string>): string | null {
  const names = [...new Set(known)].sort();
  const unknown = requested.filter((m) => !names.includes(m));
  if (unknown.length === 0) return null;
  const list = names.length > 0 ? names.join(", ") : "none yet (declare them under modules: in .github/baton.yml)";
  return `unknown module${unknown.length === 1 ? "" : "s"} ${unknown.map((m) => JSON.stringify(m)).join(", ")}: the known modules are ${list}`;
}
