import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { atNormalPriority, cpuMs, Fleet, lowerOwnPriority, percentile, type Proc } from "./scale/fleet.js";
import { writeFigures } from "./scale/figures.js";

/**
 * Webhook answers under a burst: 1,000 `pull_request.opened` deliveries
 * across 20 installations, sent at BENCH_RATE a second (default 150, the
 * issue's burst: 300 in about 2 s) to the app on loopback, with 250 ms added
 * to every GitHub request. Each answer is timed from the request to its last
 * byte by a load generator in its own process. GitHub gives up after 10 s,
 * so a delivery not answered 2xx within 10 s counts as dropped. The same
 * burst goes to the previous design (routing before the answer). With
 * BENCH_REDIS_URL, also the app taking webhooks only with one worker.
 *
 * `npm run build` first: the app runs as `npm start` runs it.
 */

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 1000);
const RATE_PER_S = Number(process.env.BENCH_RATE ?? 150);
const INSTALLATIONS = 20;

interface Result {
  design: string;
  p50: number;
  p99: number;
  max: number;
  dropped: number;
  /** CPU the process taking webhooks used during the burst, per delivery. */
  cpuPerDelivery: number;
}

async function burst(design: string, args: string[], opts: { redisUrl?: string; action?: string } = {}): Promise<Result> {
  const fleet = await new Fleet({ installations: INSTALLATIONS, githubLatencyMs: 250, modelLatencyMs: 0, redisUrl: opts.redisUrl }).start();
  try {
    const pulls = fleet.openPulls(Math.ceil(DELIVERIES / INSTALLATIONS)).slice(0, DELIVERIES);
    let app: Proc;
    if (opts.redisUrl) {
      // The app takes webhooks only; a worker process runs the jobs, off the webhook's event loop.
      app = await fleet.spawn(args, { BATON_CONCURRENCY: "0" });
      await fleet.spawn(["dist/app/worker.js"], {}, false);
    } else app = await fleet.spawn(args);
    // A running server is warm: a few deliveries Baton ignores, one at a time.
    for (const p of pulls.slice(0, 20)) await fleet.deliver("pull_request", { ...p.payload, action: "edited" });
    const file = join(mkdtempSync(join(tmpdir(), "baton-burst-")), "deliveries.json");
    writeFileSync(file, JSON.stringify(pulls.map((p) => fleet.prepare("pull_request", opts.action ? { ...p.payload, action: opts.action } : p.payload))));
    const [command, argv] = atNormalPriority(process.execPath, ["--import", "tsx", "bench/scale/burst-client.ts", file, `http://127.0.0.1:${fleet.port}/api/github/webhooks`, String(RATE_PER_S)]);
    const cpuBefore = cpuMs(app.child.pid);
    const client = spawn(command, argv, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    client.stdout.on("data", (c: Buffer) => (out += c.toString()));
    await new Promise((r) => client.once("exit", r));
    const cpuPerDelivery = (cpuMs(app.child.pid) - cpuBefore) / DELIVERIES;
    const results = JSON.parse(out) as { status: number; ms: number }[];
    // GitHub waits 10 s for an answer, counted from when it sends: later is as good as none.
    const ok = results.filter((r) => r.status >= 200 && r.status < 300 && r.ms <= 10_000).map((r) => r.ms).sort((a, b) => a - b);
    const result = { design, p50: percentile(ok, 50), p99: percentile(ok, 99), max: ok.at(-1) ?? Number.NaN, dropped: results.length - ok.length, cpuPerDelivery };
    console.log(`${design}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, dropped ${result.dropped} of ${results.length}, ${cpuPerDelivery.toFixed(2)} ms CPU per delivery`);
    return result;
  } finally {
    await fleet.stop();
  }
}

lowerOwnPriority();
const redisUrl = process.env.BENCH_REDIS_URL;
const now = await burst("instant acks, one process (`npm start`)", ["dist/app/server.js"]);
const split = redisUrl ? await burst("instant acks, webhooks-only process + 1 worker (`REDIS_URL`)", ["dist/app/server.js"], { redisUrl }) : undefined;
const ignored = await burst("for reference: the same burst as events Baton ignores (the answer path alone, no jobs)", ["dist/app/server.js"], { action: "edited" });
const before = await burst("previous design (routing before the answer)", ["--import", "tsx", "bench/scale/previous-design-app.ts"]);
const load = loadavg()[0]!;
const rows = [now, ...(split ? [split] : []), ignored, before].map(
  (r) => `| ${r.design} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.max.toFixed(1)} ms | ${r.dropped} of ${DELIVERIES} | ${r.cpuPerDelivery.toFixed(2)} ms |`,
);
writeFigures("webhook-acks", [
  `${DELIVERIES} \`pull_request.opened\` deliveries across ${INSTALLATIONS} installations, sent at ${RATE_PER_S}/s, 250 ms added to every GitHub request. Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}, Node ${process.version}, ${cpus().length} CPUs shared with other work (load average ${load.toFixed(1)} at the end).`,
  "",
  "| design | p50 | p99 | max | dropped (not 2xx within 10 s) | CPU per delivery (webhook process) |",
  "|---|---|---|---|---|---|",
  ...rows,
]);
const failed = now.p99 >= 50 || now.dropped > 0;
if (failed) console.error(`target missed: p99 ${now.p99.toFixed(1)} ms (target < 50 ms), dropped ${now.dropped} (target 0); load average ${load.toFixed(1)} on ${cpus().length} CPUs`);
process.exit(failed ? 1 : 0);
