import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { JobQueue } from "../jobs/job.js";
import type { RepoTarget } from "../runner/job-request.js";
import type { StepMeter } from "../runner/step-harness.js";
import type { RouteHandler } from "./http-server.js";

/**
 * What an operator watches, in Prometheus' format: model tokens per
 * repository and step, runs refused by a daily cap, the queue's depth, job
 * durations and failures, webhook deliveries. One registry per process
 * (each process reports its own; the queue depth is the shared queue's).
 */
export interface BatonMetrics extends StepMeter {
  registry: Registry;
  /** One attempt of a job ran: how long, and whether it threw. */
  jobAttempt(kind: string, seconds: number, ok: boolean): void;
  /** The queue gave up on a job (permanent error, or transient after the last retry). */
  jobFailed(kind: string): void;
  delivery(event: string, result: "accepted" | "ignored" | "duplicate" | "refused"): void;
  /** Reports `queue`'s depth on every scrape. */
  watchQueue(queue: JobQueue): void;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): BatonMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: "baton_" });
  const tokens = new Counter({ name: "baton_model_tokens_total", help: "Model tokens used, by repository, step and type (input, output, cache_read, cache_write).", labelNames: ["repository", "step", "type"], registers: [registry] });
  const refused = new Counter({ name: "baton_budget_refusals_total", help: "Step runs not started because a daily token cap would be exceeded.", labelNames: ["repository", "step"], registers: [registry] });
  const duration = new Histogram({
    name: "baton_job_duration_seconds",
    help: "Duration of one attempt of a job, by kind and result.",
    labelNames: ["kind", "result"],
    buckets: [0.05, 0.25, 1, 5, 15, 60, 180, 600, 1800],
    registers: [registry],
  });
  const failures = new Counter({ name: "baton_job_failures_total", help: "Jobs that failed for good (permanent error, or transient after the last retry), by kind.", labelNames: ["kind"], registers: [registry] });
  const deliveries = new Counter({ name: "baton_webhook_deliveries_total", help: "Webhook deliveries by event and what became of them.", labelNames: ["event", "result"], registers: [registry] });
  let queue: JobQueue | undefined;
  new Gauge({
    name: "baton_queue_jobs",
    help: "Jobs in the queue (shared by every process with REDIS_URL), by state: waiting (queued, delayed, waiting to retry) or running.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      if (!queue) return;
      const c = await queue.counts();
      this.set({ state: "waiting" }, c.waiting);
      this.set({ state: "running" }, c.running);
    },
  });
  const repo = (t: RepoTarget) => `${t.owner}/${t.repo}`;
  return {
    registry,
    tokensUsed(target, stepId, usage) {
      for (const [type, n] of [["input", usage.inputTokens], ["output", usage.outputTokens], ["cache_read", usage.cacheReadTokens], ["cache_write", usage.cacheWriteTokens]] as const) {
        tokens.inc({ repository: repo(target), step: stepId, type }, n);
      }
    },
    overBudget(target, stepId) {
      refused.inc({ repository: repo(target), step: stepId });
    },
    jobAttempt(kind, seconds, ok) {
      duration.observe({ kind, result: ok ? "ok" : "error" }, seconds);
    },
    jobFailed(kind) {
      failures.inc({ kind });
    },
    delivery(event, result) {
      deliveries.inc({ event, result });
    },
    watchQueue(q) {
      queue = q;
    },
  };
}

/** GET /metrics in Prometheus' text format. */
export function metricsRoute(metrics: BatonMetrics): RouteHandler {
  return async (req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") return false;
    const text = await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text);
    return true;
  };
}
