import { createHmac, randomUUID } from "node:crypto";
import { childProcessLauncher, type AppLauncher, type RunningApp } from "./app-launcher.js";
import { FakeAnthropicServer } from "../../test/support/fake-anthropic/fake-anthropic-server.js";
import { testKeyPair } from "../../test/support/test-key.js";
import { FakeGitHubServer } from "./fake-github-server.js";
import type { Check } from "./loopback-report.js";
import type { FixtureVariant } from "./repo-fixture.js";

/**
 * One loopback run's state and means, shared by its phases (phases/*.ts):
 * the fake GitHub and Anthropic servers, the app, the checks so far, and how
 * to wait for the app, start it and send it a signed webhook. Every wait is
 * on state (the app's queue idle, the fakes' records), polled every 20 ms and
 * bounded; a `must` that fails ends the run.
 */

export const WEBHOOK_PATH = "/api/github/webhooks";
export const APP_ID = 1;
const WAIT_MS = 60_000;
const POLL_MS = 20;

export interface LoopbackOptions {
  launcher?: AppLauncher;
  /** Each wait's bound (default 60 s). */
  waitMs?: number;
  /** Progress lines, as they happen (default: stdout). */
  log?: (line: string) => void;
  /**
   * The repository the run starts from: "configured" (.github/baton.yml with
   * modules, pitfalls, a MADR ADR with module guidance) or "minimal" (no
   * config, no pitfalls, an ADR with only `status` and `spec`).
   */
  fixture?: FixtureVariant;
}

/** A failed `must`, a timeout or the app gone: the run stops there. */
export class StepFailure extends Error {}

export interface Delivery {
  label: string;
  name: string;
  id: string;
  /** The exact bytes sent, so a redelivery is byte-identical. */
  body: string;
}

/**
 * Whether a delivery's job ran again, judged from the requests since index
 * `since`; `settled` when the app's queue is known to be idle (else the
 * check allows for a job still on its way).
 */
export type Redone = (since: number, before: number, settled: boolean) => boolean;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export class LoopbackRun {
  readonly started = performance.now();
  readonly log: (line: string) => void;
  readonly waitMs: number;
  readonly launcher: AppLauncher;
  readonly fixture: FixtureVariant;
  readonly checks: Check[] = [];
  readonly notes: string[] = [];
  /** The phase checks are recorded under. */
  phase = "setup";
  /** The app's key (PEM, PKCS#1) and webhook secret. */
  readonly privatePem: string;
  readonly secret = `loopback-${randomUUID()}`;
  readonly github: FakeGitHubServer;
  readonly claude: FakeAnthropicServer;
  app: RunningApp | undefined;
  appPort = 0;
  env: Record<string, string> = {};
  /** What the app printed before the restart. */
  firstOutput = "";
  /** Set between a deliberate kill and the restart: the app is meant to be gone. */
  appDown = false;
  /** Every webhook sent, in order (redelivered later). */
  readonly deliveries: Delivery[] = [];
  /** How a delivery's work is recognised as finished again after a restart. */
  readonly redoneWhen = new Map<string, () => Redone>();

  constructor(options: LoopbackOptions = {}) {
    const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    this.log = log;
    this.waitMs = options.waitMs ?? WAIT_MS;
    this.launcher = options.launcher ?? childProcessLauncher();
    this.fixture = options.fixture ?? "configured";
    const { privatePem, publicPem } = testKeyPair();
    this.privatePem = privatePem;
    const trace = process.env.LOOPBACK_TRACE === "1";
    this.github = new FakeGitHubServer({ appPublicKey: publicPem, appId: APP_ID, trace, log: (l) => log(`  ${trace ? "" : "!!    "}${l}`) });
    this.claude = new FakeAnthropicServer({ apiKey: "test", log: (l) => log(`  !!    ${l}`) });
  }

  /** Time since the run started, for the progress lines. */
  secs(): string {
    return `${((performance.now() - this.started) / 1000).toFixed(1)} s`;
  }

  check(name: string, ok: boolean, detail?: string): boolean {
    this.checks.push({ phase: this.phase, name, ok, ...(detail ? { detail } : {}) });
    this.log(`  ${ok ? "PASS" : "FAIL"}  ${name}${detail ? ` — ${detail}` : ""}`);
    return ok;
  }

  /** A check the rest of the run depends on. */
  must(name: string, ok: boolean, detail?: string): void {
    if (!this.check(name, ok, detail)) throw new StepFailure(`${this.phase}: ${name}${detail ? ` (${detail})` : ""}`);
  }

  note(line: string): void {
    this.notes.push(`[${this.phase}] ${line}`);
    this.log(`  note  ${line}`);
  }

  /** Polls `probe` until it gives something; fails on timeout or when the app exits. */
  async waitFor<T>(what: string, probe: () => T | undefined | false | null): Promise<T> {
    const deadline = performance.now() + this.waitMs;
    for (let i = 0; performance.now() < deadline && i < Math.ceil(this.waitMs / POLL_MS) + 10; i++) {
      const value = probe();
      if (value !== undefined && value !== false && value !== null) return value as T;
      const exited = this.appDown ? undefined : this.app?.exitedWith();
      if (exited) throw new StepFailure(`the app exited (${exited}) while waiting for ${what}`);
      await sleep(POLL_MS);
    }
    throw new StepFailure(`timed out after ${Math.round(this.waitMs / 1000)} s waiting for ${what}`);
  }

  /**
   * The app has finished with everything it was sent: its job queue is idle
   * (nothing queued, running or waiting to retry) and both fakes have answered
   * every request. "Nothing happened" is asserted after this. A child process
   * does not show its queue: there, both fakes quiet for `quietMs` stands in.
   */
  async waitIdle(quietMs: number, app: RunningApp | undefined = this.app): Promise<void> {
    const idle = app?.idle;
    if (idle) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), this.waitMs)));
      const outcome = await Promise.race([idle().then(() => "idle" as const), timeout]);
      clearTimeout(timer);
      if (outcome === "timeout") throw new StepFailure(`timed out after ${Math.round(this.waitMs / 1000)} s waiting for the app's job queue to go idle`);
      await this.waitFor("the fakes to answer every request", () => this.github.inFlight === 0 && this.claude.inFlight === 0);
      return;
    }
    const from = performance.now();
    await this.waitFor(`the app to go quiet for ${quietMs} ms`, () => {
      const last = Math.max(from, this.github.lastRequestAt(), this.claude.lastCallAt());
      return this.github.inFlight === 0 && this.claude.inFlight === 0 && performance.now() - last >= quietMs;
    });
  }

  /** After a delivery that runs a job again: waits until it is done and checks that it ran (`done`), then for the app to be idle. */
  async waitRedone(label: string, done: Redone | undefined, since: number, before: number, quietMs: number): Promise<void> {
    if (this.app?.idle) {
      await this.waitIdle(quietMs);
      if (done && !done(since, before, true)) throw new StepFailure(`${label} was not handled again`);
      return;
    }
    if (done) await this.waitFor(`${label} to be handled again`, () => done(since, before, false));
    await this.waitIdle(quietMs);
  }

  /** Starts the app with `env` and waits until it answers /ping. */
  async startApp(why: string): Promise<void> {
    const app = await this.launcher.start(this.env);
    this.app = app;
    this.appPort = app.port;
    this.appDown = false;
    const t0 = performance.now();
    let pinged = false;
    // Poll the ping endpoint (bounded by waitFor's deadline).
    const deadline = performance.now() + this.waitMs;
    for (let i = 0; !pinged && performance.now() < deadline && i < 1000; i++) {
      if (app.exitedWith()) throw new StepFailure(`the app exited (${app.exitedWith()}) before it listened`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.appPort}/ping`, { signal: AbortSignal.timeout(2000) });
        pinged = res.ok && (await res.text()).trim() === "PONG";
      } catch {
        // not listening yet
      }
      if (!pinged) await sleep(POLL_MS);
    }
    this.must(`app is up (${why})`, pinged, pinged ? `${this.launcher.describe}, listening on 127.0.0.1:${this.appPort} after ${Math.round(performance.now() - t0)} ms` : "no PONG");
  }

  /** Sends a webhook as GitHub does (signed, with its delivery id); it must be answered 200. */
  async send(d: Delivery): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${this.appPort}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/loopback",
        "x-github-event": d.name,
        "x-github-delivery": d.id,
        "x-github-hook-id": "1",
        "x-github-hook-installation-target-type": "integration",
        "x-github-hook-installation-target-id": String(APP_ID),
        "x-hub-signature-256": sign(this.secret, d.body),
      },
      body: d.body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status !== 200) throw new StepFailure(`webhook ${d.label} (${d.name}, delivery ${d.id}) answered ${res.status}: ${text.slice(0, 300)}`);
  }

  /** A new webhook delivery (a fresh id), remembered for the redeliveries. */
  delivery(label: string, name: string, payload: Record<string, unknown>): Delivery {
    const d = { label, name, id: randomUUID(), body: JSON.stringify(payload) };
    this.deliveries.push(d);
    return d;
  }
}
