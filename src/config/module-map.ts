import picomatch from "picomatch";
import type { BatonConfig } from "./config-schema.js";
import { inferModules } from "./infer-modules.js";

/**
 * The one module map (module name → path globs) every step uses, so that
 * dev and review see the same scope. Declared in `.github/baton.yml` or
 * inferred from the tree.
 *
 * Glob semantics (picomatch, dotfiles included):
 * - `src/api/**` matches everything below `src/api` (and `src/api` itself);
 * - a plain path without glob characters (`src/api`, `src/api/`) means that
 *   file or folder and everything below it, like .gitignore;
 * - `!glob` excludes paths from the module's other globs; a module with only
 *   exclusions covers everything else.
 */

export interface ModuleDefinition {
  name: string;
  globs: string[];
}

export interface ModuleMap {
  modules: ModuleDefinition[];
  inferred: boolean;
  /** How the map was made, when a person should know (inferred modules). */
  note?: string;
}

export function buildModuleMap(config: BatonConfig, paths: readonly string[]): ModuleMap {
  const declared = Object.entries(config.modules ?? {});
  if (declared.length > 0) return { modules: declared.map(([name, globs]) => ({ name, globs: [...globs] })), inferred: false };
  const inferred = inferModules(paths);
  if (config.modules === undefined) return inferred;
  return { ...inferred, note: `\`modules:\` is empty; ${inferred.note ?? "modules inferred from the tree"}` };
}

// ------------------------------------------------------------- compilation

type Test = (path: string) => boolean;

interface CompiledGlob {
  /** Position of the module's name in sorted order: results sort as numbers. */
  rank: number;
  test: Test;
  /** The module's `!glob` exclusions. */
  exclusions: readonly Test[];
}

/**
 * Globs indexed by what a path must contain for them to match, so a path is
 * only tested against globs that could match it: a 20,000-path tree against
 * 50 modules costs a few map lookups per path instead of 50+ regex runs.
 * - "base": the glob's literal folder (`src/api` for `src/api/**`), looked up for every folder prefix of the path;
 * - "ext": `**\/*.md` and the like, looked up for every extension of the path's file name;
 * - base "" holds the rest (`{src,lib}/**`, `*.ts`), tested on every path.
 */
export interface CompiledModuleMap {
  readonly names: readonly string[];
  /** Module names containing `path`, sorted. */
  modulesFor(path: string): string[];
}

const PICOMATCH_OPTIONS = { dot: true } as const;
const MATCHER_CACHE_LIMIT = 10_000;
// Keyed by glob text: repositories share most globs, and a regex is the costly part.
const matcherCache = new Map<string, Test>();

function matcherFor(glob: string): Test {
  let test = matcherCache.get(glob);
  if (test === undefined) {
    if (matcherCache.size >= MATCHER_CACHE_LIMIT) matcherCache.clear();
    // The bare regex: picomatch's matcher function builds a result object per call,
    // which dominates when 20,000 paths go through it.
    const regex = picomatch.makeRe(glob, PICOMATCH_OPTIONS);
    test = (path) => regex.test(path) || path === glob;
    matcherCache.set(glob, test);
  }
  return test;
}

// `**/*.md`, `**/*.test.ts`: the commonest cross-cutting globs, and the slowest picomatch regexes.
const ANY_FOLDER_EXTENSION = /^\*\*\/\*(\.[A-Za-z0-9_-][A-Za-z0-9._-]*)$/;

/** Normalize one glob and say how to index and test it. */
function compileGlob(raw: string): { kind: "base" | "ext"; key: string; test: Test } | undefined {
  const glob = raw.trim().replace(/^(?:\.\/)+/, "").replace(/^\/+/, "");
  if (glob === "") return undefined;
  const extension = ANY_FOLDER_EXTENSION.exec(glob)?.[1];
  if (extension !== undefined) return { kind: "ext", key: extension, test: (path) => path.endsWith(extension) };
  const scan = picomatch.scan(glob);
  if (!scan.isGlob) {
    // A plain path: that file, or that folder and everything below it.
    const literal = glob.replace(/\/+$/, "");
    if (literal === "") return { kind: "base", key: "", test: () => true };
    const prefix = `${literal}/`;
    return { kind: "base", key: literal, test: (path) => path === literal || path.startsWith(prefix) };
  }
  const base = scan.base.replace(/\/+$/, "");
  // An escaped character in the base makes it unsafe as a literal key: test that glob on every path.
  return { kind: "base", key: base.includes("\\") ? "" : base, test: matcherFor(glob) };
}

function normalizePath(path: string): string {
  const first = path.charCodeAt(0);
  // Tree paths never start with "." + "/" or "/": skip the regex for them.
  return first === 46 /* . */ || first === 47 /* / */ ? path.replace(/^(?:\.\/|\/)+/, "") : path;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byNumber = (a: number, b: number): number => a - b;

// Hot path helpers: module-level functions, so nothing is allocated per path.
function anyMatches(tests: readonly Test[], path: string): boolean {
  for (const test of tests) if (test(path)) return true;
  return false;
}

function collect(candidates: readonly CompiledGlob[] | undefined, path: string, hits: number[]): void {
  if (candidates === undefined) return;
  for (const glob of candidates) {
    if (hits.includes(glob.rank) || !glob.test(path) || anyMatches(glob.exclusions, path)) continue;
    hits.push(glob.rank);
  }
}

function addTo(index: Map<string, CompiledGlob[]>, key: string, glob: CompiledGlob): void {
  const list = index.get(key);
  if (list) list.push(glob);
  else index.set(key, [glob]);
}

export function compileModuleMap(map: ModuleMap): CompiledModuleMap {
  const names = map.modules.map((module) => module.name);
  const sortedNames = [...new Set(names)].sort(compare);
  const byBase = new Map<string, CompiledGlob[]>();
  const byExtension = new Map<string, CompiledGlob[]>();

  for (const module of map.modules) {
    const rank = sortedNames.indexOf(module.name);
    const isNegated = (glob: string): boolean => glob.trim().startsWith("!");
    const positives = module.globs.filter((glob) => !isNegated(glob));
    const exclusions = module.globs
      .filter(isNegated)
      .map((glob) => compileGlob(glob.trim().slice(1))?.test)
      .filter((test): test is Test => test !== undefined);
    // Only exclusions: the module is everything else.
    for (const glob of positives.length > 0 || exclusions.length === 0 ? positives : ["**"]) {
      const compiled = compileGlob(glob);
      if (compiled === undefined) continue;
      addTo(compiled.kind === "ext" ? byExtension : byBase, compiled.key, { rank, test: compiled.test, exclusions });
    }
  }

  const always = byBase.get("");

  function modulesFor(rawPath: string): string[] {
    const path = normalizePath(rawPath);
    const hits: number[] = [];
    collect(always, path, hits);
    for (let slash = path.indexOf("/"); slash >= 0; slash = path.indexOf("/", slash + 1)) collect(byBase.get(path.slice(0, slash)), path, hits);
    collect(byBase.get(path), path, hits);
    if (byExtension.size > 0) {
      const fileName = path.lastIndexOf("/") + 1;
      for (let dot = path.indexOf(".", fileName); dot >= 0; dot = path.indexOf(".", dot + 1)) collect(byExtension.get(path.slice(dot)), path, hits);
    }
    return hits.sort(byNumber).map((rank) => sortedNames[rank] as string);
  }

  return { names, modulesFor };
}

// Module maps are plain data built once per job: compile each map once.
const compiledMaps = new WeakMap<ModuleMap, CompiledModuleMap>();

function compiled(map: ModuleMap): CompiledModuleMap {
  let result = compiledMaps.get(map);
  if (result === undefined) {
    result = compileModuleMap(map);
    compiledMaps.set(map, result);
  }
  return result;
}

/** Modules containing `path`, sorted. Treats `map` as immutable (compiled once, cached). */
export function modulesForPath(map: ModuleMap, path: string): string[] {
  return compiled(map).modulesFor(path);
}

/** Modules containing any of `paths`, sorted and unique. */
export function modulesForPaths(map: ModuleMap, paths: readonly string[]): string[] {
  const { modulesFor } = compiled(map);
  const found = new Set<string>();
  for (const path of paths) for (const name of modulesFor(path)) found.add(name);
  return [...found].sort(compare);
}

/** The paths of `allPaths` (in their order) that belong to any of `modules`. */
export function pathsForModules(map: ModuleMap, modules: readonly string[], allPaths: readonly string[]): string[] {
  const wanted = new Set(modules);
  if (wanted.size === 0) return [];
  const { modulesFor } = compiled(map);
  return allPaths.filter((path) => modulesFor(path).some((name) => wanted.has(name)));
}
