import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RECORDING_PATH, runDemo } from "../../demo/run-demo.js";
import { parseRecording } from "../../src/model/recorded-model-client.js";
import { architectureAnswerSchema } from "../../src/steps/architecture-review/architecture-schema.js";
import { DEV_TOOLS } from "../../src/steps/dev/dev-tools.js";
import { reviewAnswerSchema } from "../../src/steps/review/review-schema.js";

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
}

function recording() {
  return parseRecording(JSON.parse(readFileSync(RECORDING_PATH, "utf8")), RECORDING_PATH);
}

describe("npm run demo, offline", () => {
  it("runs architect, dev and review on the sample repository with the recorded answers", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const root = await runDemo({ out: (l) => out.push(l), err: (l) => err.push(l), env: {}, today: () => "2026-01-15" });
    created.push(root);
    const text = out.join("\n");

    expect(text.split("\n")[1]).toMatch(/^model: recorded — no API key set; everything else is real/);
    expect(err).toEqual([]);

    // The ADR: written by the architecture review, accepted and committed on main.
    const adr = readFileSync(join(root, "docs/adr/0003-rate-limiting.md"), "utf8");
    expect(adr).toMatch(/^spec: docs\/specs\/rate-limiting\.md$/m);
    expect(adr).toMatch(/^status: accepted$/m);
    expect(adr).toContain("date: 2026-01-15");
    expect(readFileSync(join(root, "docs/adr/README.md"), "utf8")).toMatch(/\| 0003 \| \[Rate-limit API keys with a token bucket\]\(0003-rate-limiting\.md\) \| accepted \|/);
    const mainLog = git(root, ["log", "--format=%s", "main"]).split("\n");
    expect(mainLog).toEqual(["docs(adr): Rate-limit API keys with a token bucket", "Initial sample repository"]);

    // The dev commit, on its own branch off main.
    const branch = git(root, ["symbolic-ref", "--short", "HEAD"]);
    expect(branch).toBe("baton/dev/rate-limit-api-keys-with-a-token-bucket");
    expect(git(root, ["rev-parse", `${branch}~1`])).toBe(git(root, ["rev-parse", "main"]));
    expect(git(root, ["log", "-1", "--format=%B", branch])).toContain("Baton-ADR: docs/adr/0003-rate-limiting.md");
    expect(git(root, ["diff", "--name-only", `main...${branch}`]).split("\n")).toEqual(["src/api/rate-limit.ts", "src/api/server.ts"]);
    expect(git(root, ["status", "--porcelain"])).toBe("");
    expect(git(root, ["show", `${branch}:src/api/server.ts`])).toContain("limiter.take(key.keyId, Date.now())");

    // The manifests shown name the recorded model; the review saw the spec, the ADR and the pitfalls.
    expect(text.match(/\*\*Model:\*\* `recorded`/g)).toHaveLength(3);
    expect(text).not.toContain("claude-sonnet");
    expect(text).toMatch(/review │ \| spec — Spec docs\/specs\/rate-limiting\.md/);
    expect(text).toMatch(/review │ \| adr:linked — ADR 3: Rate-limit API keys with a token bucket \(accepted\)/);
    expect(text).toMatch(/review │ \| pitfalls:modules — Pitfalls of api \(2 entries\)/);

    // The review shows the recorded findings.
    expect(text).toContain("`src/api/rate-limit.ts:33` **Retry-After is always 0** · ADR 3");
    expect(text).toContain("`src/api/rate-limit.ts:24` **Buckets are never evicted** · pitfall: In-memory maps in the API server must be bounded");

    // The end: the history of the sample repository and where it is.
    expect(text).toContain(`git -C ${root} log --oneline --all --graph`);
    expect(text).toMatch(/\* [0-9a-f]{7} \(HEAD -> baton\/dev\/rate-limit-api-keys-with-a-token-bucket\) Rate-limit API keys with a token bucket/);
  });

  it("refuses --record without an API key, before creating anything", async () => {
    const out: string[] = [];
    await expect(runDemo({ out: (l) => out.push(l), err: () => {}, env: {} }, { record: true })).rejects.toThrow(/--record calls Claude.*set ANTHROPIC_API_KEY/);
    expect(out).toEqual([]);
  });
});

describe("demo/recording.json", () => {
  it("parses, and every structured answer fits the step's current schema", () => {
    const rec = recording();
    expect(Object.keys(rec.structured).sort()).toEqual(["architecture-review", "review"]);
    for (const entry of rec.structured["architecture-review"]!) expect(architectureAnswerSchema.safeParse(entry.value).error?.issues ?? []).toEqual([]);
    for (const entry of rec.structured.review!) expect(reviewAnswerSchema.safeParse(entry.value).error?.issues ?? []).toEqual([]);
  });

  it("holds a dev tool loop that uses only the dev tools, with their required inputs, and ends with finish", () => {
    const turns = recording().converse.dev!;
    const tools = new Map(DEV_TOOLS.map((t) => [t.name, t]));
    const calls = turns.flatMap((t) => t.content.filter((c) => c.type === "tool_use"));
    for (const call of calls) {
      const tool = tools.get(call.name);
      expect(tool, call.name).toBeDefined();
      const required = (tool!.inputSchema as { required?: string[] }).required ?? [];
      for (const key of required) expect(typeof (call.input as Record<string, unknown>)[key], `${call.name}.${key}`).toBe("string");
    }
    expect(calls.map((c) => c.name)).toEqual(["read_file", "write_file", "write_file", "finish"]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
  });

  it("cites lines the recorded dev step adds", () => {
    const rec = recording();
    const writes = new Map(
      rec.converse.dev!.flatMap((t) => t.content).flatMap((c) => (c.type === "tool_use" && c.name === "write_file" ? [[(c.input as { path: string }).path, (c.input as { content: string }).content] as const] : [])),
    );
    const review = reviewAnswerSchema.parse(rec.structured.review![0]!.value);
    expect(review.findings.map((f) => f.source)).toEqual(["adr:3", "pitfall:In-memory maps in the API server must be bounded"]);
    for (const f of review.findings) {
      const lines = writes.get(f.path)?.split("\n");
      expect(lines, f.path).toBeDefined();
      expect(lines![f.line - 1], `${f.path}:${f.line}`).toMatch(f.title.startsWith("Retry-After") ? /Math\.floor\(\(1 - bucket\.tokens\)/ : /const buckets = new Map/);
    }
  });

  it("stays small", () => {
    expect(readFileSync(RECORDING_PATH).length).toBeLessThan(16_000);
  });
});
