import { randomUUID } from "node:crypto";
import { compareCensus } from "../census-comparison.js";
import type { Delivery, LoopbackRun } from "../loopback-run.js";

/** Steps 5 and 6: every webhook again to the same process, with the same delivery id, then with fresh ones. */

/** Requests that create or change something (not token or GraphQL reads). */
const isWrite = (r: { method: string; path: string }) => r.method !== "GET" && !r.path.endsWith("/access_tokens") && r.path !== "/api/graphql";

/** Step 5: the same bytes and delivery id: ignored, no request that writes, no model call. */
export async function redeliverSameProcess(run: LoopbackRun): Promise<void> {
  const { github, claude } = run;
  run.phase = "redelivery (same process)";
  run.log(`[${run.secs()}] step 5: ${run.phase}: every webhook again, same delivery id and body`);
  const before = github.census();
  for (const d of run.deliveries) {
    const requests = github.requests.length;
    const calls = claude.calls.length;
    await run.send(d);
    await run.waitIdle(400);
    const newRequests = github.requests.slice(requests);
    const writes = newRequests.filter(isWrite);
    run.check(`${d.label}: ignored`, writes.length === 0 && claude.calls.length === calls, `${newRequests.length} GitHub requests, ${writes.length} writes, ${claude.calls.length - calls} model calls`);
  }
  compareCensus(before, github.census(), (name, ok, detail) => run.check(name, ok, detail));
}

/** Step 6: a sender that retries with a fresh X-GitHub-Delivery: label events run again, nothing is created. */
export async function redeliverWithNewIds(run: LoopbackRun): Promise<void> {
  const { github, claude } = run;
  run.phase = "same events, new delivery ids";
  run.log(`[${run.secs()}] step 6: ${run.phase} (a sender that retries with a fresh X-GitHub-Delivery)`);
  const before = github.census();
  for (const d of [...run.deliveries]) {
    const since = github.requests.length;
    const sinceCalls = claude.calls.length;
    const fresh: Delivery = { ...d, id: randomUUID() };
    const done = run.redoneWhen.get(d.id)?.();
    await run.send(fresh);
    // Label events carry their delivery in the job id, so they run again; the others are the same job.
    await run.waitRedone(d.label, d.name === "issues" ? done : undefined, since, performance.now(), 400);
    const created = github.requests.slice(since).filter((r) => r.method === "POST" && isWrite(r));
    run.check(`${d.label}: nothing created`, created.length === 0, created.map((r) => `POST ${r.path}`).join(", ") || `${github.requests.length - since} requests, ${claude.calls.length - sinceCalls} model calls`);
  }
  compareCensus(before, github.census(), (name, ok, detail) => run.check(name, ok, detail));
}
