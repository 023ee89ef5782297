import { readRepoConfig } from "../src/config/read-repo-config.js";
import type { StepId } from "../src/config/config-schema.js";
import { loadContextStore } from "../src/context-store/load-context-store.js";
import { appendPitfall } from "../src/context-store/pitfalls/write-pitfalls.js";
import { declareSteps } from "../src/graph/default-steps.js";
import { manifestToMarkdown } from "../src/graph/render-manifest.js";
import { resolveContext, type ResolvedContext } from "../src/graph/resolve-context.js";
import type { StepTrigger } from "../src/graph/step-trigger.js";
import type { BlobCache } from "../src/snapshot/blob-cache.js";
import { createGitHubSnapshot } from "../src/snapshot/github-snapshot.js";
import type { RepoSnapshot } from "../src/snapshot/repo-snapshot.js";
import type { DiffFile } from "../src/steps/review/diff-files.js";
import { expectedGraphqlRequests, FakeGitHub, traceReads, type RequestCounts } from "./fake-github.js";
import type { SyntheticRepo } from "./synthetic-repo.js";

/**
 * One benchmark event, done the way the runner does it (openRepository, then
 * the step): a snapshot at the trusted commit, `.github/baton.yml` read from
 * it, the context store loaded, the step's context resolved. Measured:
 * wall and CPU time, memory, and the GitHub requests made, by kind.
 */

export interface EventResult {
  context: ResolvedContext;
  /** Blobs each readFiles call fetched. */
  fetchedPerCall: number[];
  /** Time spent waiting on the snapshot (listing and blob reads), ms. */
  ioMs: number;
  storeCpuMs: number;
  /** Phase boundaries, ms from the start: config read, store loaded, context resolved. */
  phases: { config: number; store: number; resolve: number };
}

export interface EventOptions {
  gh: FakeGitHub;
  repo: SyntheticRepo;
  commit: string;
  cache: BlobCache;
  batchSize: number;
  step: StepId;
  trigger: StepTrigger;
}

export async function runEvent(o: EventOptions): Promise<EventResult> {
  const start = performance.now();
  const snapshot = createGitHubSnapshot({ octokit: o.gh, owner: o.repo.owner, repo: o.repo.name, commit: o.commit, cache: o.cache, batchSize: o.batchSize });
  const trace = traceReads(snapshot, () => snapshot.stats().blobsFetched);
  let ioMs = 0;
  const timed: RepoSnapshot = {
    commit: snapshot.commit,
    listFiles: async () => {
      const t = performance.now();
      try {
        return await trace.snapshot.listFiles();
      } finally {
        ioMs += performance.now() - t;
      }
    },
    readFiles: async (paths) => {
      const t = performance.now();
      try {
        return await trace.snapshot.readFiles(paths);
      } finally {
        ioMs += performance.now() - t;
      }
    },
  };
  const repoConfig = await readRepoConfig(timed);
  if (!repoConfig.ok) throw new Error(`synthetic .github/baton.yml is invalid: ${JSON.stringify(repoConfig.errors)}`);
  const config = performance.now();
  const cpuBeforeStore = process.cpuUsage();
  const store = await loadContextStore(timed, repoConfig.config);
  const storeCpu = process.cpuUsage(cpuBeforeStore);
  const loaded = performance.now();
  const steps = declareSteps(repoConfig.config, store.adrFolder ?? undefined);
  const context = await resolveContext({ step: steps[o.step], snapshot: timed, config: repoConfig.config, configIdentity: repoConfig.identity, trigger: o.trigger, store });
  const end = performance.now();
  return { context, fetchedPerCall: trace.fetchedPerCall, ioMs, storeCpuMs: (storeCpu.user + storeCpu.system) / 1000, phases: { config: config - start, store: loaded - start, resolve: end - start } };
}

export interface Row {
  scenario: string;
  /** cold: nothing cached; warm: the cache of earlier events; batch: the request-count series. */
  kind: "cold" | "warm" | "batch";
  batchSize: number;
  wallMs: number;
  cpuMs: number;
  /** Time the fake GitHub spent answering (JSON encoding), included in wall and CPU. */
  fakeMs: number;
  ioMs: number;
  storeMs: number;
  /** CPU of loading the context store (the fast tier for every ADR not cached, and the fake GitHub serving its blobs). */
  storeCpuMs: number;
  resolveMs: number;
  heapDeltaMb: number;
  peakRssMb: number;
  counts: RequestCounts;
  fetchedPerCall: number[];
  blobsFetched: number;
  expectedGraphql: number;
  inputs: number;
  omitted: number;
  usedTokens: number;
  budget: number;
  /** Per input selector: blocks given and tokens, blocks left out and their tokens. */
  composition: Record<string, { given: number; givenTokens: number; leftOut: number; leftOutTokens: number }>;
  /** Characters of the manifest as Markdown (what a PR comment or check run shows). */
  manifestChars: number;
  latencyMs: number;
}

const MB = 1024 * 1024;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export async function measure(scenario: string, kind: Row["kind"], o: EventOptions, latencyMs = 0): Promise<Row> {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  o.gh.resetCounts();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await runEvent(o);
  const wallMs = performance.now() - start;
  const cpuUsed = process.cpuUsage(cpu);
  const counts = o.gh.counts();
  collectGarbage();
  const heapAfter = process.memoryUsage().heapUsed;
  const blobsFetched = result.fetchedPerCall.reduce((a, b) => a + b, 0);
  return {
    scenario,
    kind,
    batchSize: o.batchSize,
    wallMs,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    fakeMs: o.gh.serveMs(),
    ioMs: result.ioMs,
    storeMs: result.phases.store - result.phases.config,
    storeCpuMs: result.storeCpuMs,
    resolveMs: result.phases.resolve - result.phases.store,
    heapDeltaMb: (heapAfter - heapBefore) / MB,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    counts,
    fetchedPerCall: result.fetchedPerCall,
    blobsFetched,
    expectedGraphql: expectedGraphqlRequests(result.fetchedPerCall, o.batchSize),
    inputs: result.context.manifest.inputs.length,
    omitted: result.context.manifest.omitted.length,
    usedTokens: result.context.manifest.usedTokens,
    budget: result.context.manifest.budget,
    composition: composition(result.context),
    manifestChars: manifestToMarkdown(result.context.manifest, { collapsible: true }).length,
    latencyMs,
  };
}

function composition(context: ResolvedContext): Row["composition"] {
  const out: Row["composition"] = {};
  const slot = (selector: string) => (out[selector] ??= { given: 0, givenTokens: 0, leftOut: 0, leftOutTokens: 0 });
  for (const selector of context.step.inputs) slot(selector);
  for (const i of context.manifest.inputs) {
    slot(i.selector).given++;
    slot(i.selector).givenTokens += i.tokens;
  }
  for (const o of context.manifest.omitted) {
    slot(o.selector).leftOut++;
    slot(o.selector).leftOutTokens += o.tokens;
  }
  return out;
}

// ------------------------------------------------------------------ triggers

/** Three modules for the review, present at any scale. */
export function reviewModules(repo: SyntheticRepo): string[] {
  const preferred = ["billing", "orders", "payments"].filter((m) => repo.modules.includes(m));
  return preferred.length === 3 ? preferred : repo.modules.slice(0, 3);
}

function newestAdr(repo: SyntheticRepo, test: (a: SyntheticRepo["adrs"][number]) => boolean): SyntheticRepo["adrs"][number] | undefined {
  for (let i = repo.adrs.length - 1; i >= 0; i--) if (test(repo.adrs[i]!)) return repo.adrs[i];
  return undefined;
}

function sourcePathsOf(repo: SyntheticRepo, module: string, count: number): string[] {
  return repo.files.filter((f) => f.kind === "source" && f.path.startsWith(`src/${module}/`)).slice(0, count).map((f) => f.path);
}

function modifiedFile(path: string): DiffFile {
  return {
    path,
    status: "modified",
    binary: false,
    additions: 2,
    deletions: 1,
    hunks: [
      {
        header: "@@ -8,4 +8,5 @@",
        oldStart: 8,
        oldLines: 4,
        newStart: 8,
        newLines: 5,
        lines: [
          { type: "context", content: "export async function step0(input: string): Promise<string> {", oldLine: 8, newLine: 8 },
          { type: "del", content: "  return input.trim();", oldLine: 9 },
          { type: "add", content: "  const trimmed = input.trim();", newLine: 9 },
          { type: "add", content: "  return trimmed.length > 0 ? trimmed : fallback();", newLine: 10 },
          { type: "context", content: "}", oldLine: 10, newLine: 11 },
        ],
      },
    ],
  };
}

/** A pull request touching two files in each of three modules, linking the newest ADR of the first. */
export function reviewTrigger(repo: SyntheticRepo): StepTrigger {
  const modules = reviewModules(repo);
  const adr = newestAdr(repo, (a) => a.status === "accepted" && a.modules.includes(modules[0]!));
  const files = modules.flatMap((m) => sourcePathsOf(repo, m, 2)).map(modifiedFile);
  return {
    spec: { kind: "issue", number: 4242, title: `Retry failed ${modules[0]} charges`, body: "Charges that fail with a timeout should be retried once, idempotently.", updatedAt: "2026-01-05T10:00:00Z" },
    linkedAdrs: adr ? [adr.number] : [],
    changedPaths: files.map((f) => f.path),
    diff: { base: "1".repeat(40), head: "2".repeat(40), files },
  };
}

/** An issue labelled needs-architecture that names two modules. */
export function architectureTrigger(repo: SyntheticRepo): StepTrigger {
  const [a, b] = reviewModules(repo);
  return {
    spec: {
      kind: "issue",
      number: 4243,
      title: `Split refunds out of ${a}`,
      body: `Refunds live in ${a} today and call ${b} synchronously. We want them as their own flow with an outbox.`,
      updatedAt: "2026-01-05T10:00:00Z",
    },
  };
}

/** The dev step for an accepted ADR with two or more modules. */
export function devTrigger(repo: SyntheticRepo): StepTrigger {
  const adr = newestAdr(repo, (x) => x.status === "accepted" && x.modules.length >= 2) ?? newestAdr(repo, () => true);
  return {
    spec: { kind: "issue", number: 4244, title: "Implement the accepted decision", body: "See the linked ADR.", updatedAt: "2026-01-05T10:00:00Z" },
    linkedAdrs: adr ? [adr.number] : [],
  };
}

// ------------------------------------------------------------------- commits

/** A merged PR that changed three source files of the reviewed modules: nothing the review reads. */
export function commitSourceChanges(gh: FakeGitHub, repo: SyntheticRepo): string {
  const changes: Record<string, string> = {};
  for (const m of reviewModules(repo)) {
    const path = sourcePathsOf(repo, m, 3)[2]!;
    changes[path] = `${gh.read(path) ?? ""}\n// touched\n`;
  }
  return gh.commit(changes);
}

/** A merged PR that changed an ADR, a pitfall file and a source file of the reviewed modules: all three are context. */
export function commitContextChanges(gh: FakeGitHub, repo: SyntheticRepo): string {
  const [first] = reviewModules(repo);
  const adr = newestAdr(repo, (a) => a.status === "accepted" && a.modules.includes(first!))!;
  const adrText = gh.read(adr.path) ?? "";
  const pitfallPath = `docs/pitfalls/${first}.md`;
  const lesson = appendPitfall(gh.read(pitfallPath) ?? null, first!, {
    lesson: "Charge retries must reuse the idempotency key of the first attempt.",
    why: "A customer was charged twice.",
    source: { url: "https://github.com/acme/shop/pull/9001" },
    date: "2026-01-04",
  });
  const source = sourcePathsOf(repo, first!, 4)[3]!;
  return gh.commit({
    [adr.path]: adrText.replace("## Consequences\n\n", "## Consequences\n\n* Good, because retries are now measured per attempt\n"),
    [pitfallPath]: lesson.content,
    [source]: `${gh.read(source) ?? ""}\n// touched\n`,
  });
}
