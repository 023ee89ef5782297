import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEV_FILE_CONTENT, DEV_FILE_PATH, FakeAnthropicServer } from "./fake-anthropic-server.js";
import { FakeGitHubServer, type Census, type CheckRunRecord, type CommentRecord, type PullRecord } from "./fake-github-server.js";
import { ISSUE_ARCHITECTURE, ISSUE_DEV, seedRepository, type FixtureVariant } from "./repo-fixture.js";

/**
 * The loopback smoke test: the real Baton app as a process (`npm start`'s
 * command line), against a fake GitHub Enterprise API and a fake Anthropic
 * API on 127.0.0.1, driven by signed webhooks. It runs every step
 * (architecture review, dev, review, comment commands), then redelivers
 * every webhook (same delivery id) to the same process, then restarts the
 * app and delivers them all again, and checks that nothing was duplicated:
 * no second branch, commit, pull request, review, comment or check run.
 *
 * `npm run loopback` prints a step-by-step report and exits non-zero on any
 * failure. Everything is bounded: each wait polls every 100 ms for at most
 * 60 s, and the app's process group is killed on the way out, failure or not.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const WEBHOOK_PATH = "/api/github/webhooks";
const APP_ID = 1;
const WAIT_MS = 60_000;
const POLL_MS = 100;

// ------------------------------------------------------------------ app launchers

export interface RunningApp {
  /** What the app printed (stdout and stderr), for the report when something fails. */
  output(): string;
  /** Set when the app exited on its own. */
  exitedWith(): string | undefined;
  /** A clean stop (SIGTERM to the process group, SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** A crash: SIGKILL to the process group, jobs in flight are lost. */
  kill(): Promise<void>;
}

export interface AppLauncher {
  describe: string;
  start(env: Record<string, string>): Promise<RunningApp>;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Kills every process group still running when the driver exits, however it exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}

/**
 * The app as a real process, the way `npm start` runs it: package.json's
 * `start` command line (`tsx src/app/server.ts`), with `tsx` resolved from
 * node_modules/.bin, in its own process group so that stopping it stops
 * tsx's child node process too. `viaNpm` runs `npm start` itself (with npm's
 * update check off, so nothing leaves the machine).
 */
export function childProcessLauncher(opts: { cwd?: string; viaNpm?: boolean } = {}): AppLauncher {
  const cwd = opts.cwd ?? ROOT;
  const pkg = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const start = pkg.scripts?.start;
  if (!start) throw new Error("package.json has no start script");
  const [bin, ...args] = start.trim().split(/\s+/);
  const command = opts.viaNpm ? "npm" : join(cwd, "node_modules", ".bin", bin!);
  const argv = opts.viaNpm ? ["start", "--silent"] : args;
  return {
    describe: opts.viaNpm ? "npm start" : `${start} (package.json "start", run directly)`,
    async start(env) {
      installExitHook();
      const child: ChildProcess = spawn(command, argv, {
        cwd,
        env: { ...env, ...(opts.viaNpm ? { npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" } : {}) },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const pgid = child.pid;
      if (pgid === undefined) throw new Error(`could not start ${command}`);
      liveGroups.add(pgid);
      let out = "";
      const keep = (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.length > 400_000) out = out.slice(-200_000);
      };
      child.stdout!.on("data", keep);
      child.stderr!.on("data", keep);
      let exited: string | undefined;
      const exit = new Promise<void>((resolveExit) =>
        child.once("exit", (code, signal) => {
          exited = signal ? `signal ${signal}` : `code ${code}`;
          resolveExit();
        }),
      );
      const killGroup = async () => {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch {
          // already gone
        }
        await Promise.race([exit, new Promise((r) => setTimeout(r, 3000).unref())]);
        liveGroups.delete(pgid);
      };
      return {
        output: () => out,
        exitedWith: () => exited,
        kill: killGroup,
        async stop() {
          if (exited === undefined) {
            try {
              process.kill(-pgid, "SIGTERM");
            } catch {
              // already gone
            }
            const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 5000).unref());
            if ((await Promise.race([exit, timer])) === "timeout") {
              try {
                process.kill(-pgid, "SIGKILL");
              } catch {
                // already gone
              }
              await Promise.race([exit, new Promise((r) => setTimeout(r, 2000).unref())]);
            }
          }
          // tsx's own child may outlive its parent for a moment: make sure the group is gone.
          try {
            process.kill(-pgid, "SIGKILL");
          } catch {
            // already gone
          }
          liveGroups.delete(pgid);
        },
      };
    },
  };
}

// ------------------------------------------------------------------ report

export interface Check {
  phase: string;
  name: string;
  ok: boolean;
  detail?: string;
}

export interface LoopbackReport {
  ok: boolean;
  checks: Check[];
  /** Informational lines (updates made on redelivery, timings). */
  notes: string[];
  durationMs: number;
  /** The app's output, when something failed. */
  appOutput?: string;
}

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

class StepFailure extends Error {}

// ------------------------------------------------------------------ helpers

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen({ port: 0, host: "127.0.0.1" }, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Delivery {
  label: string;
  name: string;
  id: string;
  /** The exact bytes sent, so a redelivery is byte-identical. */
  body: string;
}

function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

// ------------------------------------------------------------------ the run

export async function runLoopback(options: LoopbackOptions = {}): Promise<LoopbackReport> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const waitMs = options.waitMs ?? WAIT_MS;
  const launcher = options.launcher ?? childProcessLauncher();
  const checks: Check[] = [];
  const notes: string[] = [];
  let phase = "setup";

  const secs = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const check = (name: string, ok: boolean, detail?: string): boolean => {
    checks.push({ phase, name, ok, ...(detail ? { detail } : {}) });
    log(`  ${ok ? "PASS" : "FAIL"}  ${name}${detail ? ` — ${detail}` : ""}`);
    return ok;
  };
  const must = (name: string, ok: boolean, detail?: string): void => {
    if (!check(name, ok, detail)) throw new StepFailure(`${phase}: ${name}${detail ? ` (${detail})` : ""}`);
  };
  const note = (line: string) => {
    notes.push(`[${phase}] ${line}`);
    log(`  note  ${line}`);
  };

  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const secret = `loopback-${randomUUID()}`;
  const trace = process.env.LOOPBACK_TRACE === "1";
  const github = new FakeGitHubServer({ appPublicKey: publicPem, appId: APP_ID, trace, log: (l) => log(`  ${trace ? "" : "!!    "}${l}`) });
  const claude = new FakeAnthropicServer({ apiKey: "test", log: (l) => log(`  !!    ${l}`) });
  let app: RunningApp | undefined;
  let appPort = 0;
  let env: Record<string, string> = {};
  let failed = false;
  let firstOutput = "";
  /** Set between a deliberate kill and the restart: the app is meant to be gone. */
  let appDown = false;

  const waitFor = async <T>(what: string, probe: () => T | undefined | false | null): Promise<T> => {
    const deadline = performance.now() + waitMs;
    for (let i = 0; performance.now() < deadline && i < Math.ceil(waitMs / POLL_MS) + 10; i++) {
      const value = probe();
      if (value !== undefined && value !== false && value !== null) return value as T;
      const exited = appDown ? undefined : app?.exitedWith();
      if (exited) throw new StepFailure(`the app exited (${exited}) while waiting for ${what}`);
      await sleep(POLL_MS);
    }
    throw new StepFailure(`timed out after ${Math.round(waitMs / 1000)} s waiting for ${what}`);
  };

  /** Both fakes quiet (nothing in flight, nothing answered) for `quietMs`, counted from now at the earliest. */
  const waitIdle = async (quietMs: number) => {
    const from = performance.now();
    await waitFor(`the app to go quiet for ${quietMs} ms`, () => {
      const last = Math.max(from, github.lastRequestAt(), claude.lastCallAt());
      return github.inFlight === 0 && claude.inFlight === 0 && performance.now() - last >= quietMs;
    });
  };

  const startApp = async (why: string) => {
    app = await launcher.start(env);
    appDown = false;
    const t0 = performance.now();
    let pinged = false;
    // Poll the ping endpoint (bounded by waitFor's deadline).
    const deadline = performance.now() + waitMs;
    for (let i = 0; !pinged && performance.now() < deadline && i < 1000; i++) {
      if (app.exitedWith()) throw new StepFailure(`the app exited (${app.exitedWith()}) before it listened`);
      try {
        const res = await fetch(`http://127.0.0.1:${appPort}/ping`, { signal: AbortSignal.timeout(2000) });
        pinged = res.ok && (await res.text()).trim() === "PONG";
      } catch {
        // not listening yet
      }
      if (!pinged) await sleep(POLL_MS);
    }
    must(`app is up (${why})`, pinged, pinged ? `${launcher.describe}, listening on 127.0.0.1:${appPort} after ${Math.round(performance.now() - t0)} ms` : "no PONG");
  };

  const send = async (d: Delivery): Promise<void> => {
    const res = await fetch(`http://127.0.0.1:${appPort}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/loopback",
        "x-github-event": d.name,
        "x-github-delivery": d.id,
        "x-github-hook-id": "1",
        "x-github-hook-installation-target-type": "integration",
        "x-github-hook-installation-target-id": String(APP_ID),
        "x-hub-signature-256": sign(secret, d.body),
      },
      body: d.body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status !== 200) throw new StepFailure(`webhook ${d.label} (${d.name}, delivery ${d.id}) answered ${res.status}: ${text.slice(0, 300)}`);
  };

  const deliveries: Delivery[] = [];
  const delivery = (label: string, name: string, payload: Record<string, unknown>): Delivery => {
    const d = { label, name, id: randomUUID(), body: JSON.stringify(payload) };
    deliveries.push(d);
    return d;
  };

  const common = () => ({ repository: github.repositoryPayload(), organization: github.userPayload(github.owner, "Organization"), installation: github.installationPayload() });
  const human = (login: string) => github.userPayload(login, "User");

  const labelEvent = (number: number, label: string) => {
    github.labelIssue(number, label);
    const issue = github.issues.get(number)!;
    return { action: "labeled", issue: github.issuePayload(issue), label: github.labelPayload(label), ...common(), sender: human("octocat") };
  };
  const commentEvent = (number: number, body: string, login: string): { payload: Record<string, unknown>; comment: CommentRecord } => {
    const comment = github.addComment(number, body, { login, type: "User" });
    const issue = github.issues.get(number)!;
    return { comment, payload: { action: "created", issue: github.issuePayload(issue), comment: github.commentPayload(comment), ...common(), sender: human(login) } };
  };
  const pullOpenedEvent = (p: PullRecord) => ({ action: "opened", number: p.number, pull_request: github.pullPayload(p), ...common(), sender: github.userPayload(github.bot.login, "Bot") });

  const checkRun = (name: string, headSha: string, externalIdHas?: string): CheckRunRecord | undefined =>
    github.checkRuns.filter((c) => c.name === name && c.headSha === headSha && (!externalIdHas || (c.externalId ?? "").includes(externalIdHas))).pop();
  const completed = (c: CheckRunRecord | undefined) => (c && c.status === "completed" ? c : undefined);
  const commentWith = (issueNumber: number, marker: string) => github.commentsOn(issueNumber).find((c) => c.body.includes(marker));
  const pullByHead = (prefix: string) => [...github.pulls.values()].filter((p) => p.headRef.startsWith(prefix));

  /** How a delivery's work is recognised as finished again after a restart. */
  const redoneWhen = new Map<string, () => (since: number, before: number) => boolean>();

  try {
    // ---------------------------------------------------------------- setup
    log(`Baton loopback smoke test`);
    log(`setup`);
    await github.start();
    await claude.start();
    const mainSha = seedRepository(github, options.fixture ?? "configured");
    check("repository seeded", true, `${options.fixture ?? "configured"} fixture, main at ${mainSha.slice(0, 12)}`);
    appPort = await freePort();
    env = childEnv({
      APP_ID: String(APP_ID),
      PRIVATE_KEY: privatePem,
      WEBHOOK_SECRET: secret,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      ANTHROPIC_BASE_URL: claude.baseUrl,
      ANTHROPIC_API_KEY: "test",
      PORT: String(appPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: process.env.LOOPBACK_APP_LOG_LEVEL ?? "warn",
      LOG_FORMAT: "json",
    });
    check("fake GitHub listening", true, `GHE_HOST=${github.host} (REST ${github.apiUrl}, GraphQL http://${github.host}/api/graphql)`);
    check("fake Anthropic listening", true, `ANTHROPIC_BASE_URL=${claude.baseUrl}`);
    await startApp("first start");

    // ---------------------------------------------------- architecture review
    phase = "architecture review";
    log(`[${secs()}] step 1: ${phase} (issue #${ISSUE_ARCHITECTURE.number} labelled needs-architecture)`);
    const arch = delivery("issues.labeled needs-architecture", "issues", labelEvent(ISSUE_ARCHITECTURE.number, "needs-architecture"));
    await send(arch);
    const archRun = await waitFor("the architecture-review check run to complete", () => completed(checkRun("Baton: architecture-review", mainSha)));
    await waitFor("the ADR comment on the issue", () => commentWith(ISSUE_ARCHITECTURE.number, `baton:adr-proposed issue-${ISSUE_ARCHITECTURE.number}`));
    check("check run completed with success", archRun.conclusion === "success", `${archRun.conclusion}: ${archRun.output?.title ?? ""}`);
    const adrPulls = pullByHead(`baton/adr/${ISSUE_ARCHITECTURE.number}-`);
    must("one ADR pull request", adrPulls.length === 1, adrPulls.map((p) => `#${p.number} ${p.headRef}`).join(", "));
    const adrPull = adrPulls[0]!;
    const adrFiles = github.filesAt(github.pullHeadSha(adrPull));
    const adrPath = Object.keys(adrFiles).find((p) => /^docs\/adr\/0002-.*\.md$/.test(p));
    check("ADR 0002 proposed on the branch, answering the issue", Boolean(adrPath && /status: proposed/.test(adrFiles[adrPath]!) && /spec: "#1"/.test(adrFiles[adrPath]!)), adrPath);
    check("ADR index regenerated", /0002/.test(adrFiles["docs/adr/README.md"] ?? ""), "docs/adr/README.md");
    const archComment = commentWith(ISSUE_ARCHITECTURE.number, "baton:adr-proposed")!;
    check("issue comment links the pull request", archComment.body.includes(`/pull/${adrPull.number}`), `comment ${archComment.id}`);
    check("one model call (write_adr)", claude.count("write_adr") === 1, `${claude.count("write_adr")}`);
    redoneWhen.set(arch.id, () => checkRunRedone(archRun.id));

    // ------------------------------------------------------------------ dev
    phase = "dev";
    log(`[${secs()}] step 2: ${phase} (issue #${ISSUE_DEV.number} labelled ready-for-dev; ADR 1 is accepted with spec "#2")`);
    const dev = delivery("issues.labeled ready-for-dev", "issues", labelEvent(ISSUE_DEV.number, "ready-for-dev"));
    await send(dev);
    const devRun = await waitFor("the dev check run to complete", () => completed(checkRun("Baton: dev", mainSha)));
    await waitFor("the dev comment on the issue", () => commentWith(ISSUE_DEV.number, `baton:dev-result issue-${ISSUE_DEV.number}`));
    check("check run completed with success", devRun.conclusion === "success", `${devRun.conclusion}: ${devRun.output?.title ?? ""}`);
    const devPulls = pullByHead(`baton/dev/${ISSUE_DEV.number}-`);
    must("one dev pull request", devPulls.length === 1, devPulls.map((p) => `#${p.number} ${p.headRef}`).join(", "));
    const devPull = devPulls[0]!;
    const devIssue = github.issues.get(devPull.number)!;
    check("pull request closes the issue and cites the ADR", devIssue.body.includes(`Closes #${ISSUE_DEV.number}`) && devIssue.body.includes("docs/adr/0001-"), devIssue.title);
    const devFiles = github.filesAt(github.pullHeadSha(devPull));
    check(`the branch has ${DEV_FILE_PATH} as the model wrote it`, devFiles[DEV_FILE_PATH] === DEV_FILE_CONTENT);
    check("two model calls (write_file, then finish)", claude.count("dev") === 2, `${claude.count("dev")}`);
    redoneWhen.set(dev.id, () => checkRunRedone(devRun.id));

    // --------------------------------------------------------------- review
    phase = "review";
    log(`[${secs()}] step 3: ${phase} (pull_request.opened for the dev PR #${devPull.number})`);
    const devHead = github.pullHeadSha(devPull);
    // The configured fixture sets review.failOn: medium, and the fake's finding is medium.
    const expectedReviewConclusion = (options.fixture ?? "configured") === "configured" ? "failure" : "success";
    const review = delivery(`pull_request.opened #${devPull.number}`, "pull_request", pullOpenedEvent(devPull));
    await send(review);
    const reviewRun = await waitFor("the review check run to complete", () => completed(checkRun("Baton: review", devHead)));
    await waitFor("the review summary comment", () => commentWith(devPull.number, "baton:review-summary"));
    check("check run completed", reviewRun.conclusion === expectedReviewConclusion, `${reviewRun.conclusion}: ${reviewRun.output?.title ?? ""}`);
    const reviews = github.reviews.filter((r) => r.pullNumber === devPull.number);
    must("one review on the pull request", reviews.length === 1, `${reviews.length}`);
    const inline = reviews[0]!.comments;
    check("the finding is an inline comment on a diff line", inline.length === 1 && inline[0]!.path === DEV_FILE_PATH, inline.map((c) => `${c.path}:${c.line}`).join(", "));
    check("one model call (submit_review)", claude.count("submit_review") === 1, `${claude.count("submit_review")}`);
    redoneWhen.set(review.id, () => checkRunRedone(reviewRun.id));

    // GitHub also sends pull_request.opened for the pull requests Baton opens itself: the ADR's is reviewed too.
    const adrHead = github.pullHeadSha(adrPull);
    const adrReview = delivery(`pull_request.opened #${adrPull.number} (the ADR's)`, "pull_request", pullOpenedEvent(adrPull));
    await send(adrReview);
    const adrReviewRun = await waitFor("the ADR pull request's review check run to complete", () => completed(checkRun("Baton: review", adrHead)));
    await waitFor("the ADR pull request's review", () => github.reviews.some((r) => r.pullNumber === adrPull.number));
    await waitIdle(300);
    const adrReviews = github.reviews.filter((r) => r.pullNumber === adrPull.number);
    check(`the ADR pull request #${adrPull.number} is reviewed too, once`, adrReviewRun.conclusion === expectedReviewConclusion && adrReviews.length === 1, `${adrReviewRun.conclusion}: ${adrReviewRun.output?.title ?? ""}; inline ${adrReviews[0]?.comments.map((c) => `${c.path}:${c.line}`).join(", ") ?? "none"}`);
    redoneWhen.set(adrReview.id, () => checkRunRedone(adrReviewRun.id));

    // ------------------------------------------------------- comment commands
    phase = "comment commands";
    log(`[${secs()}] step 4: ${phase}`);
    const commands: { label: string; number: number; body: string; login: string; expect: (c: CommentRecord) => [boolean, string] }[] = [
      { label: "/baton help on issue #1", number: ISSUE_ARCHITECTURE.number, body: "/baton help", login: "octocat", expect: (c) => [/\/baton remember/.test(c.body), "help table"] },
      { label: "/baton context on issue #2", number: ISSUE_DEV.number, body: "/baton context", login: "octocat", expect: (c) => [/Context the \*\*architecture-review\*\* step/.test(c.body), "manifest, no model call"] },
      {
        label: `/baton dev on issue #2 by a non-collaborator`,
        number: ISSUE_DEV.number,
        body: "/baton dev",
        login: "outsider",
        expect: (c) => [/reserved for people with write access/.test(c.body), "refused politely"],
      },
    ];
    for (const cmd of commands) {
      const { payload, comment } = commentEvent(cmd.number, cmd.body, cmd.login);
      const d = delivery(`issue_comment.created "${cmd.body}" on #${cmd.number}${cmd.login !== "octocat" ? ` by ${cmd.login}` : ""}`, "issue_comment", payload);
      const calls = claude.calls.length;
      await send(d);
      const reply = await waitFor(`the reply to ${cmd.label}`, () => commentWith(cmd.number, `baton:reply comment-${comment.id}`));
      const [ok, what] = cmd.expect(reply);
      check(`${cmd.label}: reply posted (${what})`, ok && claude.calls.length === calls, `comment ${reply.id}`);
      redoneWhen.set(d.id, () => commentsListedAgain(cmd.number));
    }

    {
      const lesson = "/baton remember --module api Evict idle rate-limit buckets because an unbounded map grows forever";
      const { payload } = commentEvent(devPull.number, lesson, "octocat");
      const d = delivery(`issue_comment.created "/baton remember" on PR #${devPull.number}`, "issue_comment", payload);
      await send(d);
      const reply = await waitFor("the /baton remember reply", () => commentWith(devPull.number, "baton:remember"));
      await waitIdle(300);
      const pitfallPulls = pullByHead("baton/pitfalls/");
      check(
        `/baton remember on PR #${devPull.number}: a pitfall pull request`,
        pitfallPulls.length === 1 && /Evict idle rate-limit buckets/.test(github.filesAt(github.pullHeadSha(pitfallPulls[0]!))["docs/pitfalls/api.md"] ?? "") && reply.body.includes(`/pull/${pitfallPulls[0]!.number}`),
        pitfallPulls.map((p) => `#${p.number} ${p.headRef}`).join(", "),
      );
      redoneWhen.set(d.id, () => commentsListedAgain(devPull.number));
    }

    {
      const { payload } = commentEvent(devPull.number, "/baton review", "octocat");
      const d = delivery(`issue_comment.created "/baton review" on PR #${devPull.number}`, "issue_comment", payload);
      const reviewCalls = claude.count("submit_review");
      const reviewsBefore = github.reviews.filter((r) => r.pullNumber === devPull.number).length;
      const completions = reviewCompletions(devHead);
      await send(d);
      // Either the review's own check run again (one check run per step and commit) or one of its own.
      await waitFor("the /baton review check run to complete", () => reviewCompletions(devHead) > completions);
      const forced = checkRun("Baton: review", devHead)!;
      await waitIdle(300);
      const reviewsNow = github.reviews.filter((r) => r.pullNumber === devPull.number).length;
      const runsNow = github.checkRuns.filter((c) => c.name === "Baton: review" && c.headSha === devHead).length;
      // A person asking again may get a review of its own (keyed by the command), never more than one.
      check(
        `/baton review on PR #${devPull.number}: re-reviewed once`,
        claude.count("submit_review") === reviewCalls + 1 && reviewsNow - reviewsBefore <= 1 && runsNow <= 2,
        `${forced.conclusion}; reviews on the PR: ${reviewsBefore} → ${reviewsNow}; review check runs on the head: ${runsNow}`,
      );
      redoneWhen.set(d.id, () => checkRunRedone(forced.id));
    }
    await waitIdle(500);

    // -------------------------------------------------- redelivery, same process
    phase = "redelivery (same process)";
    log(`[${secs()}] step 5: ${phase}: every webhook again, same delivery id and body`);
    const before = github.census();
    for (const d of deliveries) {
      const requests = github.requests.length;
      const calls = claude.calls.length;
      await send(d);
      await waitIdle(400);
      const newRequests = github.requests.slice(requests);
      const writes = newRequests.filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens") && r.path !== "/api/graphql");
      check(`${d.label}: ignored`, writes.length === 0 && claude.calls.length === calls, `${newRequests.length} GitHub requests, ${writes.length} writes, ${claude.calls.length - calls} model calls`);
    }
    compareCensus(before, github.census(), check);

    // ------------------------------------------- same events, new delivery ids
    phase = "same events, new delivery ids";
    log(`[${secs()}] step 6: ${phase} (a sender that retries with a fresh X-GitHub-Delivery)`);
    {
      const before2 = github.census();
      for (const d of [...deliveries]) {
        const since = github.requests.length;
        const sinceCalls = claude.calls.length;
        const fresh: Delivery = { ...d, id: randomUUID() };
        const done = redoneWhen.get(d.id)?.();
        await send(fresh);
        // Label events carry their delivery in the job id, so they run again; the others are the same job.
        if (done && d.name === "issues") await waitFor(`${d.label} to be handled again`, () => done(since, performance.now()));
        await waitIdle(400);
        const created = github.requests.slice(since).filter((r) => r.method === "POST" && !r.path.endsWith("/access_tokens") && r.path !== "/api/graphql");
        check(`${d.label}: nothing created`, created.length === 0, created.map((r) => `POST ${r.path}`).join(", ") || `${github.requests.length - since} requests, ${claude.calls.length - sinceCalls} model calls`);
      }
      compareCensus(before2, github.census(), check);
    }

    // ------------------------------------------------- crash in the middle of a job
    phase = "crash mid-job";
    log(`[${secs()}] step 7: ${phase}: /baton architect on a new issue, the app killed (SIGKILL) once the branch is written`);
    const crashIssue = github.addIssue({ title: "Export widgets as CSV", body: "People need a CSV export of widgets from the web module.", user: "octocat" });
    const crashBranch = `baton/adr/${crashIssue.number}-`;
    const crashDelivery = (() => {
      const { payload } = commentEvent(crashIssue.number, "/baton architect", "octocat");
      return delivery(`issue_comment.created "/baton architect" on #${crashIssue.number}`, "issue_comment", payload);
    })();
    await send(crashDelivery);
    await waitFor(`the branch ${crashBranch}…`, () => Object.keys(github.census().branches).some((b) => b.startsWith(crashBranch)));
    const prBeforeKill = pullByHead(crashBranch).length > 0;
    appDown = true;
    await app!.kill();
    // (In one process the job cannot die with the app: let it finish before the "restart".)
    await waitIdle(1000);
    check("app killed mid-job", true, `${app!.exitedWith() ?? "killed"}; ${prBeforeKill ? "the pull request was already open (the kill landed late)" : "branch written, pull request not yet opened"}`);
    firstOutput = app!.output();

    // ------------------------------------------------------- restart, deliver again
    phase = "restart";
    log(`[${secs()}] step 8: ${phase}: a new app process (no memory), every webhook again`);
    await startApp("after restart");
    {
      const since = github.requests.length;
      const runDone = () => {
        const run = github.checkRuns.find((c) => c.name === "Baton: architecture-review" && (c.externalId ?? "").includes(`"number":${crashIssue.number}`));
        return run && run.status === "completed" ? run : undefined;
      };
      await send(crashDelivery);
      const run = await waitFor("the interrupted architecture review to complete", () => runDone() && commentWith(crashIssue.number, `baton:adr-proposed issue-${crashIssue.number}`) && runDone());
      await waitIdle(400);
      const runs = github.checkRuns.filter((c) => (c.externalId ?? "").includes(`"number":${crashIssue.number}`));
      const pulls = pullByHead(crashBranch);
      const branches = Object.keys(github.census().branches).filter((b) => b.startsWith(crashBranch));
      const comments = github.commentsOn(crashIssue.number).filter((c) => c.body.includes("baton:adr-proposed"));
      check(
        `${crashDelivery.label}: finished after the crash, once`,
        run.conclusion === "success" && runs.length === 1 && pulls.length === 1 && branches.length === 1 && comments.length === 1,
        `check runs ${runs.length} (${run.conclusion}), branches ${branches.length}, pull requests ${pulls.length}, comments ${comments.length}; ${github.requests.length - since} requests`,
      );
    }
    const beforeRestart = github.census();
    const requestsBefore = github.requests.length;
    const callsBefore = claude.calls.length;
    for (const d of deliveries) {
      if (d === crashDelivery) continue;
      const since = github.requests.length;
      const sinceCalls = claude.calls.length;
      const t0 = performance.now();
      const done = redoneWhen.get(d.id)?.();
      await send(d);
      if (done) await waitFor(`${d.label} to be handled again`, () => done(since, t0));
      await waitIdle(400);
      const newRequests = github.requests.slice(since);
      const posts = newRequests.filter((r) => r.method === "POST" && !r.path.endsWith("/access_tokens") && r.path !== "/api/graphql");
      const patches = newRequests.filter((r) => r.method === "PATCH");
      check(`${d.label}: nothing created`, posts.length === 0, posts.map((r) => `POST ${r.path}`).join(", ") || `${newRequests.length} requests, ${patches.length} updates, ${claude.calls.length - sinceCalls} model calls`);
      if (patches.length) note(`${d.label}: updated in place: ${[...new Set(patches.map((r) => r.path.replace(`/repos/${github.owner}/${github.repo}`, "")))].join(", ")}`);
    }
    compareCensus(beforeRestart, github.census(), check);
    note(`after the restart: ${github.requests.length - requestsBefore} GitHub requests, ${claude.calls.length - callsBefore} model calls (the queue's memory is per process; the repository is what makes the writes idempotent)`);

    // ------------------------------------------------------------ final checks
    phase = "coverage";
    log(`[${secs()}] step 9: ${phase}`);
    check("every request the app made was understood by the fake GitHub", github.unmatched.length === 0, github.unmatched.join("; ") || `${github.requests.length} requests, ${github.tokensIssued} installation tokens`);
    check("no request was refused by the fake Anthropic", claude.rejected.length === 0, claude.rejected.join("; ") || `${claude.calls.length} model calls`);
    check("no server error in the fakes", github.serverErrors.length === 0, github.serverErrors.join("; "));
    const allOutput = `${firstOutput}\n${app?.output() ?? ""}`;
    const errors = appErrors(allOutput);
    check("the app logged no error", errors.length === 0, errors.slice(0, 5).join(" | "));
  } catch (err) {
    failed = true;
    const message = err instanceof Error ? err.message : String(err);
    if (!(err instanceof StepFailure)) log(`  !!    ${err instanceof Error ? (err.stack ?? message) : message}`);
    checks.push({ phase, name: "run aborted", ok: false, detail: message });
    log(`  FAIL  run aborted — ${message}`);
  } finally {
    await app?.stop().catch(() => undefined);
    await github.stop().catch(() => undefined);
    await claude.stop().catch(() => undefined);
  }
  const ok = !failed && checks.every((c) => c.ok);
  const appOutput = firstOutput && firstOutput !== app?.output() ? `${firstOutput}\n--- restart ---\n${app?.output() ?? ""}` : (app?.output() ?? "");
  return { ok, checks, notes, durationMs: Math.round(performance.now() - started), ...(ok ? {} : { appOutput }) };

  /**
   * The job ran again: its check run was completed again, or (a redelivery of an event the run
   * already finished for) the app looked the check run up, found its job marker and stopped there.
   */
  function checkRunRedone(id: number): (since: number, before: number) => boolean {
    const run = github.checkRuns.find((c) => c.id === id)!;
    const seen = run.history.length;
    // When the job goes on, the run turns in_progress right after the lookup: wait long enough to see that.
    const SETTLE_MS = 1500;
    const lookedUpAt = (since: number) => github.requests.slice(since).filter((r) => r.method === "GET" && r.path.endsWith(`/commits/${run.headSha}/check-runs`)).at(-1)?.at;
    return (since) => {
      if (run.history.length > seen) return run.status === "completed";
      const at = lookedUpAt(since);
      return at !== undefined && performance.now() - at > SETTLE_MS;
    };
  }

  function reviewCompletions(headSha: string): number {
    return github.checkRuns.filter((c) => c.name === "Baton: review" && c.headSha === headSha).reduce((n, c) => n + c.history.filter((h) => h.startsWith("completed")).length, 0);
  }

  function commentsListedAgain(issueNumber: number): (since: number, before: number) => boolean {
    const path = `/repos/${github.owner}/${github.repo}/issues/${issueNumber}/comments`;
    return (since) => github.requests.slice(since).some((r) => r.method === "GET" && r.path === path);
  }
}

/** The app's environment: the variables given, on top of a copy of ours without anything that would send it elsewhere. */
function childEnv(vars: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const k of Object.keys(env)) {
    if (/^(https?|all|no)_proxy$/i.test(k)) delete env[k];
    if (/^(REDIS_URL|WEBHOOK_PROXY_URL|PRIVATE_KEY_PATH|GITHUB_TOKEN|ANTHROPIC_AUTH_TOKEN|SENTRY_DSN|NODE_OPTIONS|VITEST.*|NODE_ENV)$/.test(k)) delete env[k];
  }
  env.NO_PROXY = "127.0.0.1,localhost";
  return { ...env, ...vars };
}

function compareCensus(before: Census, after: Census, check: (name: string, ok: boolean, detail?: string) => boolean): void {
  const diff = (name: string, a: unknown[], b: unknown[]) => {
    const ka = a.map((x) => JSON.stringify(x));
    const kb = b.map((x) => JSON.stringify(x));
    const added = kb.filter((k) => !ka.includes(k));
    const removed = ka.filter((k) => !kb.includes(k));
    check(`no new ${name}`, added.length === 0 && removed.length === 0, added.length || removed.length ? `added ${added.join(", ") || "none"}; removed/changed ${removed.join(", ") || "none"}` : `${b.length}`);
  };
  diff("branches (and no branch moved)", Object.entries(before.branches), Object.entries(after.branches));
  check("no new commits", after.commits === before.commits, `${before.commits} → ${after.commits}`);
  diff("pull requests", before.pulls, after.pulls);
  diff("reviews", before.reviews, after.reviews);
  diff("issue comments", before.comments, after.comments);
  diff(
    "check runs",
    before.checkRuns.map(({ conclusion: _c, ...rest }) => rest),
    after.checkRuns.map(({ conclusion: _c, ...rest }) => rest),
  );
  // Running a step again on the same input must come to the same verdict (a failing review gate stays failed).
  const flipped = before.checkRuns.flatMap((b) => {
    const a = after.checkRuns.find((x) => x.id === b.id);
    return a && b.conclusion !== null && a.conclusion !== b.conclusion ? [`${b.name} #${b.id}: ${b.conclusion} → ${a.conclusion}`] : [];
  });
  check("no check run changed its conclusion", flipped.length === 0, flipped.join(", "));
}

/** Error-level lines of the app's JSON log (pino: level >= 50), and anything that is not JSON on stderr-like output. */
function appErrors(output: string): string[] {
  const out: string[] = [];
  for (const line of output.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    try {
      const entry = JSON.parse(trimmed) as { level?: number | string; msg?: string; err?: { message?: string } | string };
      const level = typeof entry.level === "number" ? entry.level : { error: 50, fatal: 60 }[String(entry.level)] ?? 0;
      if (level >= 50) out.push(`${entry.msg ?? ""} ${typeof entry.err === "string" ? entry.err : (entry.err?.message ?? "")}`.trim());
    } catch {
      if (/error/i.test(trimmed)) out.push(trimmed.slice(0, 300));
    }
  }
  return out;
}

export function formatReport(report: LoopbackReport): string {
  const lines: string[] = [];
  const phases = [...new Set(report.checks.map((c) => c.phase))];
  lines.push("", "Summary");
  for (const p of phases) {
    const cs = report.checks.filter((c) => c.phase === p);
    const bad = cs.filter((c) => !c.ok);
    lines.push(`  ${bad.length ? "FAIL" : "PASS"}  ${p}: ${cs.length - bad.length}/${cs.length}`);
    for (const c of bad) lines.push(`          - ${c.name}${c.detail ? ` — ${c.detail}` : ""}`);
  }
  lines.push("", `${report.ok ? "PASS" : "FAIL"}: ${report.checks.filter((c) => c.ok).length}/${report.checks.length} checks in ${(report.durationMs / 1000).toFixed(1)} s`);
  if (!report.ok && report.appOutput) {
    lines.push("", "Last lines the app printed:", ...report.appOutput.trim().split("\n").slice(-40).map((l) => `  | ${l.slice(0, 400)}`));
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const viaNpm = process.argv.includes("--npm") || process.env.LOOPBACK_VIA_NPM === "1";
  const hardStop = setTimeout(() => {
    process.stderr.write("loopback: hard time limit (180 s) reached, giving up\n");
    process.exit(2);
  }, 180_000);
  hardStop.unref();
  const inProcess = process.argv.includes("--in-process");
  const fixture: FixtureVariant = process.argv.includes("--minimal") ? "minimal" : "configured";
  const launcher = inProcess ? (await import("./in-process-app.js")).inProcessLauncher() : childProcessLauncher({ viaNpm });
  const report = await runLoopback({ launcher, fixture });
  process.stdout.write(`${formatReport(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`loopback: ${signal}, stopping\n`);
      process.exit(130);
    });
  }
  await main();
}
