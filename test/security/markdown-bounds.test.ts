import { afterAll, describe, expect, it } from "vitest";
import { batonConfigSchema } from "../../src/config/config-schema.js";
import { renderAdr } from "../../src/context-store/adr/write-adr.js";
import { loadContextStore } from "../../src/context-store/load-context-store.js";
import { declareSteps } from "../../src/graph/default-steps.js";
import { resolveContext } from "../../src/graph/resolve-context.js";
import { closeMarkdownPool, MARKDOWN_LIMITS } from "../../src/markdown/bounded-markdown.js";
import { runCli } from "../../src/cli/main.js";
import { memorySnapshot } from "../graph/memory-snapshot.js";
import { createLocalRepo, BATON_YML } from "../local/fixtures/temp-repo.js";

/**
 * Hostile markdown (issue 7, item 3). remark is quadratic on some inputs:
 * 32 KB of `*a_` took 8.5 s, 1 MB of nested `> - ` 98 s, a 64 KB lesson
 * 42 s, all on the main thread. Now every parse runs in a worker under a
 * size cap and a time limit: the input is named with its limit and the step
 * goes on without it, and the main thread keeps turning meanwhile. Each test
 * has a timeout, so a parse on the main thread fails it rather than hangs.
 */
const HOSTILE_TIMEOUT = 60_000;
const config = batonConfigSchema.parse({ modules: { api: ["src/api/**"] } });

function adr(number: number, title: string): string {
  return renderAdr({
    number, title, status: "accepted", date: "2026-01-01", modules: ["api"], spec: null, supersedes: [], supersededBy: [],
    context: `Context of ${title}.`, options: [], decision: `We decided ${title}.`, consequences: [], guidance: { api: `GUIDANCE-${number}` },
  });
}

/** Records whether the event loop turned while `work` was pending: a parse on the main thread would hold it until it ends. */
async function whileTurning<T>(work: () => Promise<T>): Promise<{ value: T; turnedFirst: boolean }> {
  const events: string[] = [];
  const ticker = setInterval(() => events.push("tick"), 5);
  setImmediate(() => events.push("immediate"));
  try {
    const value = await work();
    events.push("done");
    return { value, turnedFirst: events.indexOf("immediate") >= 0 && events.indexOf("immediate") < events.indexOf("done") && events.includes("tick") };
  } finally {
    clearInterval(ticker);
  }
}

afterAll(() => closeMarkdownPool());

describe("markdown from a repository is parsed under limits, off the main thread", () => {
  it("an ADR of 32 KB of `*a_` is left out of a review by name, with the time limit; the other ADR is given", { timeout: HOSTILE_TIMEOUT }, async () => {
    const hostile = `---\nstatus: accepted\nmodules: [api]\n---\n\n# Hostile\n\n${"*a_".repeat(11_000)}\n`;
    const snapshot = memorySnapshot({
      "docs/adr/0001-hostile.md": hostile,
      "docs/adr/0002-use-rest.md": adr(2, "Use REST"),
      "src/api/users.ts": "export const users = 1;\n",
    });
    const step = declareSteps(config).review;
    const { value: resolved, turnedFirst } = await whileTurning(() =>
      resolveContext({ step, snapshot, config, trigger: { linkedAdrs: [1, 2], changedPaths: ["src/api/users.ts"] } }),
    );
    expect(turnedFirst).toBe(true);
    // The fast tier still knows the hostile ADR (its metadata is linear to read); only its full text is refused.
    expect(resolved.store.adrs.map((a) => a.record.title)).toEqual(["Hostile", "Use REST"]);
    expect(resolved.manifest.notes).toContain(
      `docs/adr/0001-hostile.md: reading it took longer than ${MARKDOWN_LIMITS.adr.timeLimitMs} ms, the limit for ADRs; left out`,
    );
    const linked = resolved.blocks.filter((b) => b.selector === "adr:linked");
    expect(linked.map((b) => b.identity.split("@")[0])).toEqual(["docs/adr/0002-use-rest.md"]);
    expect(linked[0]!.text).toContain("We decided Use REST.");
  });

  it("1 MB of nested `> - ` is over the size limit for an ADR, and too slow as a pitfall file: both named, the review goes on", { timeout: HOSTILE_TIMEOUT }, async () => {
    const nested = "> - ".repeat(262_144);
    const pitfalls = "> - ".repeat(200_000);
    const snapshot = memorySnapshot({
      "docs/adr/0001-nested.md": `# Nested\n\n${nested}\n`,
      "docs/adr/0002-use-rest.md": adr(2, "Use REST"),
      "docs/pitfalls/api.md": pitfalls,
      "src/api/users.ts": "export const users = 1;\n",
    });
    const step = declareSteps(config).review;
    const store = await loadContextStore(snapshot, config);
    expect(store.warnings).toEqual(["docs/adr/0001-nested.md: 1024.0 KB is over the 128 KB limit for ADRs; left out"]);
    expect(store.adrs.map((a) => a.path)).toEqual(["docs/adr/0002-use-rest.md"]);
    const { value: resolved, turnedFirst } = await whileTurning(() =>
      resolveContext({ step, snapshot, config, store, trigger: { linkedAdrs: [2], changedPaths: ["src/api/users.ts"] } }),
    );
    expect(turnedFirst).toBe(true);
    expect(resolved.manifest.notes).toContain(
      `docs/pitfalls/api.md: reading it took longer than ${MARKDOWN_LIMITS.pitfalls.timeLimitMs} ms, the limit for pitfall files; left out`,
    );
    expect(resolved.blocks.filter((b) => b.selector === "adr:linked").map((b) => b.identity.split("@")[0])).toEqual(["docs/adr/0002-use-rest.md"]);
    expect(resolved.blocks.some((b) => b.selector === "pitfalls:modules")).toBe(false);
  });
});

describe("a lesson to remember is parsed under limits", () => {
  it("a 64 KB lesson is refused with the size limit, and no pitfall file is written", { timeout: HOSTILE_TIMEOUT }, async () => {
    const repo = createLocalRepo();
    try {
      repo.write(".github/baton.yml", BATON_YML);
      repo.write("src/api/a.ts", "export const a = 1;\n");
      repo.commit("init");
      const out: string[] = [];
      const err: string[] = [];
      const io = { cwd: repo.dir, out: (l: string) => out.push(l), err: (l: string) => err.push(l), today: () => "2026-12-04", env: {} };
      const lesson = "*a_".repeat(21_846);
      const { value: code, turnedFirst } = await whileTurning(() => runCli(["remember", lesson, "--module", "api"], io));
      expect(turnedFirst).toBe(true);
      expect(code).toBe(0);
      expect(out.join("\n")).toBe(`the lesson: 64.0 KB is over the ${MARKDOWN_LIMITS.lesson.maxChars / 1024} KB limit for lessons; left out`);
      expect(repo.exists("docs/pitfalls/api.md")).toBe(false);
    } finally {
      repo.remove();
    }
  });

  it("a lesson under the size limit that parses too slowly is refused with the time limit", { timeout: HOSTILE_TIMEOUT }, async () => {
    const repo = createLocalRepo();
    try {
      repo.write(".github/baton.yml", BATON_YML);
      repo.write("src/api/a.ts", "export const a = 1;\n");
      repo.commit("init");
      const out: string[] = [];
      const io = { cwd: repo.dir, out: (l: string) => out.push(l), err: () => undefined, today: () => "2026-12-04", env: {} };
      const lesson = "*a_".repeat(2_700);
      expect(lesson.length).toBeLessThan(MARKDOWN_LIMITS.lesson.maxChars);
      const code = await runCli(["remember", lesson, "--module", "api"], io);
      expect(code).toBe(0);
      expect(out.join("\n")).toBe(`docs/pitfalls/api.md: reading it took longer than ${MARKDOWN_LIMITS.lesson.timeLimitMs} ms, the limit for pitfall files; left out`);
      expect(repo.exists("docs/pitfalls/api.md")).toBe(false);
    } finally {
      repo.remove();
    }
  });
});
