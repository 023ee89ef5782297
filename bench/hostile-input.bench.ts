/**
 * Hostile-input benchmark: `npm run bench:hostile`.
 *
 * For each class of untrusted input Baton works on (paths, the model's globs
 * and regular expressions, configuration globs; more in bench/hostile/), runs
 * the operation the way Baton runs it and measures the longest time the
 * event loop could not turn meanwhile: a heartbeat (a chain of setImmediate)
 * records the longest gap between two turns, and perf_hooks'
 * monitorEventLoopDelay the longest timer delay; the larger is reported.
 * Target: no input blocks the loop for more than 100 ms.
 *
 * A block on a shared machine is partly the machine's: the OS deschedules
 * the event loop to run other processes. To tell Baton's cost from the
 * machine's, each longest block is split with the kernel's per-thread
 * accounting (Linux, /proc/self/task/<pid>/schedstat) into the time the main
 * thread ran (Baton's own work on it), the time it waited for a CPU (load),
 * and the rest (blocked, or the VM descheduled); and each run is followed by
 * an idle window of the same length, whose longest block is the noise floor
 * at that moment. Prints a Markdown
 * table and writes it into docs/performance.md between `<!-- hostile:start -->`
 * and `<!-- hostile:end -->` (unless --no-write or --only). Reported, never asserted.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CASE_SETS } from "./hostile/all-cases.js";
import type { HostileCase } from "./hostile/hostile-case.js";

const DOC = fileURLToPath(new URL("../docs/performance.md", import.meta.url));
const START = "<!-- hostile:start -->";
const END = "<!-- hostile:end -->";
const TARGET_MS = 100;
const { values: args } = parseArgs({ options: { "no-write": { type: "boolean", default: false }, runs: { type: "string", default: "5" }, only: { type: "string" } } });
const RUNS = Math.max(1, Number(args.runs));

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const HAS_SCHEDSTAT = existsSync(SCHEDSTAT);
/** The main thread's time on a CPU and waiting for one, in ms, since it started (0 where the kernel does not say). */
function mainThreadTimes(): { cpu: number; wait: number } {
  if (!HAS_SCHEDSTAT) return { cpu: 0, wait: 0 };
  const [cpu, wait] = readFileSync(SCHEDSTAT, "utf8").split(" ").map(Number);
  return { cpu: cpu! / 1e6, wait: wait! / 1e6 };
}

interface Measured {
  blockMs: number;
  /** Of the longest gap between two heartbeats: the main thread on a CPU, and waiting for one. */
  cpuMs: number;
  waitMs: number;
  wallMs: number;
}

/** The longest event-loop block while `run` goes on, what the main thread did in it, and the wall time, in ms. */
async function measure(run: () => unknown): Promise<Measured> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let lastTimes = mainThreadTimes();
  let longest = { gap: 0, cpu: 0, wait: 0 };
  let beating = true;
  const beat = () => {
    const now = performance.now();
    const times = mainThreadTimes();
    if (now - last > longest.gap) longest = { gap: now - last, cpu: times.cpu - lastTimes.cpu, wait: times.wait - lastTimes.wait };
    last = now;
    lastTimes = times;
    if (beating) setImmediate(beat);
  };
  setImmediate(beat);
  delay.enable();
  await nextTurn();
  const start = performance.now();
  await run();
  const wallMs = performance.now() - start;
  await nextTurn();
  await nextTurn();
  beating = false;
  delay.disable();
  return { blockMs: Math.max(longest.gap, delay.max / 1e6), cpuMs: longest.cpu, waitMs: longest.wait, wallMs };
}

interface Row {
  testCase: HostileCase;
  /** The run whose longest block is the median: one run descheduled by a busy machine does not decide. */
  median: Measured;
  worstBlockMs: number;
  /** The median longest block of the idle windows, each as long as the run before it. */
  idleBlockMs: number;
  wallMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const idleFor = (ms: number) => () => new Promise((resolve) => setTimeout(resolve, ms));

async function runCase(testCase: HostileCase): Promise<Row> {
  const runs: Measured[] = [];
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m = await measure(() => testCase.run());
    runs.push(m);
    idle.push((await measure(idleFor(m.wallMs))).blockMs);
  }
  const sorted = [...runs].sort((a, b) => a.blockMs - b.blockMs);
  return { testCase, median: sorted[Math.floor(sorted.length / 2)]!, worstBlockMs: sorted[sorted.length - 1]!.blockMs, idleBlockMs: median(idle), wallMs: median(runs.map((r) => r.wallMs)) };
}

const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString("en-US"));

function render(rows: Row[]): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Node ${process.versions.node}, load average ${loadavg()[0]!.toFixed(1)} when run`;
  const lines = [
    `${RUNS} runs per input (median of each run's longest block; the worst run beside it); ${machine}. Target: no block over ${TARGET_MS} ms.`,
    HAS_SCHEDSTAT
      ? "Of the median block: the time the main thread ran (Baton's work on it) and the time it waited for a CPU (other processes); the rest it was off the CPU. Idle: the longest block of an idle event loop over the same time, right after each run."
      : "This system does not report per-thread CPU time: the split of the block is not shown. Idle: the longest block of an idle event loop over the same time, right after each run.",
    "",
    "| class | input | held to | longest event-loop block (ms) | worst run (ms) | of it, main thread ran (ms) | of it, waited for a CPU (ms) | idle, same run (ms) | operation took (ms) |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      ({ testCase: c, median: m, worstBlockMs, idleBlockMs, wallMs }) =>
        `| ${c.inputClass} | ${c.name.replace(/\|/g, "\\|")} | ${c.limit} | ${ms(m.blockMs)}${m.blockMs > TARGET_MS ? " **over target**" : ""} | ${ms(worstBlockMs)} | ${HAS_SCHEDSTAT ? ms(m.cpuMs) : "—"} | ${HAS_SCHEDSTAT ? ms(m.waitMs) : "—"} | ${ms(idleBlockMs)} | ${ms(wallMs)} |`,
    ),
  ];
  return lines.join("\n");
}

const rows: Row[] = [];
for (const set of CASE_SETS) {
  for (const testCase of set) {
    // --only <text>: the cases whose class or name holds it (a partial table is printed, never written).
    if (args.only !== undefined && !`${testCase.inputClass} ${testCase.name}`.includes(args.only)) continue;
    process.stderr.write(`${testCase.inputClass}: ${testCase.name}… `);
    const row = await runCase(testCase);
    process.stderr.write(`${ms(row.median.blockMs)} ms (ran ${ms(row.median.cpuMs)}, waited ${ms(row.median.waitMs)}; idle ${ms(row.idleBlockMs)})\n`);
    rows.push(row);
  }
}
const table = render(rows);
process.stdout.write(`${table}\n`);
if (!args["no-write"] && args.only === undefined) {
  const doc = readFileSync(DOC, "utf8");
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`docs/performance.md has no ${START} … ${END} section`);
  writeFileSync(DOC, `${doc.slice(0, from + START.length)}\n${table}\n${doc.slice(to)}`);
  process.stderr.write("wrote docs/performance.md\n");
}
// Workers the cases started are terminated; nothing else keeps the process alive.
