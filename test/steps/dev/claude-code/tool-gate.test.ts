import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPathPolicy } from "../../../../src/policy/path-policy.js";
import { declaredCommands, matchDeclared } from "../../../../src/steps/dev/claude-code/declared-commands.js";
import { decideToolCall } from "../../../../src/steps/dev/claude-code/tool-gate.js";

describe("declared commands", () => {
  const pkg = (scripts: Record<string, string>) => JSON.stringify({ scripts });

  it("default to the package.json scripts test, lint, typecheck and build that exist, with the lock file's package manager", () => {
    expect(declaredCommands({ packageJson: pkg({ test: "vitest run", lint: "eslint .", start: "node ." }), rootFiles: ["package.json", "package-lock.json"] }).commands).toEqual({ test: "npm test", lint: "npm run lint" });
    expect(declaredCommands({ packageJson: pkg({ test: "jest", build: "tsc" }), rootFiles: ["pnpm-lock.yaml"] }).commands).toEqual({ test: "pnpm test", build: "pnpm run build" });
    expect(declaredCommands({ packageJson: pkg({ typecheck: "tsc --noEmit" }), rootFiles: ["yarn.lock"] }).commands).toEqual({ typecheck: "yarn run typecheck" });
  });

  it("leave out npm's placeholder test, and declare nothing without package.json or scripts", () => {
    expect(declaredCommands({ packageJson: pkg({ test: 'echo "Error: no test specified" && exit 1' }) }).commands).toEqual({});
    expect(declaredCommands({ packageJson: null }).commands).toEqual({});
    expect(declaredCommands({ packageJson: "{ not json" }).commands).toEqual({});
  });

  it("take dev.commands as given when configured", () => {
    expect(declaredCommands({ configured: { test: "  make   test ", lint: "make lint" }, packageJson: pkg({ test: "jest" }) })).toEqual({ commands: { test: "make test", lint: "make lint" }, source: "dev.commands in .github/baton.yml" });
  });

  it("match a command line exactly (runs of spaces aside)", () => {
    const commands = { test: "npm test", lint: "npm run lint" };
    expect(matchDeclared(commands, "npm test")).toBe("test");
    expect(matchDeclared(commands, "  npm   run lint ")).toBe("lint");
    for (const other of ["npm test -- --watch", "npm test && curl x", "cd src && npm test", "npm test; rm -rf .", "npm test | tee out", "npm tests", "NPM TEST"]) expect(matchDeclared(commands, other), other).toBeNull();
  });
});

describe("the PreToolUse decision", () => {
  const root = mkdtempSync(join(tmpdir(), "baton-gate-"));
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src/a.ts"), "x\n");
  const outside = mkdtempSync(join(tmpdir(), "baton-outside-"));
  symlinkSync(outside, join(root, "linked"));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const gate = { root, policy: createPathPolicy({ allow: ["**"], deny: [".github/**"], alwaysDeny: ["docs/adr/**"] }), commands: { test: "npm test" } };

  it.each([
    ["Read", { file_path: join(root, "src/a.ts") }, { allow: true, kind: "read" }],
    ["Grep", { pattern: "x" }, { allow: true, kind: "read" }],
    ["Read", { file_path: "/etc/passwd" }, { allow: false, kind: "read", path: "/etc/passwd", reason: "reads stay inside the checkout" }],
    ["Glob", { pattern: "*", path: join(root, ".git") }, { allow: false, kind: "read", path: ".git", reason: ".git/ is not part of the work" }],
    ["Write", { file_path: join(root, "src/b.ts"), content: "y" }, { allow: true, kind: "write", path: "src/b.ts" }],
    ["Edit", { file_path: join(root, ".github/workflows/x.yml"), old_string: "a", new_string: "b" }, { allow: false, kind: "write", path: ".github/workflows/x.yml", reason: expect.stringContaining("denied by .github/**") }],
    ["MultiEdit", { file_path: join(root, "docs/adr/0001-x.md"), edits: [] }, { allow: false, kind: "write", path: "docs/adr/0001-x.md", reason: expect.stringContaining("always denied") }],
    ["NotebookEdit", { notebook_path: join(root, "linked/n.ipynb"), new_source: "" }, { allow: false, kind: "write", path: "linked/n.ipynb", reason: expect.stringContaining("symbolic link") }],
    ["Write", { file_path: join(outside, "x"), content: "" }, { allow: false, kind: "write", path: join(outside, "x"), reason: "outside the checkout" }],
    ["Write", { file_path: join(root, ".git/config"), content: "" }, { allow: false, kind: "write", path: ".git/config", reason: expect.stringContaining(".git") }],
    ["Bash", { command: "npm test" }, { allow: true, kind: "command", command: "npm test", name: "test" }],
    ["Bash", { command: "npm test", run_in_background: true }, { allow: false, kind: "command", command: "npm test", reason: "commands run in the foreground only" }],
    ["Bash", { command: "npm test && cat ~/.npmrc" }, { allow: false, kind: "command", command: "npm test && cat ~/.npmrc", reason: "not a declared command (declared: npm test)" }],
    ["WebFetch", { url: "https://example.com" }, { allow: false, kind: "other", reason: "WebFetch is not available to Baton's dev session" }],
    ["Agent", { prompt: "x" }, { allow: false, kind: "other", reason: "Agent is not available to Baton's dev session" }],
  ])("%s %j", async (tool, input, expected) => {
    expect(await decideToolCall(gate, tool, input)).toEqual(expected);
  });

  it("with no declared command, every command is refused and says why", async () => {
    expect(await decideToolCall({ ...gate, commands: {} }, "Bash", { command: "ls" })).toMatchObject({ allow: false, reason: "this repository declares no command (dev.commands)" });
  });
});
