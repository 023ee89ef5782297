/**
 * Hostile-input benchmark: `npm run bench:hostile`.
 *
 * For each class of untrusted input Baton works on (paths, the model's globs
 * and regular expressions, configuration globs; more in bench/hostile/), runs
 * the operation the way Baton runs it and measures the longest time the
 * event loop could not turn meanwhile: a heartbeat (a chain of setImmediate)
 * records the longest gap between two turns, and perf_hooks'
 * monitorEventLoopDelay the longest timer delay; the larger is reported.
 * Target: no input blocks the loop for more than 100 ms. Prints a Markdown
 * table and writes it into docs/performance.md between `<!-- hostile:start -->`
 * and `<!-- hostile:end -->` (unless --no-write). Reported, never asserted.
 */
import { readFileSync, writeFileSync } from "node:fs";
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
const { values: args } = parseArgs({ options: { "no-write": { type: "boolean", default: false }, runs: { type: "string", default: "5" } } });
const RUNS = Math.max(1, Number(args.runs));

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The longest event-loop block while `run` goes on, and its wall time, in ms. */
async function measure(run: () => unknown): Promise<{ blockMs: number; wallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let longest = 0;
  let beating = true;
  const beat = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
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
  return { blockMs: Math.max(longest, delay.max / 1e6), wallMs };
}

interface Row {
  testCase: HostileCase;
  /** Median over the runs of each run's longest block: one run descheduled by a busy machine does not decide. */
  blockMs: number;
  worstBlockMs: number;
  wallMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function runCase(testCase: HostileCase): Promise<Row> {
  const blocks: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m = await measure(() => testCase.run());
    blocks.push(m.blockMs);
    walls.push(m.wallMs);
  }
  return { testCase, blockMs: median(blocks), worstBlockMs: Math.max(...blocks), wallMs: median(walls) };
}

const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString("en-US"));

function render(rows: Row[]): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Node ${process.versions.node}, load average ${loadavg()[0]!.toFixed(1)} when run`;
  const lines = [
    `${RUNS} runs per input (median of each run's longest block; the worst run beside it); ${machine}. Target: no block over ${TARGET_MS} ms.`,
    "",
    "| class | input | held to | longest event-loop block (ms) | worst run (ms) | operation took (ms) |",
    "|---|---|---|---:|---:|---:|",
    ...rows.map(
      ({ testCase: c, blockMs, worstBlockMs, wallMs }) =>
        `| ${c.inputClass} | ${c.name.replace(/\|/g, "\\|")} | ${c.limit} | ${ms(blockMs)}${blockMs > TARGET_MS ? " **over target**" : ""} | ${ms(worstBlockMs)} | ${ms(wallMs)} |`,
    ),
  ];
  return lines.join("\n");
}

const rows: Row[] = [];
for (const set of CASE_SETS) {
  for (const testCase of set) {
    process.stderr.write(`${testCase.inputClass}: ${testCase.name}… `);
    const row = await runCase(testCase);
    process.stderr.write(`${ms(row.blockMs)} ms\n`);
    rows.push(row);
  }
}
const table = render(rows);
process.stdout.write(`${table}\n`);
if (!args["no-write"]) {
  const doc = readFileSync(DOC, "utf8");
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`docs/performance.md has no ${START} … ${END} section`);
  writeFileSync(DOC, `${doc.slice(0, from + START.length)}\n${table}\n${doc.slice(to)}`);
  process.stderr.write("wrote docs/performance.md\n");
}
// Workers the cases started are terminated; nothing else keeps the process alive.
