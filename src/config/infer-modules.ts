import { escapeGlob } from "../policy/glob-limits.js";
import type { ModuleDefinition, ModuleMap } from "./module-map.js";

/**
 * Modules for repositories that declare none: read them off the tree, the
 * way a newcomer would (`packages/api`, `src/web`, `cmd/server`), and say
 * how in the map's note so a person can decide to declare them instead.
 */

/** Top-level folders whose sub-folders are, by convention, modules. */
export const MODULE_ROOTS = ["src", "packages", "apps", "services", "libs", "lib", "cmd", "internal", "pkg", "crates"] as const;

/** Top-level folders that hold no product code, skipped by the fallback. */
const NOT_SOURCE = new Set([
  "docs", "doc", "test", "tests", "spec", "specs", "__tests__", "e2e", "examples", "example", "fixtures",
  "scripts", "tools", "bench", "benchmarks", "node_modules", "vendor", "third_party", "dist", "build", "out",
  "target", "coverage", "assets", "public", "static", "bin",
]);

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|py|go|rs|java|kt|kts|scala|rb|php|cs|fs|swift|m|mm|c|cc|cpp|cxx|h|hh|hpp|ex|exs|erl|clj|cljs|dart|lua|r|jl|hs|ml|vue|svelte|sql|sh|zig|nim)$/i;

const NOTE_LIST_LIMIT = 12;
const DECLARE_HINT = "declare them under `modules:` in .github/baton.yml to choose";

// Module names become file names (docs/pitfalls/<module>.md) and must pass the config's own rule.
function moduleName(folder: string): string | undefined {
  const name = folder.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").replace(/-+$/, "");
  return name === "" ? undefined : name;
}

// Hidden folders and `__tests__`-style folders are tooling, not modules.
const isToolingFolder = (folder: string): boolean => folder.startsWith(".") || /^__.*__$/.test(folder);

function listForNote(folders: readonly string[]): string {
  if (folders.length <= NOTE_LIST_LIMIT) return folders.join(", ");
  return `${folders.slice(0, NOTE_LIST_LIMIT).join(", ")} and ${folders.length - NOTE_LIST_LIMIT} more`;
}

/** Give every module a distinct name: `api` when unique, `packages-api` and `src-api` when two roots share it. */
function nameModules(folders: readonly { root: string; folder: string }[]): ModuleDefinition[] {
  const counts = new Map<string, number>();
  const named = folders.flatMap(({ root, folder }) => {
    const name = moduleName(folder);
    if (name === undefined) return [];
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return [{ root, folder, name }];
  });
  const used = new Set<string>();
  return named.map(({ root, folder, name }) => {
    const base = (counts.get(name) ?? 0) > 1 && root !== "" ? `${root}-${name}` : name;
    let unique = base;
    for (let i = 2; used.has(unique); i++) unique = `${base}-${i}`;
    used.add(unique);
    const dir = root === "" ? folder : `${root}/${folder}`;
    // Folder names come from the tree: escaped, a folder named `*a*a*a*b` is a literal, not a costly glob.
    return { name: unique, globs: [`${escapeGlob(dir)}/**`] };
  });
}

/** Folders `<root>/<x>/` that hold at least one file (at any depth), sorted. */
function foldersUnderRoots(paths: readonly string[]): { root: string; folder: string }[] {
  const roots = new Set<string>(MODULE_ROOTS);
  const seen = new Set<string>();
  const found: { root: string; folder: string }[] = [];
  for (const path of paths) {
    const first = path.indexOf("/");
    if (first <= 0) continue;
    const root = path.slice(0, first);
    if (!roots.has(root)) continue;
    const second = path.indexOf("/", first + 1);
    if (second < 0) continue; // a file directly under the root: not a module
    const folder = path.slice(first + 1, second);
    const key = `${root}/${folder}`;
    if (folder === "" || isToolingFolder(folder) || seen.has(key)) continue;
    seen.add(key);
    found.push({ root, folder });
  }
  return found.sort((a, b) => compare(`${a.root}/${a.folder}`, `${b.root}/${b.folder}`));
}

/** Top-level folders holding source files, for repositories without the usual roots. */
function topLevelSourceFolders(paths: readonly string[]): { root: string; folder: string }[] {
  const folders = new Set<string>();
  for (const path of paths) {
    const slash = path.indexOf("/");
    if (slash <= 0) continue;
    const folder = path.slice(0, slash);
    if (folders.has(folder) || isToolingFolder(folder) || NOT_SOURCE.has(folder.toLowerCase())) continue;
    if (SOURCE_FILE.test(path)) folders.add(folder);
  }
  return [...folders].sort(compare).map((folder) => ({ root: "", folder }));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function inferModules(paths: readonly string[]): ModuleMap {
  const clean = paths.map((path) => path.replace(/^(?:\.\/|\/)+/, ""));

  const conventional = nameModules(foldersUnderRoots(clean));
  if (conventional.length > 0) {
    const dirs = conventional.map((module) => (module.globs[0] ?? "").replace(/\/\*\*$/, ""));
    return { modules: conventional, inferred: true, note: `modules inferred from the tree: ${listForNote(dirs)} (${DECLARE_HINT})` };
  }

  const topLevel = nameModules(topLevelSourceFolders(clean));
  if (topLevel.length > 0) {
    const dirs = topLevel.map((module) => (module.globs[0] ?? "").replace(/\/\*\*$/, ""));
    return {
      modules: topLevel,
      inferred: true,
      note: `no ${MODULE_ROOTS.map((root) => `${root}/<x>`).slice(0, 4).join(", ")}… folders: modules inferred from the top-level folders holding source: ${listForNote(dirs)} (${DECLARE_HINT})`,
    };
  }

  return {
    modules: [{ name: "root", globs: ["**"] }],
    inferred: true,
    note: 'no module folders found: the whole repository is one module, "root" (declare modules under `modules:` in .github/baton.yml to split it)',
  };
}
