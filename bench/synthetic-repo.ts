import { createHash } from "node:crypto";
import YAML from "yaml";
import type { AdrDraft, AdrDraftStatus } from "../src/context-store/adr/write-adr.js";
import type { NewPitfall } from "../src/context-store/pitfalls/pitfall-entry.js";
import {
  adrDraft,
  AdrRenderer,
  ADR_VARIANTS,
  NUMBER_SLOTS,
  pitfallEntry,
  PitfallRenderer,
  PITFALL_VARIANTS,
  WORD_SLOTS,
  type AdrShape,
  type AdrSpecKind,
  type AdrValues,
  type PitfallValues,
} from "./synthetic-text.js";

/**
 * A deterministic synthetic repository for the context-resolution benchmark:
 * Baton-format ADRs under docs/adr, pitfall files under docs/pitfalls, source
 * files under src/<module>/…, and a `.github/baton.yml` declaring the
 * modules. Every file has its real git blob SHA. Source files are small and
 * generated on demand from their path (only their SHA and size are kept).
 */

export interface SyntheticRepoOptions {
  adrs: number;
  pitfallFiles: number;
  sourcePaths: number;
  /** Declared modules (default 50). */
  modules?: number;
  /** PRNG seed (default 1). */
  seed?: number;
}

export interface SyntheticFile {
  path: string;
  /** Git blob SHA of the content. */
  sha: string;
  /** Bytes (UTF-8). */
  size: number;
  kind: "adr" | "pitfalls" | "source" | "other";
  /** The content; computed again on every call for source files. */
  text(): string;
}

export interface SyntheticAdr {
  number: number;
  path: string;
  modules: string[];
  status: AdrDraftStatus;
  spec: string | null;
  supersedes: number | null;
  supersededBy: number | null;
}

export interface SyntheticRepo {
  owner: string;
  name: string;
  /** Declared module names (`src/<name>/**` each). */
  modules: string[];
  configText: string;
  /** Every file, sorted by path. */
  files: SyntheticFile[];
  adrs: SyntheticAdr[];
  /** Module (file name) of each pitfall file: the declared modules first, then retired or finer-grained ones. */
  pitfallModules: string[];
  /** The draft an ADR's text is `renderAdr` of (for verification). */
  adrDraft(number: number): AdrDraft;
  /** The entries a pitfall file is the `appendPitfall` chain of (for verification). */
  pitfallEntries(module: string): NewPitfall[];
  /** Real (non-template) renders the generator made: the cost of exactness. */
  realRenders: number;
}

/** Git's blob id: SHA-1 of `blob <byte length>\0<content>`. */
export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

const MODULE_NAMES = (
  "accounts admin analytics api audit auth billing cart catalog checkout config crm email events exports feeds files gateway " +
  "geo identity imports inventory invoices jobs ledger loyalty media messaging metrics mobile notifications orders partners " +
  "payments pricing profiles promotions ratings recommendations refunds reports search sessions shipping storefront " +
  "subscriptions support tax users webhooks"
).split(" ");
const AREAS = ["legacy", "sync", "worker", "ui", "batch", "v1", "cache"];
const WORDS = (
  "Postgres Kafka Redis gRPC GraphQL S3 Elasticsearch RabbitMQ DynamoDB Temporal OpenTelemetry Envoy Vault Terraform Sidekiq " +
  "webhooks outbox sagas retries pagination caching sharding idempotency throttling batching rollouts migrations snapshots"
).split(" ");
const VERBS = ["Use", "Adopt", "Introduce", "Replace", "Standardise on", "Move to", "Keep", "Drop"];
const CONCERNS = ["background jobs", "event delivery", "read models", "rate limiting", "audit trails", "search indexing", "file storage", "session state", "service discovery", "secrets"];
const SUBFOLDERS = ["handlers", "models", "services", "lib", "__tests__"];
const NOUNS = ["order", "invoice", "user", "token", "report", "queue", "client", "mapper", "policy", "schema", "adapter", "worker"];

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isoDate(dayOffset: number): string {
  return new Date(Date.UTC(2015, 0, 1) + dayOffset * 86_400_000).toISOString().slice(0, 10);
}

function moduleNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i < MODULE_NAMES.length ? MODULE_NAMES[i]! : `module${i}`));
}

/** A small TypeScript file, derived from its path alone. */
export function sourceText(path: string): string {
  const hash = createHash("sha1").update(path).digest();
  const base = path.slice(path.lastIndexOf("/") + 1).replace(/\.ts$/, "");
  const ident = base.replace(/(?:^|[^A-Za-z0-9]+)(.)/g, (_m, c: string) => c.toUpperCase());
  const fns = 1 + ((hash[0] ?? 0) % 4);
  const lines = [`// ${path}`, `import { log } from "../lib/log.js";`, "", `export interface ${ident}Options {`, "  timeoutMs: number;", "  retries: number;", "}", ""];
  for (let i = 0; i < fns; i++) {
    lines.push(
      `export async function ${ident}Step${i}(input: string, options: ${ident}Options): Promise<string> {`,
      `  log("${base}: step ${i}", { size: input.length, timeout: options.timeoutMs });`,
      `  if (input.length > ${(hash[i + 1] ?? 7) * 16}) return input.slice(0, ${(hash[i + 2] ?? 5) * 8});`,
      `  return input.trim();`,
      "}",
      "",
    );
  }
  return lines.join("\n");
}

function textFile(path: string, kind: SyntheticFile["kind"], text: string): SyntheticFile {
  return { path, kind, sha: gitBlobSha(text), size: Buffer.byteLength(text), text: () => text };
}

export function generateSyntheticRepo(options: SyntheticRepoOptions): SyntheticRepo {
  const random = prng(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const modules = moduleNames(options.modules ?? 50);
  const files: SyntheticFile[] = [];

  const configText = YAML.stringify({ modules: Object.fromEntries(modules.map((m) => [m, [`src/${m}/**`]])) });
  files.push(textFile(".github/baton.yml", "other", configText));
  files.push(textFile("README.md", "other", "# Shop\n\nA synthetic repository for Baton's context-resolution benchmark.\n"));

  // ADR metadata first: supersession links go both ways.
  const adrs: SyntheticAdr[] = [];
  const shapes: AdrShape[] = [];
  const values: AdrValues[] = [];
  for (let n = 1; n <= options.adrs; n++) {
    const count = 1 + Math.floor(random() * 3);
    const mods = new Set<string>();
    while (mods.size < Math.min(count, modules.length)) mods.add(pick(modules));
    const r = random();
    const specKind: AdrSpecKind = r < 0.5 ? "issue" : r < 0.6 ? "file" : "none";
    const s = random();
    const status: AdrDraftStatus = s < 0.05 ? "proposed" : s < 0.07 ? "deprecated" : s < 0.08 ? "rejected" : "accepted";
    const title = `${pick(VERBS)} ${pick(WORDS)} for ${pick(CONCERNS)} in ${[...mods][0]}`;
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 50);
    const spec = specKind === "issue" ? String(1000 + n) : specKind === "file" ? `spec-${n}` : null;
    adrs.push({ number: n, path: `docs/adr/${String(n).padStart(4, "0")}-${slug}.md`, modules: [...mods], status, spec, supersedes: null, supersededBy: null });
    shapes.push({ variant: Math.floor(random() * ADR_VARIANTS), moduleCount: mods.size, spec: specKind, supersedes: false, supersededBy: false });
    values.push({
      number: n,
      title,
      status,
      date: isoDate(Math.floor(n * 0.6)),
      modules: [...mods],
      spec,
      supersedes: null,
      supersededBy: null,
      words: Array.from({ length: WORD_SLOTS }, () => pick(WORDS)),
      numbers: Array.from({ length: NUMBER_SLOTS }, () => String(2 + Math.floor(random() * 900))),
    });
  }
  // About one ADR in ten supersedes an earlier accepted one of the same first module.
  for (let j = 20; j < adrs.length; j++) {
    if (random() >= 0.1) continue;
    const i = j - 1 - Math.floor(random() * Math.min(j, 200));
    const older = adrs[i]!;
    const newer = adrs[j]!;
    if (older.status !== "accepted" || older.supersededBy !== null || newer.supersedes !== null) continue;
    older.status = "superseded";
    older.supersededBy = newer.number;
    newer.supersedes = older.number;
    if (!newer.modules.includes(older.modules[0]!)) newer.modules[newer.modules.length - 1] = older.modules[0]!;
  }
  const adrRenderer = new AdrRenderer();
  const finalValues = (k: number): { shape: AdrShape; v: AdrValues } => {
    const a = adrs[k]!;
    return {
      shape: { ...shapes[k]!, supersedes: a.supersedes !== null, supersededBy: a.supersededBy !== null },
      v: { ...values[k]!, status: a.status, modules: a.modules, supersedes: a.supersedes, supersededBy: a.supersededBy },
    };
  };
  adrs.forEach((a, k) => {
    const { shape, v } = finalValues(k);
    files.push(textFile(a.path, "adr", adrRenderer.render(shape, v)));
  });
  files.push(textFile("docs/adr/README.md", "other", "# Architecture decisions\n\nGenerated index (not part of the benchmark).\n"));
  for (const a of adrs.filter((x) => x.spec?.startsWith("spec-")).slice(0, 30)) {
    files.push(textFile(`docs/specs/${a.spec}.md`, "other", `# Spec ${a.spec}\n\nWhat ADR ${a.number} answers.\n`));
  }

  // Pitfall files: the declared modules first, then retired or finer-grained module names.
  const pitfallModules: string[] = [];
  for (let i = 0; pitfallModules.length < options.pitfallFiles; i++) {
    pitfallModules.push(i < modules.length ? modules[i]! : `${modules[i % modules.length]}-${AREAS[Math.floor(i / modules.length - 1) % AREAS.length]}${i >= modules.length * (AREAS.length + 1) ? i : ""}`);
  }
  const pitfallRenderer = new PitfallRenderer();
  const pitfallPlan = new Map<string, Array<{ variant: number; values: PitfallValues }>>();
  pitfallModules.forEach((module, i) => {
    const count = 2 + Math.floor(random() * 5);
    const entries = Array.from({ length: count }, (_, e) => ({
      variant: (i + e) % PITFALL_VARIANTS,
      values: {
        words: Array.from({ length: WORD_SLOTS }, () => pick(WORDS)),
        numbers: Array.from({ length: NUMBER_SLOTS }, () => String(2 + Math.floor(random() * 90))),
        pr: 100 + i * 10 + e,
        comment: 900_000 + i * 10 + e,
        date: isoDate(1000 + i * 3 + e),
      },
    }));
    pitfallPlan.set(module, entries);
    files.push(textFile(`docs/pitfalls/${module}.md`, "pitfalls", pitfallRenderer.renderFile(module, entries)));
  });

  // Source paths: spread evenly over the modules, in a few subfolders each.
  for (let k = 0; k < options.sourcePaths; k++) {
    const module = modules[k % modules.length]!;
    const index = Math.floor(k / modules.length);
    const path = `src/${module}/${SUBFOLDERS[index % SUBFOLDERS.length]}/${NOUNS[index % NOUNS.length]}-${index}.ts`;
    const text = sourceText(path);
    files.push({ path, kind: "source", sha: gitBlobSha(text), size: Buffer.byteLength(text), text: () => sourceText(path) });
  }

  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    owner: "acme",
    name: "shop",
    modules,
    configText,
    files,
    adrs,
    pitfallModules,
    adrDraft: (number) => {
      const { shape, v } = finalValues(number - 1);
      return adrDraft(shape, v);
    },
    pitfallEntries: (module) => (pitfallPlan.get(module) ?? []).map(({ variant, values: v }) => pitfallEntry(variant, v)),
    realRenders: adrRenderer.shapes + PITFALL_VARIANTS + 1,
  };
}
