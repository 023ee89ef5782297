import { cpus, loadavg } from "node:os";
import { Fleet, lowerOwnPriority, type Proc } from "./scale/fleet.js";
import { writeFigures } from "./scale/figures.js";

/**
 * Reviews per minute: pull requests opened in 1 or 20 installations, each
 * reviewed to the end (review, summary comment, check run), with Probot's
 * write throttle on as in production, GITHUB_LATENCY_MS (100) added to every
 * GitHub request and MODEL_LATENCY_MS (2,000) to every model call. From the
 * first delivery to the last review. Then the same 20 installations with
 * Redis and 1, 2 and 4 worker processes (BENCH_REDIS_URL).
 *
 * `npm run build` first: the app runs as `npm start` runs it.
 */

const GITHUB_LATENCY_MS = Number(process.env.GITHUB_LATENCY_MS ?? 100);
const MODEL_LATENCY_MS = Number(process.env.MODEL_LATENCY_MS ?? 2000);
const PER_WORKER = 4;

interface Row {
  scenario: string;
  reviews: number;
  seconds: number;
  perMinute: number;
}

async function run(scenario: string, opts: { installations: number; pullsEach: number; workers?: number; redisUrl?: string; concurrency: number }): Promise<Row> {
  const fleet = await new Fleet({ installations: opts.installations, githubLatencyMs: GITHUB_LATENCY_MS, modelLatencyMs: MODEL_LATENCY_MS, redisUrl: opts.redisUrl }).start();
  try {
    const pulls = fleet.openPulls(opts.pullsEach);
    const procs: Proc[] = [];
    if (opts.workers) {
      procs.push(await fleet.spawn(["dist/app/server.js"], { BATON_CONCURRENCY: "0" }));
      for (let w = 0; w < opts.workers; w++) procs.push(await fleet.spawn(["dist/app/worker.js"], { BATON_CONCURRENCY: String(opts.concurrency) }, false));
    } else procs.push(await fleet.spawn(["dist/app/server.js"], { BATON_CONCURRENCY: String(opts.concurrency) }));
    const t0 = performance.now();
    // Interleaved across installations, as pushes from many repositories arrive.
    const order = [...pulls].sort((a, b) => a.pull.number - b.pull.number);
    for (const p of order) {
      const answer = await fleet.deliver("pull_request", p.payload);
      if (answer.status !== 200) throw new Error(`delivery answered ${answer.status}`);
    }
    const deadline = t0 + 30 * 60_000;
    while (fleet.reviewsDone() < pulls.length) {
      if (performance.now() > deadline || procs.some((p) => p.child.exitCode !== null)) throw new Error(`${scenario}: ${fleet.reviewsDone()} of ${pulls.length} reviews\n${procs.map((p) => p.output().slice(-2000)).join("\n")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - t0) / 1000;
    const row = { scenario, reviews: pulls.length, seconds, perMinute: (pulls.length / seconds) * 60 };
    console.log(`${scenario}: ${row.reviews} reviews in ${seconds.toFixed(1)} s = ${row.perMinute.toFixed(1)} per minute`);
    return row;
  } finally {
    await fleet.stop();
  }
}

lowerOwnPriority();
const rows: Row[] = [];
rows.push(await run("1 installation, one process (8 jobs at once)", { installations: 1, pullsEach: 20, concurrency: 8 }));
rows.push(await run("20 installations, one process (8 jobs at once)", { installations: 20, pullsEach: 3, concurrency: 8 }));
const redisUrl = process.env.BENCH_REDIS_URL;
if (redisUrl) {
  for (const workers of [1, 2, 4]) {
    rows.push(await run(`20 installations, Redis, ${workers} worker process${workers > 1 ? "es" : ""} (${PER_WORKER} jobs each)`, { installations: 20, pullsEach: 4, workers, redisUrl, concurrency: PER_WORKER }));
  }
}
writeFigures("throughput", [
  `${GITHUB_LATENCY_MS} ms added to every GitHub request, ${MODEL_LATENCY_MS} ms to every model call, Probot's write throttle on. Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}, Node ${process.version}, ${cpus().length} CPUs shared with other work (load average ${loadavg()[0]!.toFixed(1)} at the end).`,
  "",
  "| scenario | reviews | time | reviews per minute |",
  "|---|---|---|---|",
  ...rows.map((r) => `| ${r.scenario} | ${r.reviews} | ${r.seconds.toFixed(1)} s | ${r.perMinute.toFixed(1)} |`),
]);
