import { run, type Probot } from "probot";
import { appIdentity } from "../../src/app/app-identity.js";
import { jobFor } from "../../src/app/probot-app.js";
import { routeEvent } from "../../src/app/route-event.js";
import { createInProcessQueue } from "../../src/jobs/in-process-queue.js";
import { defaultIsTransient } from "../../src/jobs/retry-policy.js";
import { createAnthropicModelClient } from "../../src/model/anthropic-model-client.js";
import { isTransientError } from "../../src/model/model-errors.js";
import type { GitHubClient } from "../../src/runner/github-port.js";
import type { JobRequest } from "../../src/runner/job-request.js";
import { runJob, type RunnerDeps } from "../../src/runner/run-job.js";

/**
 * The webhook design before instant acks, for the benchmark's side-by-side
 * figures: `npm start` was Probot's own `run()`, and the handler routed the
 * event before Probot answered, reading .github/baton.yml and the sender's
 * permission through the event's Octokit (and so behind its throttle).
 * Today's router, runner and queue; only where routing happens differs.
 */
await run(async (app: Probot) => {
  const model = createAnthropicModelClient();
  const identity = appIdentity(app);
  const deps = async (octokit: GitHubClient): Promise<RunnerDeps> => ({ octokit, bot: await identity(), model, log: app.log, now: () => new Date() });
  const queue = createInProcessQueue({
    handler: async (job) => {
      const req = job.payload as JobRequest;
      await runJob(req, await deps((await app.auth(req.target.installationId)) as unknown as GitHubClient));
    },
    isTransient: (err) => isTransientError(err) || defaultIsTransient(err),
    logger: app.log,
  });
  app.on(["issues.labeled", "push", "pull_request", "issue_comment.created", "check_run.rerequested"], async (context) => {
    const installationId = (context.payload as { installation?: { id: number } }).installation?.id;
    if (!installationId) return;
    const requests = await routeEvent({ name: context.name, id: context.id, payload: context.payload, octokit: context.octokit as unknown as GitHubClient, installationId, log: context.log });
    for (const req of requests) await queue.enqueue(jobFor(req));
  });
});
