import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as ajvDraft04 from "ajv-draft-04";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Claude } from "./fixtures/claude.js";
import {
  ADR_GUIDANCE_PHRASE,
  ADR_PATH,
  baton,
  FINDING_LINE,
  PITFALL_PHRASE,
  PITFALL_WORKTREE_PHRASE,
  PITFALLS_PATH,
  seedReviewRepo,
  type LocalRepo,
} from "./fixtures/temp-repo.js";

const require = createRequire(import.meta.url);
// A CommonJS module with `exports.default`: under NodeNext its default import is the module object, so take `.default`.
const Ajv = ajvDraft04.default.default;
const SARIF_SCHEMA_PATH = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");

const FINDING = {
  severity: "high",
  path: "src/api/users.ts",
  line: FINDING_LINE,
  code: "return rows.filter((u) => u.tenant === tenant);",
  confidence: 0.9,
  title: "Tenant filter trusts the caller's tenant argument",
  body: "The tenant comes from the request; read it from the session, as the api pitfalls say.",
  source: "pitfall:quokka-header",
};

/** The verification pass's answer (a high finding is re-checked before it is reported): nothing refuted. */
const VERIFIED = { name: "verify_findings", input: { verdicts: [] } };

function reviewAnswer(findings: unknown[] = [FINDING]) {
  return {
    name: "submit_review",
    input: {
      summary: "Adds `listUsers`, filtered by tenant.",
      specCompliance: [],
      adrConformance: [{ adr: "ADR 1", status: "deviates", note: "src/api/users.ts:7 skips the zebra-lattice validator." }],
      findings,
    },
  };
}

interface JsonReport {
  title: string;
  findings: { severity: string; path: string; line: number; title: string; body: string; source: string }[];
  usage: { inputTokens: number; outputTokens: number };
  manifest: { commit: string; model: string; inputs: { selector: string; identity: string; tokens: number }[] };
}

describe("baton review (local mode)", () => {
  let repo: LocalRepo;
  let claude: Claude;

  beforeEach(() => {
    repo = seedReviewRepo();
    claude = new Claude();
  });
  afterEach(() => repo.remove());

  it("reviews base...HEAD with the ADR guidance, the pitfalls and the diff, and prints the finding", async () => {
    claude.answers(reviewAnswer()).answers(VERIFIED);

    const run = await baton(repo.dir, ["review", "--base", "main", "--format", "markdown"]);

    expect(run.stderr).not.toMatch(/baton: (?!review:|model:)/);
    expect(run.code).toBe(0);
    expect(claude.isDone()).toBe(true);
    expect(claude.requests).toHaveLength(2);

    // What Claude was sent: the forced review tool, the trusted context and the numbered diff.
    const sent = claude.requests[0]!;
    expect(Object.keys(sent.output_config!.format!.schema.properties as object)).toContain("findings");
    expect(sent.tools).toBeUndefined();
    const text = claude.sentText(0);
    expect(text).toContain(ADR_GUIDANCE_PHRASE);
    expect(text).toContain(PITFALL_PHRASE);
    expect(text).toContain("### src/api/users.ts (modified");
    expect(text).toMatch(/ 7 \+export async function listUsers\(tenant: string\) \{/);
    expect(text).toMatch(/ 9 \+ {2}return rows\.filter\(\(u\) => u\.tenant === tenant\);/);
    // The ADR reaches the model once per section: its guidance is not repeated inside the ADR block.
    const adrBlock = /<adr path="docs\/adr\/0001-use-x\.md">[\s\S]*?<\/adr>/.exec(text)?.[0] ?? "";
    expect(adrBlock).toContain(ADR_GUIDANCE_PHRASE);
    expect(adrBlock.split(ADR_GUIDANCE_PHRASE)).toHaveLength(2);

    // What the user sees.
    expect(run.stdout).toContain("## Baton review");
    expect(run.stdout).toContain(`\`src/api/users.ts:${FINDING_LINE}\` **${FINDING.title}**`);
    // Each finding's explanation, not only its title.
    expect(run.stdout).toContain(`## Findings explained`);
    expect(run.stdout).toContain(FINDING.body);
    expect(run.stdout).toContain("ADR 1");
    expect(run.stdout).toContain("Context manifest");
    expect(run.stdout).toContain(`${ADR_PATH}@${repo.git("rev-parse", `main:${ADR_PATH}`)}`);
    // The hidden state of the PR comment is not printed in the terminal.
    expect(run.stdout).not.toContain("<!--");
  });

  it("shows progress on stderr (step, inputs, tokens, model), and nothing with --quiet", async () => {
    claude.answers(reviewAnswer()).answers(VERIFIED).answers(reviewAnswer()).answers(VERIFIED);

    const loud = await baton(repo.dir, ["review", "--base", "main"]);
    expect(loud.err[0]).toMatch(/^baton: review: context from [0-9a-f]{12}: \d+ inputs, \d+ of 80000 tokens/);
    expect(loud.err[1]).toBe("baton: model: Anthropic API");

    const quiet = await baton(repo.dir, ["review", "--base", "main", "--quiet"]);
    expect(quiet.code).toBe(0);
    expect(quiet.err).toEqual([]);
    expect(quiet.stdout).toBe(loud.stdout);
  });

  it("--format json prints the findings and a manifest pinned to the base's blobs", async () => {
    claude.answers(reviewAnswer()).answers(VERIFIED);

    const run = await baton(repo.dir, ["review", "--base", "main", "--format", "json"]);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).toEqual([{ ...FINDING, id: expect.stringMatching(/^[0-9a-f]{8}$/) }]);
    expect(report.manifest.model).toBe("claude-sonnet-5-5");
    expect(report.manifest.commit).toBe(repo.git("merge-base", "main", "HEAD"));
    // The review call and the verification of its high finding, summed.
    expect(report.usage).toMatchObject({ inputTokens: 6240, outputTokens: 1280 });

    const adrSha = repo.git("rev-parse", `main:${ADR_PATH}`);
    const pitfallsSha = repo.git("rev-parse", `main:${PITFALLS_PATH}`);
    const identities = report.manifest.inputs.map((i) => i.identity);
    expect(identities).toContain(`${ADR_PATH}@${adrSha}`);
    expect(identities).toContain(`${ADR_PATH}@${adrSha}#guidance/api`);
    expect(identities).toContain(`${PITFALLS_PATH}@${pitfallsSha}`);
    const base = repo.git("rev-parse", "main");
    const head = repo.git("rev-parse", "HEAD");
    expect(identities).toContain(`diff ${base.slice(0, 12)}..${head.slice(0, 12)}`);
  });

  it("--format sarif is valid SARIF 2.1.0 with one result at the finding's path and line", async () => {
    claude.answers(reviewAnswer()).answers(VERIFIED);

    const run = await baton(repo.dir, ["review", "--base", "main", "--format", "sarif"]);

    expect(run.code).toBe(0);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: unknown[] }[] };
    // The schema's language-tag pattern is not valid in unicode mode; its formats are checked here (no ajv-formats).
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    ajv.addFormat("uri", (s: string) => URL.canParse(s));
    ajv.addFormat("uri-reference", (s: string) => URL.canParse(s, "file:///"));
    ajv.addFormat("date-time", (s: string) => /^\d{4}-\d\d-\d\dT/.test(s) && !Number.isNaN(Date.parse(s)));
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, "utf8")) as object);
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs).toHaveLength(1);
    const run0 = sarif.runs[0]!;
    expect(run0.tool.driver.name).toBe("Baton");
    expect(run0.results).toEqual([
      {
        ruleId: "baton/pitfall",
        level: "error",
        message: { text: `${FINDING.title}\n\n${FINDING.body}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: "src/api/users.ts" }, region: { startLine: FINDING_LINE } } }],
        properties: { severity: "high", source: FINDING.source },
      },
    ]);
    expect(run0.tool.driver.rules.map((r) => r.id)).toEqual(["baton/pitfall"]);
  });

  it("--format sarif carries no secret and no SARIF markup of the model's: redacted, links and hidden characters defused", async () => {
    const token = `ghp_${"a1B2".repeat(9)}`;
    const webhookSecret = "whsec-planted-4242";
    const planted = {
      ...FINDING,
      title: `Tenant filter trusts the caller\u202E's tenant [see](0)`,
      body: `The tenant comes from the request; the fixture logs ${token} and signs with ${webhookSecret}. Read the [session](1) instead.`,
      source: `adr:1 ](${token})`,
    };
    claude.answers(reviewAnswer([planted])).answers(VERIFIED);

    const run = await baton(repo.dir, ["review", "--base", "main", "--format", "sarif"], { ANTHROPIC_API_KEY: "test-key", WEBHOOK_SECRET: webhookSecret });

    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(token);
    expect(run.stdout).not.toContain(webhookSecret);
    expect(run.stdout).not.toContain("\u202E");
    const sarif = JSON.parse(run.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; message: { text: string }; properties: { source: string } }[] }[] };
    const [result] = sarif.runs[0]!.results;
    // `[text](n)` would be a link to a related location: brackets are escaped, the placeholder `[redacted]` too.
    expect(result!.message.text).toBe(
      "Tenant filter trusts the caller's tenant \\[see\\](0)\n\nThe tenant comes from the request; the fixture logs \\[redacted\\] and signs with \\[redacted\\]. Read the \\[session\\](1) instead.",
    );
    expect(result!.properties.source).toBe("adr:1 \\](\\[redacted\\])");
    expect(result!.ruleId).toBe("baton/adr/1-redacted");
    expect(sarif.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(["baton/adr/1-redacted"]);
  });

  it("--fail-on high exits 1 on a high finding; --fail-on critical exits 0", async () => {
    claude.answers(reviewAnswer()).answers(VERIFIED).answers(reviewAnswer()).answers(VERIFIED);

    const high = await baton(repo.dir, ["review", "--base", "main", "--format", "json", "--fail-on", "high"]);
    expect(high.code).toBe(1);
    // The report is still printed before the failing exit, so CI logs show why.
    expect((JSON.parse(high.stdout) as JsonReport).findings).toHaveLength(1);
    expect(high.stderr).toContain("at least one at or above high");

    const critical = await baton(repo.dir, ["review", "--base", "main", "--format", "json", "--fail-on", "critical"]);
    expect(critical.code).toBe(0);
    expect(claude.isDone()).toBe(true);
  });

  it("reads the pitfalls from the base commit, not from uncommitted edits in the working tree", async () => {
    repo.write(PITFALLS_PATH, `${repo.read(PITFALLS_PATH)}\n## ${PITFALL_WORKTREE_PHRASE}\n\n${PITFALL_WORKTREE_PHRASE} applies to every handler.\n`);
    expect(repo.git("status", "--porcelain")).toContain(PITFALLS_PATH);
    claude.answers(reviewAnswer([]));

    const run = await baton(repo.dir, ["review", "--base", "main", "--format", "json"]);

    expect(run.code).toBe(0);
    const text = claude.sentText(0);
    expect(text).toContain(PITFALL_PHRASE);
    expect(text).not.toContain(PITFALL_WORKTREE_PHRASE);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).toEqual([]);
    expect(report.manifest.inputs.map((i) => i.identity)).toContain(`${PITFALLS_PATH}@${repo.git("rev-parse", `main:${PITFALLS_PATH}`)}`);
  });

  it("a pitfall committed on the branch under review is not trusted context for its own review", async () => {
    repo.write(PITFALLS_PATH, `${repo.read(PITFALLS_PATH)}\n## ${PITFALL_WORKTREE_PHRASE}\n\n${PITFALL_WORKTREE_PHRASE} applies to every handler.\n`);
    repo.commit("Add a pitfall on the branch");
    claude.answers(reviewAnswer([]));

    const run = await baton(repo.dir, ["review", "--base", "main", "--format", "json"]);

    expect(run.code).toBe(0);
    const sent = claude.sentText(0);
    // The branch's pitfall shows up only inside the diff, as untrusted data.
    const pitfallsBlock = /<pitfalls module="api"[\s\S]*?<\/pitfalls>/.exec(sent)?.[0] ?? "";
    expect(pitfallsBlock).toContain(PITFALL_PHRASE);
    expect(pitfallsBlock).not.toContain(PITFALL_WORKTREE_PHRASE);
    const diffBlock = /<untrusted label="diff [\s\S]*?<\/untrusted>/.exec(sent)?.[0] ?? "";
    expect(diffBlock).toContain(PITFALL_WORKTREE_PHRASE);
  });

  it("uses an Anthropic-compatible endpoint from ANTHROPIC_BASE_URL", async () => {
    const compatible = new Claude("https://llm.internal.example.com").answers(reviewAnswer()).answers(VERIFIED);

    const run = await baton(repo.dir, ["review", "--base", "main", "--format", "json"], { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: "https://llm.internal.example.com" });

    expect(run.code).toBe(0);
    expect(compatible.isDone()).toBe(true);
    expect(run.stderr).toContain("model: Anthropic-compatible endpoint https://llm.internal.example.com");
    expect(compatible.sentText(0)).toContain(ADR_GUIDANCE_PHRASE);
  });

  it("without a key or a recording, says what to set and calls nothing", async () => {
    const run = await baton(repo.dir, ["review", "--base", "main"], {});

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("set ANTHROPIC_API_KEY");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("an unknown --base is a clear error", async () => {
    const run = await baton(repo.dir, ["review", "--base", "no-such-branch"]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("cannot resolve --base no-such-branch");
  });
});
