/**
 * Context-resolution benchmark: `npm run bench`.
 *
 * A synthetic repository (5,000 ADRs, 300 pitfall files, 20,000 source
 * paths) served by an in-memory GitHub; the review, architecture-review and
 * dev steps resolve their context through a real GitHub snapshot, cold and
 * warm. Each group of scenarios runs in its own Node process, so "cold"
 * means a new process (no blob cache, no ADR parse cache) and peak RSS is
 * that process's own. Prints a Markdown report and writes it into
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
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderAdr } from "../src/context-store/adr/write-adr.js";
import { appendPitfall } from "../src/context-store/pitfalls/write-pitfalls.js";
import { createBlobCache } from "../src/snapshot/blob-cache.js";
import { FakeGitHub, totalRequests } from "./fake-github.js";
import { architectureTrigger, commitContextChanges, commitSourceChanges, devTrigger, measure, reviewTrigger, type EventOptions, type Row } from "./scenarios.js";
import { generateSyntheticRepo, type SyntheticRepo, type SyntheticRepoOptions } from "./synthetic-repo.js";

const SCRIPT = fileURLToPath(import.meta.url);
const DOC = fileURLToPath(new URL("../docs/performance.md", import.meta.url));
const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";
const GROUPS = ["review", "architecture", "dev"] as const;
type Group = (typeof GROUPS)[number];

const { values: args } = parseArgs({
  options: {
    child: { type: "string" },
    out: { type: "string" },
    small: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});

const SCALE: SyntheticRepoOptions = args.small ? { adrs: 60, pitfallFiles: 10, sourcePaths: 500 } : { adrs: 5000, pitfallFiles: 300, sourcePaths: 20000 };
const log = (message: string) => process.stderr.write(`${message}\n`);

interface GroupResult {
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

async function runGroup(group: Group): Promise<GroupResult> {
  const t = performance.now();
  const repo = generateSyntheticRepo(SCALE);
  const generationMs = performance.now() - t;
  const verified = group === "review" ? verifyGenerator(repo) : "";
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
  log(`[${group}] synthetic repository: ${summary.files} files in ${(generationMs / 1000).toFixed(1)} s`);

  const gh = new FakeGitHub(repo);
  const root = gh.head;
  const cache = createBlobCache();
  const event = (step: EventOptions["step"], trigger: EventOptions["trigger"], commit = root, o: Partial<EventOptions> = {}): EventOptions => ({ gh, repo, commit, cache, batchSize: 100, step, trigger, ...o });
  const rows: Row[] = [];
  const run = async (scenario: string, kind: Row["kind"], options: EventOptions, latencyMs = 0) => {
    const row = await measure(group, scenario, kind, options, latencyMs);
    log(`[${group}] ${scenario}: ${row.wallMs.toFixed(0)} ms, ${totalRequests(row.counts)} requests`);
    rows.push(row);
  };

  if (group === "review") {
    const trigger = reviewTrigger(repo);
    await run("review, cold (new process, empty caches)", "cold", event("review", trigger));
    await run("review, warm (same commit)", "warm", event("review", trigger));
    await run("review, warm, after a commit changing 3 source files", "warm", event("review", trigger, commitSourceChanges(gh, repo)));
    await run("review, warm, after a commit changing an ADR, a pitfall file and a source file", "warm", event("review", trigger, commitContextChanges(gh, repo)));
    for (const batchSize of [25, 50, 100]) {
      await run(`review, empty blob cache, batch ${batchSize}`, "batch", event("review", trigger, root, { cache: createBlobCache(), batchSize }));
    }
    const slow = new FakeGitHub(repo, { latencyMs: 250 });
    await run("review, empty blob cache, 250 ms per request", "batch", event("review", trigger, slow.head, { gh: slow, cache: createBlobCache() }), 250);
  } else if (group === "architecture") {
    const trigger = architectureTrigger(repo);
    await run("architecture review, cold (new process)", "cold", event("architecture-review", trigger));
    await run("architecture review, warm (same commit)", "warm", event("architecture-review", trigger));
  } else {
    const trigger = devTrigger(repo);
    await run("dev, cold (new process)", "cold", event("dev", trigger));
    await run("dev, warm (same commit)", "warm", event("dev", trigger));
  }
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
    if (r.kind === "warm") checks.push({ ok: total <= 2, text: `${r.scenario}: ${total} requests (at most 2)` });
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

function report(results: GroupResult[], totalSeconds: number): { markdown: string; ok: boolean } {
  const rows = results.flatMap((r) => r.rows);
  const repo = results[0]!.repo;
  const checks = checksFor(rows);
  const cpu = cpus();
  const lines: string[] = [];
  lines.push(
    `Run on ${new Date().toISOString().slice(0, 10)} with Node ${process.version} (${process.platform}/${process.arch}), ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${f1(totalmem() / 1024 ** 3)} GiB RAM; whole benchmark ${f0(totalSeconds)} s.`,
    "",
    `Synthetic repository: ${repo.files} files: ${repo.adrs} ADRs (${f1(repo.adrBytes / 1024 ** 2)} MiB, ${f0(repo.adrBytes / repo.adrs)} bytes on average), ${repo.pitfallFiles} pitfall files (${f0(repo.pitfallBytes / 1024)} KiB), ${repo.sourcePaths} source paths (${f1(repo.sourceBytes / 1024 ** 2)} MiB). Generated in ${f1(repo.generationMs / 1000)} s per process (${repo.realRenders} real writer renders, the rest filled from them; ${results[0]!.verified}).`,
    "",
    "| Scenario | Wall ms | CPU ms | Heap Δ MiB | Peak RSS MiB | Tree | GraphQL | REST | Total | Blobs fetched | Expected GraphQL Σ⌈n/batch⌉ | Context: inputs / left out / tokens |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
  );
  for (const r of rows) {
    lines.push(
      `| ${r.scenario} | ${f0(r.wallMs)} | ${f0(r.cpuMs)} | ${f1(r.heapDeltaMb)} | ${f0(r.peakRssMb)} | ${r.counts.tree} | ${r.counts.graphql} | ${r.counts.restBlob} | ${totalRequests(r.counts)} | ${r.blobsFetched} | ${r.expectedGraphql} (${r.fetchedPerCall.join(" + ") || "0"} blobs, batch ${r.batchSize}) | ${r.inputs} / ${r.omitted} / ${r.usedTokens} |`,
    );
  }
  lines.push("", "Where the wall time goes (ms): snapshot I/O is time spent waiting on the listing and blob reads (the fake GitHub's own share, encoding responses as JSON, in brackets); store is loading the context store minus its I/O (mostly parsing ADRs); resolve is the selectors and the budget.", "");
  lines.push("| Scenario | Snapshot I/O (fake GitHub) | Store (parse) | Resolve (selectors, budget) |", "|---|--:|--:|--:|");
  for (const r of rows) lines.push(`| ${r.scenario} | ${f0(r.ioMs)} (${f0(r.fakeMs)}) | ${f0(Math.max(0, r.storeMs - r.ioMs))} | ${f0(r.resolveMs)} |`);
  lines.push("", "Checks:", "");
  for (const c of checks) lines.push(`- ${c.ok ? "PASS" : "FAIL"}: ${c.text}`);
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
    const result = await runGroup(args.child as Group);
    writeFileSync(args.out ?? "/dev/stdout", JSON.stringify(result));
    return;
  }
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "baton-bench-"));
  const results: GroupResult[] = [];
  try {
    for (const group of GROUPS) {
      const out = join(dir, `${group}.json`);
      const childArgs = [...process.execArgv, "--expose-gc", SCRIPT, "--child", group, "--out", out, ...(args.small ? ["--small"] : [])];
      const child = spawnSync(process.execPath, childArgs, { stdio: ["ignore", "inherit", "inherit"] });
      if (child.status !== 0) throw new Error(`benchmark group ${group} failed (exit ${child.status ?? child.signal})`);
      results.push(JSON.parse(readFileSync(out, "utf8")) as GroupResult);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { markdown, ok } = report(results, (performance.now() - started) / 1000);
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
