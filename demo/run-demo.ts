import { readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../src/cli/main.js";
import type { CliIo } from "../src/cli/cli-io.js";
import { readRecordingFile, writeRecordingFile } from "../src/model/recorded-model-client.js";
import { createSampleRepo, git, SPEC_PATH } from "./sample-repo.js";
import { demoSessionScript } from "./dev-session-script.js";
import { FakeAnthropicServer } from "../test/support/fake-anthropic/fake-anthropic-server.js";

/**
 * The offline demo (`npm run demo`): Baton's three steps, end to end, on a
 * sample repository in a temporary folder, through the real CLI in-process.
 * Only the model is replayed (demo/recording.json) when no API key is set:
 * context resolution, budgeting, the files written and the git commits are
 * all real. See demo/README.md.
 */

export const RECORDING_PATH = fileURLToPath(new URL("./recording.json", import.meta.url));

export interface DemoIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** The date written into the new ADR; today by default. */
  today?: () => string;
}

export interface DemoOptions {
  /** Call Claude and re-record demo/recording.json (needs ANTHROPIC_API_KEY). */
  record?: boolean;
  /** Replay the recording even when an API key is set. */
  replay?: boolean;
  /** Replay the recording and record its answers anew with the inputs of this run (no API key needed). */
  refreshInputs?: boolean;
  /** Another recording file to replay or write. */
  recordingPath?: string;
}

/** A demo failure the user can act on: printed without a stack trace. */
export class DemoError extends Error {}

type ModelMode = "recorded" | "claude" | "record" | "refresh";

const USAGE = `Usage: npm run demo [-- --record | --replay | --refresh-inputs]

Runs Baton's architecture review, dev and review steps on a sample repository
in a temporary folder.

  (no option)  Claude when ANTHROPIC_API_KEY is set, else the recorded answers
               in demo/recording.json (offline)
  --replay     the recorded answers, even when ANTHROPIC_API_KEY is set
  --record     call Claude and rewrite demo/recording.json (needs ANTHROPIC_API_KEY)
  --refresh-inputs
               replay the recorded answers and record them again with the
               inputs this run gives each step (after a change to the sample
               repository or to how Baton renders an input; no API key)`;

function hasKey(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN);
}

function modelMode(env: NodeJS.ProcessEnv, opts: DemoOptions): ModelMode {
  if (opts.record) {
    if (!hasKey(env)) throw new DemoError("--record calls Claude to re-record the demo: set ANTHROPIC_API_KEY first (or run `npm run demo` without --record to replay the recording offline)");
    return "record";
  }
  if (opts.refreshInputs) return "refresh";
  return hasKey(env) && !opts.replay ? "claude" : "recorded";
}

function banner(mode: ModelMode, recording: string, env: NodeJS.ProcessEnv): string[] {
  const real = "everything else is real: context resolution, budgeting, files, git commits";
  const model =
    mode === "recorded"
      ? [`model: recorded — ${hasKey(env) ? "--replay given" : "no API key set"}; ${real}`, `(the model's answers are replayed from ${recording})`]
      : mode === "claude"
        ? ["model: Claude — ANTHROPIC_API_KEY is set (`npm run demo -- --replay` replays the recording instead)"]
        : mode === "refresh"
          ? [`model: recorded — the answers in ${recording} are replayed, and recorded again with this run's inputs; ${real}`]
          : [`model: Claude — re-recording ${recording}`];
  return ["Baton demo: spec → ADR → code → review, on a sample repository", ...model, ""];
}

/** Shorter paths in what the demo shows: the recording relative to where the demo was started. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

/** Runs the demo and returns the path of the sample repository it created. */
export async function runDemo(io: DemoIo, opts: DemoOptions = {}): Promise<string> {
  const recording = opts.recordingPath ?? RECORDING_PATH;
  const mode = modelMode(io.env, opts);
  const shownRecording = displayPath(recording);
  for (const line of banner(mode, shownRecording, io.env)) io.out(line);

  const root = createSampleRepo();
  io.out(`Sample repository (git, branch main): ${root}`);
  io.out("  src/api, src/web, src/billing · .github/baton.yml · docs/adr (2 ADRs) · docs/pitfalls/api.md · docs/specs/rate-limiting.md");

  const section = (title: string): void => {
    io.out("");
    io.out(`==> ${title}`);
  };
  // A replay runs on the recorded run's date: the ADR it writes is then the one
  // the recorded review was given, and the recording's inputs match.
  const replaying = mode === "recorded" || mode === "refresh";
  const recordedDate = replaying ? (await readRecordingFile(recording)).date : undefined;
  const today = io.today ?? (() => recordedDate ?? new Date().toISOString().slice(0, 10));
  // Relative to where the demo was started, as the CLI reads it: the command shown is the command run.
  const modelArgs = mode === "recorded" ? ["--recorded", shownRecording] : mode === "record" ? ["--record", shownRecording] : mode === "refresh" ? ["--recorded", shownRecording, "--record", shownRecording] : [];

  const baton = async (label: string, args: string[], withModel = true, env: { vars: NodeJS.ProcessEnv; shown: string } = { vars: io.env, shown: "" }): Promise<void> => {
    io.out(`$ ${env.shown}baton ${[...args, ...(withModel ? modelArgs : [])].join(" ")}`);
    const prefix = `  ${label} │ `;
    const cli: CliIo = {
      cwd: root,
      // Progress goes to the CLI's stderr; in the demo it reads best in line with the output.
      out: (text) => text.split("\n").forEach((l) => io.out(`${prefix}${l}`.trimEnd())),
      err: (text) => text.split("\n").forEach((l) => io.out(`${prefix}${l}`.trimEnd())),
      today,
      env: env.vars,
    };
    const code = await runCli([...args, ...(withModel ? modelArgs : [])], cli);
    if (code !== 0) throw new DemoError(`baton ${args[0]} exited with code ${code} (see above); the sample repository is left in ${root}`);
  };

  const adrFiles = () => new Set(readdirSync(join(root, "docs/adr")).filter((f) => /^\d{4}-.+\.md$/.test(f)));
  const before = adrFiles();

  section("1/3 Architecture review: the spec becomes an ADR (with module guidance), written into the working tree");
  await baton("architect", ["architect", "--spec", SPEC_PATH]);
  const newAdr = [...adrFiles()].find((f) => !before.has(f));
  if (!newAdr) throw new DemoError(`the architecture review wrote no new ADR in ${root}/docs/adr`);
  const adrPath = `docs/adr/${newAdr}`;
  io.out("");
  io.out(`The ADR it wrote, ${adrPath}:`);
  for (const line of readFileSync(join(root, adrPath), "utf8").trimEnd().split("\n")) io.out(`  ${line}`.trimEnd());

  section(`Merging the ADR PR accepts it: ${adrPath} goes from proposed to accepted, committed on main`);
  const adrText = readFileSync(join(root, adrPath), "utf8");
  writeFileSync(join(root, adrPath), adrText.replace(/^status: proposed$/m, "status: accepted"));
  await baton("adr", ["adr", "index"], false);
  git(root, ["add", "docs/adr"]);
  const title = /^# (.+)$/m.exec(adrText)?.[1] ?? newAdr;
  git(root, ["commit", "-q", "-m", `docs(adr): ${title}\n\nMerged the ADR pull request: the decision is accepted.`]);
  io.out(`  committed on main: ${git(root, ["log", "-1", "--format=%h %s"])}`);

  section("2/3 Dev: a Claude Code session implements the accepted ADR in this checkout; Baton checks its changes and commits on a new branch");
  await runDevSession(mode, adrPath, recording, baton, io);
  const branch = git(root, ["symbolic-ref", "--short", "HEAD"]);
  if (branch === "main") throw new DemoError(`the dev step committed nothing (see above); the sample repository is left in ${root}`);
  io.out("");
  io.out(`The commit, on branch ${branch}:`);
  for (const line of git(root, ["show", "--stat", "--patch", "--format=%h %s", "HEAD"]).split("\n")) io.out(`  ${line}`.trimEnd());

  section(`3/3 Review: the diff main...${branch}, against the spec, the ADRs and the pitfalls read from main`);
  await baton("review", ["review", "--base", "main"]);

  if (mode === "record") {
    const rec = await readRecordingFile(recording);
    rec.description = `Recorded from Claude by \`npm run demo -- --record\` on ${today()}. See demo/README.md.`;
    rec.date = today();
    await writeRecordingFile(recording, rec);
    section(`Recorded the model's answers in ${shownRecording}: review the diff before committing it (test/demo checks it).`);
  }
  if (mode === "refresh") section(`Recorded the answers again in ${shownRecording} with this run's inputs: review the diff before committing it (test/demo checks it).`);

  section(`The sample repository stays in ${root}; look around:`);
  io.out(`  $ git -C ${root} log --oneline --all --graph`);
  for (const line of git(root, ["log", "--oneline", "--all", "--graph", "--decorate"]).split("\n")) io.out(`  ${line}`);
  const bin = fileURLToPath(new URL("../bin/baton.js", import.meta.url));
  io.out("  Then, for example:");
  io.out(`    cd ${root}`);
  io.out(`    node ${bin} adr list`);
  io.out(`    node ${bin} context review --base main     # what the review saw, without calling a model`);
  io.out(`    git diff main...${branch}`);
  return root;
}

type BatonRun = (label: string, args: string[], withModel?: boolean, env?: { vars: NodeJS.ProcessEnv; shown: string }) => Promise<void>;

/**
 * The dev step as a Claude Code session (the real binary, its hooks, the
 * sample's real test command). Offline, its model is the scripted Anthropic
 * endpoint on 127.0.0.1 playing the recorded dev turns; with an API key, it
 * is Claude. Re-recording records the built-in runner's turns, which the
 * offline demo then plays as the session's.
 */
async function runDevSession(mode: ModelMode, adrPath: string, recording: string, baton: BatonRun, io: DemoIo): Promise<void> {
  if (mode === "record" || mode === "refresh") return baton("dev", ["dev", "--adr", adrPath, "--runner", "builtin"]);
  if (mode === "claude") return baton("dev", ["dev", "--adr", adrPath, "--runner", "claude-code"], false);
  const endpoint = await new FakeAnthropicServer({ apiKey: "demo", script: demoSessionScript(await readRecordingFile(recording)), log: () => undefined }).start();
  io.out(`  The session's model is a scripted Anthropic endpoint on ${endpoint.baseUrl} playing the recorded dev turns (no network);`);
  io.out("  Claude Code itself, Baton's hooks, the final-diff check and the test command are real.");
  const vars = { PATH: process.env.PATH, HOME: process.env.HOME, ANTHROPIC_API_KEY: "demo", ANTHROPIC_BASE_URL: endpoint.baseUrl };
  try {
    await baton("dev", ["dev", "--adr", adrPath, "--runner", "claude-code"], false, { vars, shown: `ANTHROPIC_BASE_URL=${endpoint.baseUrl} ` });
  } finally {
    await endpoint.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = argv.filter((a) => a !== "--record" && a !== "--replay" && a !== "--refresh-inputs");
  if (unknown.length) {
    process.stderr.write(`demo: unknown option ${unknown[0]}\n\n${USAGE}\n`);
    return 2;
  }
  const started = Date.now();
  try {
    await runDemo({ out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), env: process.env }, { record: argv.includes("--record"), replay: argv.includes("--replay"), refreshInputs: argv.includes("--refresh-inputs") });
    process.stdout.write(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
