import type { Job } from "../jobs/job.js";
import { parseCheckRunExternalId } from "../runner/check-run-id.js";
import { jobKey, type JobRequest } from "../runner/job-request.js";
import { parseBatonCommand } from "./baton-command.js";

/** A webhook delivery as the endpoint received it, signature checked. */
export interface Delivery {
  /** X-GitHub-Delivery: the same on a redelivery. */
  id: string;
  /** X-GitHub-Event. */
  name: string;
  // GitHub's payload, read by routeEvent in the worker.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: any;
}

/** The job a delivery becomes: routing (config, permissions, PR lookups) runs in a worker. */
export interface RouteWork {
  kind: "route";
  delivery: Delivery;
  installationId: number;
}

/** Events routeEvent acts on, as `name.action`. */
const ROUTED = new Set([
  "issues.labeled",
  "push",
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.closed",
  "pull_request_review.submitted",
  "issue_comment.created",
  "check_run.rerequested",
]);

/**
 * The queue job for a delivery, or why there is none, from the payload
 * alone: no GitHub request, so the webhook answers at once. It drops only
 * what routing would surely drop (other events, comments without a
 * command, bots); everything else is decided in the worker.
 *
 * The job id is the delivery id, so GitHub's "Redeliver" (same id) is
 * refused while the first is queued, running or remembered as done. The
 * key is the issue or PR the event is about: deliveries for one PR are
 * routed in order, and the jobs they start queue behind each other.
 */
export function deliveryJob(delivery: Delivery): { job: Job<RouteWork> } | { skip: string } {
  const { name, payload } = delivery;
  const event = payload?.action ? `${name}.${String(payload.action)}` : name;
  if (!ROUTED.has(event)) return { skip: `${event} is not an event Baton acts on` };
  const installationId = Number(payload.installation?.id);
  if (!Number.isSafeInteger(installationId) || installationId <= 0) return { skip: "no installation in the payload" };
  const repository = payload.repository;
  if (!repository?.name) return { skip: "no repository in the payload" };
  if (name === "issue_comment") {
    if (payload.sender?.type === "Bot" || payload.comment?.user?.type === "Bot") return { skip: "comment by a bot" };
    if (!parseBatonCommand(String(payload.comment?.body ?? ""))) return { skip: "comment without a /baton command" };
  }
  const owner = String(repository.owner?.login ?? repository.owner?.name ?? "");
  return {
    job: {
      id: `route:${delivery.id}`,
      key: routeKey(name, payload, { owner, repo: String(repository.name), installationId }),
      kind: "route",
      group: String(installationId),
      payload: { kind: "route", delivery, installationId },
    },
  };
}

/** The serialisation key of the jobs this event will start: the issue or PR it is about. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function routeKey(name: string, payload: any, target: JobRequest["target"]): string {
  const repo = `${target.owner}/${target.repo}`;
  const number = payload.issue?.number ?? payload.pull_request?.number;
  if (typeof number === "number") return `${repo}#${number}`;
  if (name === "check_run") {
    const parsed = parseCheckRunExternalId(String(payload.check_run?.external_id ?? ""));
    if (parsed) return jobKey({ ...parsed, target, cause: "" } as JobRequest);
  }
  return `${repo}:${name}`;
}
