import { Agent, request } from "node:http";
import { readFileSync } from "node:fs";

/**
 * The load generator of the webhook benchmark, in a process of its own so
 * that the fakes' work (in the benchmark's process) cannot delay its clock.
 * Reads the prepared deliveries (headers and exact body, signed) from the
 * JSON file named by argv[2], sends them to argv[3] at argv[4] a second on
 * keep-alive connections, and prints one JSON line: each delivery's status
 * and milliseconds from the request's start to the answer's last byte.
 */

interface Prepared {
  headers: Record<string, string>;
  body: string;
}

const [file, url, rate] = process.argv.slice(2);
const deliveries = JSON.parse(readFileSync(file!, "utf8")) as Prepared[];
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(url!);

function send(d: Prepared): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { ...d.headers, "content-length": Buffer.byteLength(d.body) }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(d.body);
  });
}

const t0 = performance.now();
const pending: Promise<{ status: number; ms: number }>[] = [];
for (const [i, d] of deliveries.entries()) {
  const wait = t0 + (i * 1000) / Number(rate) - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  pending.push(send(d));
}
process.stdout.write(`${JSON.stringify(await Promise.all(pending))}\n`);
agent.destroy();
