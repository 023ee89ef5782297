import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { getPriority, setPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { childEnv } from "../../scripts/loopback/app-launcher.js";
import { FakeAnthropicServer } from "../../test/support/fake-anthropic/fake-anthropic-server.js";
import { FakeGitHubServer, type PullRecord } from "../../scripts/loopback/fake-github-server.js";
import { listeningPort } from "../../test/support/listening-port.js";
import { testKeyPair } from "../../test/support/test-key.js";
import { FILES, seedRepository } from "../../scripts/loopback/repo-fixture.js";
import { pullOpenedEvent } from "../../scripts/loopback/webhook-events.js";
import { ModelGate } from "../../test/scale/fixtures/model-gate.js";
import { GitHubRouter } from "./github-router.js";

/**
 * A fleet for the scale benchmarks: `installations` loopback GitHubs (one
 * repository each, org-1/widgets … org-N/widgets) behind one router that
 * adds GitHub's latency, the fake Anthropic behind a gate that adds the
 * model's, and Baton's real processes started as `npm start` and
 * `npm run worker` start them (compiled JavaScript: `npm run build` first).
 */

export interface FleetOptions {
  installations: number;
  githubLatencyMs: number;
  modelLatencyMs: number;
  redisUrl?: string;
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<string>;
}

export class Fleet {
  readonly fakes: FakeGitHubServer[] = [];
  readonly router: GitHubRouter;
  readonly claude = new FakeAnthropicServer({ apiKey: "bench", log: () => undefined });
  model!: ModelGate;
  readonly secret = `bench-${randomUUID()}`;
  readonly privatePem: string;
  readonly redisPrefix = `baton-bench-${randomUUID().slice(0, 8)}`;
  readonly procs: Proc[] = [];
  /** The webhook server last started: it listens on a port of its own choosing (PORT=0) and says which. */
  port = 0;

  constructor(readonly options: FleetOptions) {
    const { privatePem, publicPem } = testKeyPair();
    this.privatePem = privatePem;
    for (let i = 1; i <= options.installations; i++) {
      this.fakes.push(new FakeGitHubServer({ appPublicKey: publicPem, appId: 1, owner: `org-${i}`, repo: "widgets", installationId: 5000 + i, log: () => undefined }));
    }
    this.router = new GitHubRouter(this.fakes, options.githubLatencyMs);
  }

  async start(): Promise<this> {
    for (const f of this.fakes) {
      await f.start();
      seedRepository(f);
    }
    await this.router.start();
    await this.claude.start();
    this.model = await new ModelGate(this.claude.baseUrl, this.options.modelLatencyMs).start();
    return this;
  }

  async stop(): Promise<void> {
    for (const p of this.procs) p.child.kill("SIGKILL");
    await Promise.all(this.procs.map((p) => p.exited));
    await this.model.stop();
    await this.claude.stop();
    await this.router.stop();
    for (const f of this.fakes) await f.stop();
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return childEnv({
      APP_ID: "1",
      PRIVATE_KEY: this.privatePem,
      WEBHOOK_SECRET: this.secret,
      GHE_HOST: this.router.host,
      GHE_PROTOCOL: "http",
      ANTHROPIC_BASE_URL: this.model.baseUrl,
      ANTHROPIC_API_KEY: "bench",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      NODE_ENV: "production",
      BATON_STATE_DIR: mkdtempSync(join(tmpdir(), "baton-bench-")),
      BATON_QUEUE_LIMIT: "100000",
      ...(this.options.redisUrl ? { REDIS_URL: this.options.redisUrl, BATON_REDIS_PREFIX: this.redisPrefix } : {}),
      ...extra,
    });
  }

  /** Starts a process (`node <args>`); for a server, waits until it listens, and answers /ping. */
  async spawn(args: string[], extra: Record<string, string> = {}, waitForPing = true): Promise<Proc> {
    // A server says its port, and a worker that it is ready, at level info.
    const [command, argv] = atNormalPriority(process.execPath, args);
    const child = spawn(command, argv, { env: this.env({ LOG_LEVEL: "info", ...extra }), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const keep = (c: Buffer) => {
      out += c.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? String(code))));
    const proc = { child, output: () => out, exited };
    this.procs.push(proc);
    if (waitForPing) {
      this.port = await listeningPort(child);
      if (!(await fetch(`http://127.0.0.1:${this.port}/ping`)).ok) throw new Error(`${args.join(" ")} listens but does not answer /ping:\n${out}`);
      return proc;
    }
    for (let i = 0; !out.includes("baton worker ready"); i++) {
      if (i > 600 || child.exitCode !== null) throw new Error(`${args.join(" ")} did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return proc;
  }

  /** Opens `n` pull requests on every installation's repository; returns their `pull_request.opened` payloads. */
  openPulls(n: number): { fake: FakeGitHubServer; pull: PullRecord; payload: Record<string, unknown> }[] {
    const out = [];
    for (const fake of this.fakes) {
      const main = fake.branchSha(fake.defaultBranch)!;
      for (let k = 0; k < n; k++) {
        const number = fake.nextIssueNumber();
        // Past triggers.smallChangeLines (10): every pull request gets a review.
        const added = Array.from({ length: 14 }, (_, line) => `export const LIMIT_${number}_${line} = ${number * 100 + line};`).join("\n");
        const files = { ...FILES, "src/api/users.ts": `${FILES["src/api/users.ts"]}\n${added}\n` };
        const sha = fake.commitFiles(files, `Change ${number}`, [main]);
        const headRef = `feature/change-${number}`;
        fake.setBranch(headRef, sha);
        const at = new Date().toISOString();
        fake.issues.set(number, { number, title: `Change ${number}`, body: "", labels: [], user: { login: "octocat", type: "User" }, createdAt: at, updatedAt: at, isPull: true });
        const pull: PullRecord = { number, headRef, baseRef: fake.defaultBranch, draft: false };
        fake.pulls.set(number, pull);
        out.push({ fake, pull, payload: pullOpenedEvent(fake, pull) });
      }
    }
    return out;
  }

  /** A delivery as GitHub sends it (headers and exact body, signed), for a load generator. */
  prepare(name: string, payload: unknown): { headers: Record<string, string>; body: string } {
    const body = JSON.stringify(payload);
    return {
      headers: {
        "content-type": "application/json",
        "x-github-event": name,
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": `sha256=${createHmac("sha256", this.secret).update(body).digest("hex")}`,
      },
      body,
    };
  }

  /** One signed delivery; resolves with the status and the milliseconds until the answer was read. */
  async deliver(name: string, payload: unknown, timeoutMs = 10_000): Promise<{ status: number; ms: number }> {
    const { headers, body } = this.prepare(name, payload);
    const started = performance.now();
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/api/github/webhooks`, {
        method: "POST",
        headers,
        body,
        // GitHub gives up on a delivery after 10 s.
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.text();
      return { status: res.status, ms: performance.now() - started };
    } catch {
      return { status: 0, ms: performance.now() - started };
    }
  }

  reviewsDone(): number {
    return this.fakes.reduce((n, f) => n + f.reviews.length, 0);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The benchmark lowers its own priority (the fakes stand for GitHub's and
 * Anthropic's servers, which are not on Baton's host); Baton's processes and
 * the load generator run at normal priority, as they would in production.
 */
export function lowerOwnPriority(): void {
  try {
    setPriority(10);
  } catch {
    // not allowed here: everything runs at the same priority
  }
}

export function atNormalPriority(command: string, args: string[]): [string, string[]] {
  const own = getPriority();
  return own > 0 ? ["nice", ["-n", String(-own), command, ...args]] : [command, args];
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); NaN elsewhere. */
export function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
