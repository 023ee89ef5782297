/**
 * Context-resolution benchmark: `npm run bench`.
 *
 * A synthetic repository (5,000 ADRs, 300 pitfall files, 20,000 source
 * paths) served by an in-memory GitHub; the review, architecture-review and
 * dev steps resolve their context through a real GitHub snapshot, cold and
 * warm. The scenarios run in one child Node process, so the first one is
 * truly cold (no blob cache, no ADR parsed yet). Prints a Markdown report
 * and writes it into
 * docs/performance.md between `<!-- bench:start -->` and `<!-- bench:end -->`.
 *
 *   npm run bench                  full scale, updates docs/performance.md
 *   npm run bench -- --small       60 ADRs / 10 pitfall files / 500 paths, no doc update
 *   npm run bench -- --no-write    full scale, print only
 *
 * Exit code 1 when a request-count check fails. Speed is reported, never asserted.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderAdr } from "../src/context-store/adr/write-adr.js";
import { appendPitfall } from "../src/context-store/pitfalls/write-pitfalls.js";
import { createBlobCache } from "../src/snapshot/blob-cache.js";
import { clearAdrMemoryCache } from "../src/context-store/adr/adr-parse-cache.js";
import { FakeGitHub, totalRequests } from "./fake-github.js";
import { measureCliCommands, type CliRow } from "./cli-commands.js";
import { architectureTrigger, commitContextChanges, commitSourceChanges, devTrigger, measure, reviewTrigger, type EventOptions, type Row } from "./scenarios.js";
import { generateSyntheticRepo, type SyntheticRepo, type SyntheticRepoOptions } from "./synthetic-repo.js";

const SCRIPT = fileURLToPath(import.meta.url);
const DOC = fileURLToPath(new URL("../docs/performance.md", import.meta.url));
const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

const { values: args } = parseArgs({
  options: {
    child: { type: "boolean", default: false },
    out: { type: "string" },
    small: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});

const SCALE: SyntheticRepoOptions = args.small ? { adrs: 60, pitfallFiles: 10, sourcePaths: 500 } : { adrs: 5000, pitfallFiles: 300, sourcePaths: 20000 };
const log = (message: string) => process.stderr.write(`${message}\n`);

interface BenchResult {
  rows: Row[];
  repo: { files: number; adrs: number; adrBytes: number; pitfallFiles: number; pitfallBytes: number; sourcePaths: number; sourceBytes: number; generationMs: number; realRenders: number };
  verified: string;
}

// --------------------------------------------------------------- child side

/** The generator's output is what Baton's own writers produce: checked on a sample on every run. */
function verifyGenerator(repo: SyntheticRepo): string {
  const byPath = new Map(repo.files.map((f) => [f.path, f]));
  const step = Math.max(1, Math.floor(repo.adrs.length / 12));
  let adrs = 0;
  for (let i = 0; i < repo.adrs.length; i += step, adrs++) {
    const adr = repo.adrs[i]!;
    if (renderAdr(repo.adrDraft(adr.number)) !== byPath.get(adr.path)?.text()) throw new Error(`generator: ${adr.path} differs from renderAdr`);
  }
  const module = repo.pitfallModules[repo.pitfallModules.length - 1]!;
  let text: string | null = null;
  for (const entry of repo.pitfallEntries(module)) text = appendPitfall(text, module, { ...entry, title: undefined }).content;
  if (text !== byPath.get(`docs/pitfalls/${module}.md`)?.text()) throw new Error(`generator: pitfalls of ${module} differ from appendPitfall`);
  return `${adrs} sampled ADRs equal renderAdr, and docs/pitfalls/${module}.md equals its appendPitfall chain`;
}

async function runAll(): Promise<BenchResult> {
  const t = performance.now();
  const repo = generateSyntheticRepo(SCALE);
  const generationMs = performance.now() - t;
  const verified = verifyGenerator(repo);
  const sum = (kind: string) => repo.files.filter((f) => f.kind === kind).reduce((n, f) => n + f.size, 0);
  const summary = {
    files: repo.files.length,
    adrs: repo.adrs.length,
    adrBytes: sum("adr"),
    pitfallFiles: repo.pitfallModules.length,
    pitfallBytes: sum("pitfalls"),
    sourcePaths: repo.files.filter((f) => f.kind === "source").length,
    sourceBytes: sum("source"),
    generationMs,
    realRenders: repo.realRenders,
  };
  log(`synthetic repository: ${summary.files} files in ${(generationMs / 1000).toFixed(1)} s`);

  const gh = new FakeGitHub(repo);
  const root = gh.head;
  const cache = createBlobCache();
  const event = (step: EventOptions["step"], trigger: EventOptions["trigger"], commit = root, o: Partial<EventOptions> = {}): EventOptions => ({ gh, repo, commit, cache, batchSize: 100, step, trigger, ...o });
  const rows: Row[] = [];
  const run = async (scenario: string, kind: Row["kind"], options: EventOptions, latencyMs = 0) => {
    const row = await measure(scenario, kind, options, latencyMs);
    log(`${scenario}: ${row.wallMs.toFixed(0)} ms, ${totalRequests(row.counts)} requests`);
    rows.push(row);
  };

  const review = reviewTrigger(repo);
  // Parsed ADR records also go to disk (BATON_CACHE_DIR), for the restart scenario below.
  const recordCache = mkdtempSync(join(tmpdir(), "baton-bench-records-"));
  process.env.BATON_CACHE_DIR = recordCache;
  await run("review, cold (new process: empty blob cache, no ADR parsed yet)", "cold", event("review", review));
  await run("review, warm (same commit)", "warm", event("review", review));
  await run("review, warm, after a commit changing 3 source files", "warm", event("review", review, commitSourceChanges(gh, repo)));
  await run("review, warm, after a commit changing an ADR, a pitfall file and a source file", "warm", event("review", review, commitContextChanges(gh, repo)));

  clearAdrMemoryCache();
  await run("review, after a process restart with BATON_CACHE_DIR (ADR records from disk, empty blob cache)", "cold", event("review", review, root, { cache: createBlobCache() }));
  delete process.env.BATON_CACHE_DIR;
  rmSync(recordCache, { recursive: true, force: true });

  // The store (ADRs and pitfalls) is the same for every step: its parse cost was measured above.
  // Each step gets its own blob cache, empty for its first event and shared by its second.
  const architecture = architectureTrigger(repo);
  const architectureCache = createBlobCache();
  await run("architecture review, empty blob cache (ADRs already parsed)", "cold", event("architecture-review", architecture, root, { cache: architectureCache }));
  await run("architecture review, warm (same commit)", "warm", event("architecture-review", architecture, root, { cache: architectureCache }));
  const dev = devTrigger(repo);
  const devCache = createBlobCache();
  await run("dev, empty blob cache (ADRs already parsed)", "cold", event("dev", dev, root, { cache: devCache }));
  await run("dev, warm (same commit)", "warm", event("dev", dev, root, { cache: devCache }));

  for (const batchSize of [25, 50, 100]) {
    await run(`review, empty blob cache, batch ${batchSize}`, "batch", event("review", review, root, { cache: createBlobCache(), batchSize }));
  }
  const slow = new FakeGitHub(repo, { latencyMs: 250 });
  await run("review, empty blob cache, 250 ms per request", "batch", event("review", review, slow.head, { gh: slow, cache: createBlobCache() }), 250);
  return { rows, repo: summary, verified };
}

// -------------------------------------------------------------- parent side

interface Check {
  ok: boolean;
  text: string;
}

function checksFor(rows: Row[]): Check[] {
  const checks: Check[] = [];
  for (const r of rows) {
    const total = totalRequests(r.counts);
    if (r.kind === "warm") checks.push({ ok: total <= 2, text: `${r.scenario}: ${total} request${total === 1 ? "" : "s"} (at most 2)` });
    else {
      checks.push({
        ok: r.counts.graphql === r.expectedGraphql && r.counts.restBlob === 0 && r.counts.tree === 1,
        text: `${r.scenario}: ${r.counts.tree} tree + ${r.counts.graphql} GraphQL = 1 + Σ⌈blobs per read / ${r.batchSize}⌉ = 1 + ${r.fetchedPerCall.map((n) => `⌈${n}/${r.batchSize}⌉`).join(" + ")}`,
      });
    }
  }
  return checks;
}

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const load = () => loadavg().map((n) => n.toFixed(1)).join(" / ");

/** GitHub refuses comment bodies and check-run summaries longer than this. */
const GITHUB_TEXT_LIMIT = 65_536;

function report(result: BenchResult, totalSeconds: number, loadBefore: string, cli: CliRow[]): { markdown: string; ok: boolean } {
  const { rows, repo } = result;
  const checks = checksFor(rows);
  const cpu = cpus();
  const lines: string[] = [];
  lines.push(
    `Run on ${new Date().toISOString().slice(0, 10)} with Node ${process.version} (${process.platform}/${process.arch}), ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${f1(totalmem() / 1024 ** 3)} GiB RAM; load average (1/5/15 min) ${loadBefore} before, ${load()} after; whole benchmark ${f0(totalSeconds)} s. Wall times depend on what else the machine runs; CPU times much less.`,
    "",
    `Synthetic repository: ${repo.files} files: ${repo.adrs} ADRs (${f1(repo.adrBytes / 1024 ** 2)} MiB, ${f0(repo.adrBytes / repo.adrs)} bytes on average), ${repo.pitfallFiles} pitfall files (${f0(repo.pitfallBytes / 1024)} KiB), ${repo.sourcePaths} source paths (${f1(repo.sourceBytes / 1024 ** 2)} MiB). Generated in ${f1(repo.generationMs / 1000)} s (${repo.realRenders} real writer renders, the rest filled in from them; ${result.verified}).`,
    "",
    "| Scenario | Wall ms | CPU ms | Heap Δ MiB | Peak RSS MiB | Tree | GraphQL | REST | Total | Blobs fetched | Expected GraphQL: Σ⌈blobs per read / batch⌉ | Context: inputs / left out / tokens | Manifest KiB |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|",
  );
  for (const r of rows) {
    lines.push(
      `| ${r.scenario} | ${f0(r.wallMs)} | ${f0(r.cpuMs)} | ${f1(r.heapDeltaMb)} | ${f0(r.peakRssMb)} | ${r.counts.tree} | ${r.counts.graphql} | ${r.counts.restBlob} | ${totalRequests(r.counts)} | ${r.blobsFetched} | ${r.expectedGraphql} (reads of ${r.fetchedPerCall.join(" + ") || "0"} blobs, batch ${r.batchSize}) | ${r.inputs} / ${r.omitted} / ${r.usedTokens} | ${f0(r.manifestChars / 1024)} |`,
    );
  }
  lines.push(
    "",
    "Heap Δ is what stays allocated after the event (caches: blob cache, listing, parsed ADRs), after a full GC; peak RSS is the process's high-water mark so far (the first row's is the cold peak).",
    "",
    "Where the wall time goes (ms): snapshot I/O is time spent waiting on the listing and blob reads (in brackets, the fake GitHub's own share: building and JSON-encoding responses); store is loading the context store minus its I/O (parsing ADRs); resolve is the selectors and the budget.",
    "",
    "| Scenario | Snapshot I/O (fake GitHub) | Store (parse) | Store CPU (all of it, fake GitHub included) | Resolve (selectors, budget) |",
    "|---|--:|--:|--:|--:|",
  );
  for (const r of rows) lines.push(`| ${r.scenario} | ${f0(r.ioMs)} (${f0(r.fakeMs)}) | ${f0(Math.max(0, r.storeMs - r.ioMs))} | ${f0(r.storeCpuMs)} | ${f0(r.resolveMs)} |`);
  lines.push("", "What each step was given (first event of each step; selectors in priority order; blocks given / tokens, blocks left out / tokens):", "");
  lines.push("| Step | Budget | Selector | Given | Tokens given | Left out | Tokens left out |", "|---|--:|---|--:|--:|--:|--:|");
  const seen = new Set<string>();
  for (const r of rows) {
    const step = r.scenario.split(",")[0]!;
    if (seen.has(step)) continue;
    seen.add(step);
    for (const [selector, c] of Object.entries(r.composition)) {
      lines.push(`| ${step} | ${r.budget} | ${selector} | ${c.given} | ${c.givenTokens} | ${c.leftOut} | ${c.leftOutTokens} |`);
    }
  }
  lines.push(
    "",
    "The repository tools on a checkout, each command a new process (`node bin/baton.js`, TypeScript through tsx when `dist/` is not built; CPU is the process's, all threads):",
    "",
    "| Command | Record cache | Wall ms | CPU ms | Exit | Summary |",
    "|---|---|--:|--:|--:|---|",
    ...cli.map((c) => `| ${c.command} | ${c.cache} | ${f0(c.wallMs)} | ${f0(c.cpuMs)} | ${c.exitCode} | ${c.summary.replace(/\|/g, "\\|")} |`),
  );
  lines.push("", "Checks:", "");
  for (const c of checks) lines.push(`- ${c.ok ? "PASS" : "FAIL"}: ${c.text}`);
  const large = rows.filter((r) => r.manifestChars > GITHUB_TEXT_LIMIT);
  if (large.length > 0) {
    lines.push(`- NOTE: the manifest Markdown exceeds GitHub's ${GITHUB_TEXT_LIMIT} characters for a comment or check-run summary in: ${[...new Set(large.map((r) => r.scenario.split(",")[0]))].join(", ")} (reported, not checked).`);
  }
  return { markdown: lines.join("\n"), ok: checks.every((c) => c.ok) };
}

function writeDoc(markdown: string): void {
  let doc = "";
  try {
    doc = readFileSync(DOC, "utf8");
  } catch {
    doc = `# Performance\n\n${START}\n${END}\n`;
  }
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  const section = `${START}\n${markdown}\n${END}`;
  doc = start >= 0 && end > start ? doc.slice(0, start) + section + doc.slice(end + END.length) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(DOC, doc);
}

async function main(): Promise<void> {
  if (args.child) {
    const result = await runAll();
    writeFileSync(args.out ?? "/dev/stdout", JSON.stringify(result));
    return;
  }
  // The scenarios run in a child process started with --expose-gc: a new
  // process is what "cold" means, and heap figures need a full GC.
  const loadBefore = load();
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "baton-bench-"));
  let result: BenchResult;
  try {
    const out = join(dir, "result.json");
    const childArgs = [...process.execArgv, "--expose-gc", SCRIPT, "--child", "--out", out, ...(args.small ? ["--small"] : [])];
    const child = spawnSync(process.execPath, childArgs, { stdio: ["ignore", "inherit", "inherit"] });
    if (child.status !== 0) throw new Error(`benchmark process failed (exit ${child.status ?? child.signal})`);
    result = JSON.parse(readFileSync(out, "utf8")) as BenchResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cli = measureCliCommands(args.small ? 200 : 2000, log);
  const { markdown, ok } = report(result, (performance.now() - started) / 1000, loadBefore, cli);
  process.stdout.write(`${markdown}\n`);
  if (!args.small && !args["no-write"]) {
    writeDoc(markdown);
    log(`\nfigures written to ${DOC}`);
  }
  if (!ok) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
