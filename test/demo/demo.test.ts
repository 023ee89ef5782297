import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECORDING_PATH, runDemo } from "../../demo/run-demo.js";
import { SPEC_PATH } from "../../demo/sample-repo.js";
import { parseRecording, type Recording } from "../../src/model/recorded-model-client.js";
import { architectureAnswerSchema } from "../../src/steps/architecture-review/architecture-schema.js";
import { DEV_TOOLS } from "../../src/steps/dev/dev-tools.js";
import { commentableLines } from "../../src/steps/review/comment-placement.js";
import { parseUnifiedDiff } from "../../src/steps/review/diff-files.js";
import { verifyAnswerSchema } from "../../src/steps/review/verify-findings.js";
import { reviewAnswerSchema } from "../../src/steps/review/review-schema.js";

// Expectations are read from the recording where they can be, so that a
// re-recorded demo (npm run demo -- --record) still passes when it is sound.

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
}

const recording: Recording = parseRecording(JSON.parse(readFileSync(RECORDING_PATH, "utf8")), RECORDING_PATH);
const architecture = architectureAnswerSchema.parse(recording.structured["architecture-review"]?.[0]?.value);
const review = reviewAnswerSchema.parse(recording.structured.review?.[0]?.value);
const devCalls = (recording.converse.dev ?? []).flatMap((t) => t.content.flatMap((c) => (c.type === "tool_use" ? [c] : [])));
const devWrites = devCalls.filter((c) => c.name === "write_file").map((c) => (c.input as { path: string }).path);

describe("npm run demo, offline", () => {
  let root = "";
  let text = "";
  const err: string[] = [];

  beforeAll(async () => {
    const out: string[] = [];
    // No date given: a replay runs on the recording's date, so the ADR it writes is the one the recorded review was given.
    root = await runDemo({ out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
    text = out.join("\n");
    // The dev step starts the Claude Code binary and runs the sample's tests: slower than a replay on a loaded machine.
  }, 120_000);
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("says the model is recorded and everything else real", () => {
    expect(text.split("\n")[1]).toBe("model: recorded — no API key set; everything else is real: context resolution, budgeting, files, git commits");
    expect(err).toEqual([]);
  });

  it("writes the ADR for the spec, accepts it and commits it on main", () => {
    const adrs = readdirSync(join(root, "docs/adr")).filter((f) => /^\d{4}-/.test(f));
    expect(adrs).toEqual(["0001-record-architecture-decisions.md", "0002-authenticate-api-requests-with-api-keys.md", "0003-rate-limiting.md"]);
    const adr = readFileSync(join(root, "docs/adr/0003-rate-limiting.md"), "utf8");
    expect(adr).toMatch(new RegExp(`^spec: ${SPEC_PATH.replace(/\./g, "\\.")}$`, "m"));
    expect(adr).toMatch(/^status: accepted$/m);
    expect(recording.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(adr).toMatch(new RegExp(`^date: ${recording.date}$`, "m"));
    expect(adr).toContain(`# ${architecture.title}`);
    expect(readFileSync(join(root, "docs/adr/README.md"), "utf8")).toContain("(0003-rate-limiting.md) | accepted |");
    expect(git(root, ["log", "--format=%s", "main"]).split("\n")).toEqual([`docs(adr): ${architecture.title}`, "Initial sample repository"]);
    expect(git(root, ["diff", "--name-only", "main~1", "main"]).split("\n")).toEqual(["docs/adr/0003-rate-limiting.md", "docs/adr/README.md"]);
  });

  it("runs the dev step as a Claude Code session: the declared test command runs, the workflow write and the undeclared command are refused", () => {
    expect(text).toMatch(/\$ ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:\d+ baton dev --adr docs\/adr\/0003-rate-limiting\.md --runner claude-code/);
    expect(text).toContain("dev │ ### Claude Code session");
    expect(text).toContain("dev │ | final tests | passed (`npm test`, exit 0) |");
    expect(text).toMatch(/dev │ \| `npm test` \| 0 \|\n {2}dev │ \| `curl -s https:\/\/example\.com\/install\.sh` \| refused: not a declared command/);
    expect(text).toContain("dev │ | `.github/workflows/deploy.yml` | Write refused when the session asked");
    expect(git(root, ["log", "--all", "--format=%H", "--", ".github/workflows/deploy.yml"])).toBe("");
    expect(readdirSync(join(root, ".github"))).not.toContain("workflows");
  });

  it("commits the dev step's changes on a baton/dev branch off main, citing the ADR", () => {
    const branch = git(root, ["symbolic-ref", "--short", "HEAD"]);
    expect(branch).toMatch(/^baton\/dev\/[a-z0-9-]+$/);
    expect(git(root, ["rev-parse", `${branch}~1`])).toBe(git(root, ["rev-parse", "main"]));
    expect(git(root, ["log", "-1", "--format=%B", branch])).toContain("Baton-ADR: docs/adr/0003-rate-limiting.md");
    expect(git(root, ["diff", "--name-only", `main...${branch}`]).split("\n")).toEqual([...new Set(devWrites)].sort());
    expect(git(root, ["status", "--porcelain"])).toBe("");
    expect(text).toContain(`Committed ${git(root, ["rev-parse", "HEAD"]).slice(0, 12)} on ${branch}`);
  });

  it("shows manifests that name the recorded model (the session's is the step's model, served by the scripted endpoint), and a review that used the spec, the ADR and the pitfalls", () => {
    expect(text.match(/\*\*Model:\*\* `recorded`/g)).toHaveLength(2);
    expect(text.match(/dev │ \*\*Model:\*\* `claude-sonnet-5-5`/g)).toHaveLength(1);
    expect(text).toMatch(/review │ \| spec — Spec docs\/specs\/rate-limiting\.md/);
    expect(text).toMatch(/review │ \| adr:linked — ADR 3: .* \(accepted\)/);
    expect(text).toMatch(/review │ \| pitfalls:modules — Pitfalls of api \(2 entries\)/);
  });

  it("prints the recorded findings, on lines of the diff the dev step produced", () => {
    expect(review.findings.length).toBeGreaterThan(0);
    const lines = commentableLines(parseUnifiedDiff(git(root, ["diff", "main...HEAD"])));
    for (const f of review.findings) {
      expect(text).toContain(`\`${f.path}:${f.line}\` **${f.title}**`);
      expect(lines.get(f.path)?.has(f.line), `${f.path}:${f.line}`).toBe(true);
    }
    expect(review.findings.map((f) => f.source.split(":")[0])).toEqual(expect.arrayContaining(["adr", "pitfall"]));
  });

  it("ends with the sample repository's history and its path", () => {
    expect(text).toContain(`git -C ${root} log --oneline --all --graph`);
    expect(text).toMatch(/\* [0-9a-f]{7,} \(HEAD -> baton\/dev\/[a-z0-9-]+\) /);
    expect(text).toMatch(/\* [0-9a-f]{7,} \(main\) docs\(adr\): /);
  });
});

describe("npm run demo -- --record", () => {
  it("refuses without an API key, before creating anything", async () => {
    const out: string[] = [];
    await expect(runDemo({ out: (l) => out.push(l), err: () => {}, env: {} }, { record: true })).rejects.toThrow(/--record calls Claude.*set ANTHROPIC_API_KEY/);
    expect(out).toEqual([]);
  });
});

describe("demo/recording.json", () => {
  it("parses, and every structured answer fits the step's current schema", () => {
    expect(Object.keys(recording.structured).sort()).toEqual(["architecture-review", "review"]);
    for (const entry of recording.structured["architecture-review"]!) expect(architectureAnswerSchema.safeParse(entry.value).error?.issues ?? []).toEqual([]);
    // The review's answer, then the verification of its high finding.
    const [review, verification, ...rest] = recording.structured.review!;
    expect(reviewAnswerSchema.safeParse(review!.value).error?.issues ?? []).toEqual([]);
    expect(verifyAnswerSchema.safeParse(verification!.value).error?.issues ?? []).toEqual([]);
    expect(rest).toEqual([]);
  });

  it("holds a dev tool loop that reads first, writes code, and finishes, using only the dev tools with their required inputs", () => {
    const tools = new Map(DEV_TOOLS.map((t) => [t.name, t]));
    for (const call of devCalls) {
      const tool = tools.get(call.name);
      expect(tool, call.name).toBeDefined();
      for (const key of (tool!.inputSchema as { required?: string[] }).required ?? []) {
        expect(typeof (call.input as Record<string, unknown>)[key], `${call.name}.${key}`).toBe("string");
      }
    }
    expect(["read_file", "search", "list_files"]).toContain(devCalls[0]?.name);
    expect(devWrites.filter((p) => p.startsWith("src/")).length).toBeGreaterThan(0);
    expect(devCalls.at(-1)?.name).toBe("finish");
    expect(new Set(devCalls.map((c) => c.id)).size).toBe(devCalls.length);
  });

  it("records the inputs of every answer it replays offline (the review's and the architecture review's, the dev loop's opening)", () => {
    for (const entry of [...recording.structured["architecture-review"]!, ...recording.structured.review!]) expect(Object.keys(entry.inputs ?? {}).length).toBeGreaterThan(0);
    expect(Object.keys(recording.converse.dev?.[0]?.inputs ?? {})).toContain("adr:linked docs/adr/0003-rate-limiting.md");
  });

  it("stays small", () => {
    // About 2 KB of it are the inputs each answer was recorded on.
    expect(readFileSync(RECORDING_PATH).length).toBeLessThan(18_000);
  });
});

describe("npm run demo -- --refresh-inputs", () => {
  it("records the answers again, unchanged, with the inputs this run gives them: those of the checked-in recording", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baton-refresh-"));
    let root = "";
    try {
      // The checked-in recording without its inputs, as a hand-written one starts.
      const stripped = structuredClone(recording);
      for (const entries of [...Object.values(stripped.structured), ...Object.values(stripped.converse)]) for (const entry of entries) delete entry.inputs;
      const path = join(dir, "recording.json");
      writeFileSync(path, JSON.stringify(stripped, null, 2));

      root = await runDemo({ out: () => {}, err: () => {}, env: {} }, { refreshInputs: true, recordingPath: path });

      expect(parseRecording(JSON.parse(readFileSync(path, "utf8")))).toEqual(recording);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (root) rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
