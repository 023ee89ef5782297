import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { defaultConfig, type BatonConfig } from "../../src/config/config-schema.js";
import { inferModules } from "../../src/config/infer-modules.js";
import { buildModuleMap, compileModuleMap, modulesForPath, modulesForPaths, pathsForModules, type ModuleMap } from "../../src/config/module-map.js";
import { assertProperty } from "../support/property.js";

const withModules = (modules: Record<string, string[]>): BatonConfig => ({ ...defaultConfig(), modules });
const declared = (modules: Record<string, string[]>): ModuleMap => buildModuleMap(withModules(modules), []);

describe("picomatch behaviour the module map relies on", () => {
  it("matches deep paths with ** and dotfiles with dot: true", () => {
    expect(picomatch("src/api/**")("src/api/x/y.ts")).toBe(true);
    expect(picomatch("src/api/**")("src/apix/y.ts")).toBe(false);
    expect(picomatch("src/*.ts")("src/a/b.ts")).toBe(false);
    expect(picomatch("src/api/**", { dot: true })("src/api/.eslintrc.json")).toBe(true);
    expect(picomatch.scan("packages/*/src/**").base).toBe("packages");
  });
});

describe("buildModuleMap", () => {
  it("uses the declared modules, in their order", () => {
    const map = buildModuleMap(withModules({ web: ["apps/web/**"], api: ["services/api/**"] }), ["src/other/x.ts"]);
    expect(map).toEqual({ modules: [{ name: "web", globs: ["apps/web/**"] }, { name: "api", globs: ["services/api/**"] }], inferred: false });
  });

  it("infers modules when none are declared, and says how", () => {
    const map = buildModuleMap(defaultConfig(), ["src/api/a.ts", "src/web/b.ts", "src/index.ts", "README.md"]);
    expect(map).toEqual({
      modules: [
        { name: "api", globs: ["src/api/**"] },
        { name: "web", globs: ["src/web/**"] },
      ],
      inferred: true,
      note: "modules inferred from the tree: src/api, src/web (declare them under `modules:` in .github/baton.yml to choose)",
    });
  });

  it("infers, with a note, when modules: is an empty mapping", () => {
    const map = buildModuleMap(withModules({}), ["src/api/a.ts"]);
    expect(map.inferred).toBe(true);
    expect(map.note).toMatch(/^`modules:` is empty; modules inferred from the tree: src\/api/);
  });
});

describe("inferModules", () => {
  it("reads a JavaScript monorepo", () => {
    const map = inferModules([
      "package.json",
      "packages/core/package.json",
      "packages/core/src/index.ts",
      "packages/ui/src/button.tsx",
      "apps/web/next.config.js",
      "apps/docs/pages/index.mdx",
      "packages/README.md",
      ".github/workflows/ci.yml",
    ]);
    expect(map.modules).toEqual([
      { name: "docs", globs: ["apps/docs/**"] },
      { name: "web", globs: ["apps/web/**"] },
      { name: "core", globs: ["packages/core/**"] },
      { name: "ui", globs: ["packages/ui/**"] },
    ]);
    expect(map.note).toBe("modules inferred from the tree: apps/docs, apps/web, packages/core, packages/ui (declare them under `modules:` in .github/baton.yml to choose)");
  });

  it("reads a Go layout and skips files directly under a root", () => {
    const map = inferModules(["go.mod", "cmd/server/main.go", "cmd/cli/main.go", "internal/store/db.go", "internal/doc.go", "pkg/auth/jwt.go"]);
    expect(map.modules.map((m) => m.globs[0])).toEqual(["cmd/cli/**", "cmd/server/**", "internal/store/**", "pkg/auth/**"]);
  });

  it("qualifies names that two roots share, and keeps names valid", () => {
    const map = inferModules(["src/api/a.ts", "services/api/main.py", "libs/My Lib/x.ts", "src/__tests__/a.test.ts", "src/.cache/x"]);
    expect(map.modules).toEqual([
      { name: "My-Lib", globs: ["libs/My Lib/**"] },
      { name: "services-api", globs: ["services/api/**"] },
      { name: "src-api", globs: ["src/api/**"] },
    ]);
  });

  it("falls back to top-level folders holding source", () => {
    const map = inferModules(["README.md", "mypkg/__init__.py", "mypkg/core.py", "tests/test_core.py", "docs/index.md", "config/settings.yml"]);
    expect(map.modules).toEqual([{ name: "mypkg", globs: ["mypkg/**"] }]);
    expect(map.inferred).toBe(true);
    expect(map.note).toContain("top-level folders holding source: mypkg");
  });

  it("falls back to one root module for a flat repository or an empty tree", () => {
    for (const paths of [["README.md", "main.go", "docs/x.md"], []]) {
      const map = inferModules(paths);
      expect(map.modules).toEqual([{ name: "root", globs: ["**"] }]);
      expect(map.note).toContain('the whole repository is one module, "root"');
    }
  });

  it("shortens long lists in the note", () => {
    const map = inferModules(Array.from({ length: 30 }, (_, i) => `packages/p${String(i).padStart(2, "0")}/index.ts`));
    expect(map.modules).toHaveLength(30);
    expect(map.note).toContain("packages/p11 and 18 more");
  });
});

describe("modulesForPath / modulesForPaths / pathsForModules", () => {
  const map = declared({
    api: ["src/api/**"],
    web: ["src/web/**", "!src/web/generated/**"],
    docs: ["**/*.md"],
    config: ["package.json", "config/"],
    shared: ["src/shared"],
    nottests: ["!**/*.test.ts"],
  });

  it("matches globs, exclusions and plain paths", () => {
    expect(modulesForPath(map, "src/api/x/y.ts")).toEqual(["api", "nottests"]);
    expect(modulesForPath(map, "src/api/x/y.test.ts")).toEqual(["api"]);
    expect(modulesForPath(map, "src/api/README.md")).toEqual(["api", "docs", "nottests"]);
    expect(modulesForPath(map, "src/web/generated/client.test.ts")).toEqual([]);
    expect(modulesForPath(map, "src/web/app.test.ts")).toEqual(["web"]);
    expect(modulesForPath(map, "package.json")).toEqual(["config", "nottests"]);
    expect(modulesForPath(map, "config/a/b.yml")).toEqual(["config", "nottests"]);
    expect(modulesForPath(map, "configs/a.yml")).toEqual(["nottests"]);
    expect(modulesForPath(map, "src/shared/util.ts")).toEqual(["nottests", "shared"]);
    expect(modulesForPath(map, "src/sharedx/util.test.ts")).toEqual([]);
    expect(modulesForPath(map, "./src/api/x.ts")).toEqual(["api", "nottests"]);
  });

  it("gives the sorted union for many paths", () => {
    expect(modulesForPaths(map, ["src/web/a.test.ts", "src/api/b.test.ts", "src/api/c.test.ts", "x.test.ts"])).toEqual(["api", "web"]);
    expect(modulesForPaths(map, [])).toEqual([]);
  });

  it("lists the paths of some modules, in the given order", () => {
    const all = ["src/web/a.ts", "src/api/b.ts", "README.md", "src/web/generated/c.ts", "src/api/d.test.ts"];
    expect(pathsForModules(map, ["api", "web"], all)).toEqual(["src/web/a.ts", "src/api/b.ts", "src/api/d.test.ts"]);
    expect(pathsForModules(map, ["docs"], all)).toEqual(["README.md"]);
    expect(pathsForModules(map, [], all)).toEqual([]);
    expect(pathsForModules(map, ["unknown"], all)).toEqual([]);
  });

  it("agrees with testing every glob with picomatch directly", () => {
    const globsMap = declared({ a: ["src/a/**", "lib/**/*.ts"], b: ["{src,lib}/b/**"], c: ["**/index.*"], d: ["src/*/x.ts"] });
    const paths = ["src/a/index.ts", "lib/deep/x.ts", "lib/b/y.js", "src/b/x.ts", "src/c/x.ts", "index.js", "src/a", "lib/x.ts"];
    for (const path of paths) {
      const expected = globsMap.modules.filter((m) => m.globs.some((g) => picomatch(g, { dot: true })(path))).map((m) => m.name).sort();
      expect(modulesForPath(globsMap, path), path).toEqual(expected);
    }
  });

  it("agrees with picomatch on random trees and globs (property)", () => {
    const segment = fc.constantFrom("src", "lib", "api", "web", "a.b", ".github", "index.ts", "x.test.ts", "README.md", "b");
    const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join("/"));
    const glob = fc.constantFrom("src/**", "src/api/**", "**/*.md", "**/*.test.ts", "**/*.ts", "lib/*/index.ts", "{src,lib}/web/**", "**/index.*", "*.md", "src/*", ".github/**", "**/b/**");
    const modules = fc.array(fc.array(glob, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 });
    const matchers = new Map<string, (path: string) => boolean>();
    const reference = (g: string): ((path: string) => boolean) => {
      if (!matchers.has(g)) matchers.set(g, picomatch(g, { dot: true }));
      return matchers.get(g) as (path: string) => boolean;
    };
    assertProperty(
      fc.property(modules, fc.array(path, { maxLength: 20 }), (globLists, paths) => {
        const map = declared(Object.fromEntries(globLists.map((globs, i) => [`m${i}`, globs])));
        for (const p of paths) {
          const expected = map.modules.filter((m) => m.globs.some((g) => reference(g)(p))).map((m) => m.name).sort();
          expect(modulesForPath(map, p), p).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  // Speed is measured in bench/ (docs/performance.md), never asserted here.
  it("maps 20,000 paths against 50 modules", () => {
    const modules = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`m${i}`, i % 10 === 0 ? [`packages/p${i}/**`, `**/*.m${i}`] : [`packages/p${i}/**`, `!packages/p${i}/dist/**`]]),
    );
    const big = declared(modules);
    const paths = Array.from({ length: 20_000 }, (_, i) => `packages/p${i % 60}/src/dir${i % 7}/file${i}.ts`);
    const compiledMap = compileModuleMap(big);
    let hits = 0;
    for (const path of paths) hits += compiledMap.modulesFor(path).length;
    expect(hits).toBe(paths.filter((_, i) => i % 60 < 50).length);
  });
});
