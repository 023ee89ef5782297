import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultConfig } from "../../src/config/config-schema.js";
import { declareSteps } from "../../src/graph/default-steps.js";
import { BoundedInputError, matchPaths, searchLines } from "../../src/policy/bounded-match.js";
import { runDevTool } from "../../src/steps/dev/dev-tools.js";
import { DevWorkspace } from "../../src/steps/dev/dev-workspace.js";
import { memorySnapshot } from "../graph/memory-snapshot.js";

/**
 * Issue 7, item 2: a glob or regular expression the model chooses must not
 * freeze the process. They run in a worker under a time limit; the model
 * gets an error naming the input and the limit, and the step goes on.
 */

const HOSTILE_GLOB = "*a*a*a*a*a*a*a*a*b";
const NAME_60 = "a".repeat(60);

/** Counts turns of the event loop until stopped: a loop that is blocked does not turn. */
function heartbeat(): { stop(): number } {
  let beats = 0;
  let running = true;
  const beat = () => {
    beats++;
    if (running) setImmediate(beat);
  };
  setImmediate(beat);
  return {
    stop() {
      running = false;
      return beats;
    },
  };
}

let pending: { stop(): number } | undefined;
afterEach(() => pending?.stop());

describe("the dev tools against hostile model input", () => {
  const snapshot = memorySnapshot({ [NAME_60]: "x\n", "src/a.ts": "export const a = 1;\nexport function b() {}\n", "src/b.ts": `${"a".repeat(40)}!\n` });
  const workspace = () => new DevWorkspace(snapshot, declareSteps(defaultConfig()).dev, 40);

  it(`list_files with ${HOSTILE_GLOB} against a 60-character name is stopped at the time limit while the event loop runs on; the next call works`, async () => {
    const ws = workspace();
    pending = heartbeat();

    const hostile = await runDevTool(ws, { type: "tool_use", id: "t1", name: "list_files", input: { glob: HOSTILE_GLOB } });

    expect(pending.stop()).toBeGreaterThan(10);
    expect(hostile.result).toMatchObject({ isError: true, content: `glob "${HOSTILE_GLOB}" was stopped after 2000 ms (the time limit) against 3 paths: use a simpler glob` });
    const next = await runDevTool(ws, { type: "tool_use", id: "t2", name: "list_files", input: { glob: "src/*.ts" } });
    expect(next.result).toEqual({ type: "tool_result", toolUseId: "t2", content: "src/a.ts\nsrc/b.ts" });
  });

  it("search with a catastrophic regular expression is stopped at the time limit while the event loop runs on", async () => {
    const ws = workspace();
    pending = heartbeat();

    const hostile = await runDevTool(ws, { type: "tool_use", id: "t1", name: "search", input: { pattern: "^(a+)+$" } });

    expect(pending.stop()).toBeGreaterThan(10);
    expect(hostile.result).toMatchObject({ isError: true, content: 'search for "^(a+)+$" was stopped after 2000 ms (the time limit): use a simpler pattern' });
    const next = await runDevTool(ws, { type: "tool_use", id: "t2", name: "search", input: { pattern: "^export", glob: "src/*.ts" } });
    expect(next.result.content).toBe("src/a.ts:1: export const a = 1;\nsrc/a.ts:2: export function b() {}");
  });

  it("refuses an over-long glob or pattern by name and limit, without matching anything", async () => {
    const ws = workspace();
    const glob = await runDevTool(ws, { type: "tool_use", id: "t1", name: "list_files", input: { glob: `src/${"x".repeat(200)}` } });
    expect(glob.result).toMatchObject({ isError: true, content: expect.stringMatching(/^glob "src\/x+…" is 204 characters long; the limit is 200: use a shorter glob$/) });
    const pattern = await runDevTool(ws, { type: "tool_use", id: "t2", name: "search", input: { pattern: "a".repeat(201) } });
    expect(pattern.result).toMatchObject({ isError: true, content: expect.stringMatching(/is 201 characters long; the limit is 200: search for something shorter$/) });
    const invalid = await runDevTool(ws, { type: "tool_use", id: "t3", name: "search", input: { pattern: "(" } });
    expect(invalid.result).toMatchObject({ isError: true, content: 'pattern "(" is not a valid regular expression' });
  });
});

describe("matchPaths and searchLines", () => {
  it("match what picomatch and RegExp match, in order, up to the hit limit", async () => {
    expect(await matchPaths("src/**/*.ts", ["src/a.ts", "src/x/b.ts", "lib/c.ts", "src/.hidden/d.ts"])).toEqual(["src/a.ts", "src/x/b.ts", "src/.hidden/d.ts"]);
    const texts: [string, string][] = [
      ["src/a.ts", "const a = 1;\nexport const b = 2;\n"],
      ["src/b.ts", "export function c() {}\n"],
    ];
    expect(await searchLines("^export", texts, 10)).toEqual(["src/a.ts:2: export const b = 2;", "src/b.ts:1: export function c() {}"]);
    expect(await searchLines("^export", texts, 1)).toEqual(["src/a.ts:2: export const b = 2;"]);
  });

  it("take a glob or pattern of up to 200 characters, and quote at most 60 of a longer one", async () => {
    expect(await matchPaths(`${"a".repeat(197)}/**`, ["x", `${"a".repeat(197)}/y`])).toEqual([`${"a".repeat(197)}/y`]);
    expect(await searchLines("c".repeat(200), [["a", "b"]], 5)).toEqual([]);
    await expect(matchPaths(`${"b".repeat(198)}/**`, ["x"])).rejects.toThrow(`glob "${"b".repeat(60)}…" is 201 characters long; the limit is 200: use a shorter glob`);
    await expect(searchLines("c".repeat(201), [["a", "b"]], 5)).rejects.toThrow(`pattern "${"c".repeat(60)}…" is 201 characters long; the limit is 200: search for something shorter`);
    await expect(searchLines("(", [["a", "b"]], 5)).rejects.toThrow('pattern "(" is not a valid regular expression');
  });

  it("name the input and the limit it broke in the error, for a caller that reports it", async () => {
    const refused = (work: Promise<unknown>) => work.then(() => null, (e: unknown) => e);
    expect(await refused(matchPaths("x".repeat(201), ["x"]))).toMatchObject({ name: "BoundedInputError", input: "glob", limit: "200 characters" });
    expect(await refused(searchLines("x".repeat(201), [["a", "b"]], 5))).toMatchObject({ name: "BoundedInputError", input: "pattern", limit: "200 characters" });
    expect(await refused(searchLines("(", [["a", "b"]], 5))).toMatchObject({ name: "BoundedInputError", input: "pattern", limit: "a valid regular expression" });
    expect(await refused(searchLines("^(a+)+$", [["a", `${"a".repeat(40)}!`]], 5, 100))).toMatchObject({ name: "BoundedInputError", input: "pattern", limit: "100 ms" });
    // A glob of 60 characters is quoted whole.
    const glob60 = `[z-a]${"x".repeat(55)}`;
    expect(await refused(matchPaths(glob60, ["x"]))).toMatchObject({ message: `glob "${glob60}" is not a valid glob` });
  });

  it("refuse an invalid glob by name instead of matching nothing, and match nothing in nothing", async () => {
    const err = await matchPaths("src/[z-a].ts", ["src/a.ts"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoundedInputError);
    expect(err).toMatchObject({ input: "glob", limit: "a valid glob", message: 'glob "src/[z-a].ts" is not a valid glob' });
    expect(await matchPaths("**", [])).toEqual([]);
    expect(await searchLines("", [], 5)).toEqual([]);
  });

  it("reject with the worker's own error when matching fails in the worker, and the next match works", async () => {
    // A caller outside TypeScript handing a text that is not a string: the worker throws on it.
    const err = await searchLines("x", [["a.ts", undefined as unknown as string]], 5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/split/);
    expect(await searchLines("x", [["a.ts", "x\ny"]], 5)).toEqual(["a.ts:1: x"]);
  });

  it("leave no timer behind once a match ends: nothing keeps the process alive", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      expect(await matchPaths("src/*.ts", ["src/a.ts", "b.md"])).toEqual(["src/a.ts"]);
      expect(await searchLines("a", [["a.ts", "a"]], 5)).toEqual(["a.ts:1: a"]);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it.skipIf(process.platform !== "linux")("stop the worker of a match that runs past its time limit", { timeout: 15_000 }, async () => {
    const threads = () => readdirSync("/proc/self/task");
    const before = new Set(threads());
    await expect(matchPaths(HOSTILE_GLOB, [NAME_60], 100)).rejects.toBeInstanceOf(BoundedInputError);
    // A worker left running would keep its thread (and a core) until the test times out.
    while (threads().some((tid) => !before.has(tid))) await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it("report a time-out as a BoundedInputError that names the input and the limit", async () => {
    const err = await matchPaths(HOSTILE_GLOB, [NAME_60], 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoundedInputError);
    expect(err).toMatchObject({ name: "BoundedInputError", input: "glob", limit: "100 ms" });
  });
});
