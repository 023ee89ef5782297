import type { ApplicationFunction, Context, Probot } from "probot";
import { createQueueFromEnv } from "../jobs/bullmq-queue.js";
import type { JobQueue } from "../jobs/job.js";
import { defaultIsTransient } from "../jobs/retry-policy.js";
import { createAnthropicModelClient } from "../model/anthropic-model-client.js";
import type { ModelClient } from "../model/model-client.js";
import { isTransientError } from "../model/model-errors.js";
import { jobId, jobKey, type JobRequest, type RepoTarget } from "../runner/job-request.js";
import { reportJobFailure, runJob, type RunnerDeps } from "../runner/run-job.js";
import { parseBatonCommand, SPENDS_TOKENS } from "./baton-command.js";
import { readEdgeConfig } from "./edge-config.js";
import { commandRequest, labelRequest, pullRequestRequest, pushRequests } from "./event-requests.js";
import { hasWriteAccess } from "./write-access.js";
import { parseCheckRunExternalId } from "../runner/check-run-id.js";

export interface BatonAppOptions {
  /** The model client; default: Anthropic from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL. */
  model?: ModelClient;
  /** The job queue; default: BullMQ when REDIS_URL is set, else in-process. */
  queue?: (handler: (req: JobRequest) => Promise<void>, onFailure: (req: JobRequest, err: unknown) => Promise<void>) => Promise<JobQueue>;
  now?: () => Date;
  /** Exposed for tests: resolves when the queue is idle. */
  onReady?: (handle: { queue: JobQueue }) => void;
}

/**
 * Event wiring only: each handler validates the event, enriches it once
 * (config labels, the sender's permission) and enqueues a plain job request.
 * No model work happens inside the webhook request.
 */
export function createBatonApp(options: BatonAppOptions = {}): ApplicationFunction {
  return async (app: Probot) => {
    const model = options.model ?? createAnthropicModelClient();
    const deps = (octokit: RunnerDeps["octokit"]): RunnerDeps => ({ octokit, model, log: app.log, now: options.now ?? (() => new Date()) });
    const handler = async (req: JobRequest) => runJob(req, deps((await app.auth(req.target.installationId)) as unknown as RunnerDeps["octokit"]));
    const onFailure = async (req: JobRequest, err: unknown) => reportJobFailure(req, err, deps((await app.auth(req.target.installationId)) as unknown as RunnerDeps["octokit"]));
    const queue = options.queue
      ? await options.queue(handler, onFailure)
      : await createQueueFromEnv(process.env, {
          handler: (job) => handler(job.payload as JobRequest),
          onFailure: (job, err) => onFailure(job.payload as JobRequest, err),
          isTransient: (err) => isTransientError(err) || defaultIsTransient(err),
          logger: app.log,
        });
    options.onReady?.({ queue });

    const enqueue = async (context: Context, req: JobRequest) => {
      const result = await queue.enqueue({ id: jobId(req), key: jobKey(req), kind: req.kind, payload: req });
      context.log.info({ job: jobId(req), accepted: result.accepted, reason: result.reason }, "baton job");
    };

    app.on("issues.labeled", async (context) => {
      const { issue, label, repository, installation } = context.payload;
      if (!label || !installation || issue.pull_request) return;
      const config = await readEdgeConfig(context.octokit, repository.owner.login, repository.name);
      const req = labelRequest(targetOf(repository, installation.id), config, label.name, issue.number, `label-${context.id}`);
      if (req) await enqueue(context, req);
    });

    app.on("push", async (context) => {
      const { repository, installation } = context.payload;
      if (!installation) return;
      const owner = repository.owner?.login ?? repository.owner?.name ?? "";
      const config = await readEdgeConfig(context.octokit, owner, repository.name);
      const requests = pushRequests({ owner, repo: repository.name, installationId: installation.id }, config, {
        ref: context.payload.ref,
        after: context.payload.after,
        defaultBranch: repository.default_branch ?? repository.master_branch ?? "main",
        commits: context.payload.commits,
      });
      for (const req of requests) await enqueue(context, req);
    });

    app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review"], async (context) => {
      const { pull_request: pr, repository, installation } = context.payload;
      if (!installation) return;
      const config = await readEdgeConfig(context.octokit, repository.owner.login, repository.name);
      const decision = pullRequestRequest(
        targetOf(repository, installation.id),
        config,
        {
          number: pr.number,
          draft: pr.draft ?? false,
          headSha: pr.head.sha,
          headRepo: pr.head.repo?.full_name ?? null,
          baseRepo: pr.base.repo.full_name,
          labels: pr.labels.map((l) => l.name),
          additions: pr.additions ?? Number.MAX_SAFE_INTEGER,
          deletions: pr.deletions ?? 0,
        },
        `pr-${pr.head.sha.slice(0, 12)}`,
      );
      if ("skip" in decision) context.log.info({ pr: pr.number }, `review skipped: ${decision.skip}`);
      else await enqueue(context, decision.request);
    });

    app.on("issue_comment.created", async (context) => {
      const { comment, issue, repository, installation, sender } = context.payload;
      if (!installation || sender.type === "Bot" || comment.user?.type === "Bot") return;
      const command = parseBatonCommand(comment.body ?? "");
      if (!command) return;
      const target = targetOf(repository, installation.id);
      const cause = `comment-${comment.id}`;
      const author = comment.user?.login ?? sender.login;
      if (SPENDS_TOKENS.has(command.name) && !(await hasWriteAccess(context.octokit, target.owner, target.repo, author))) {
        await enqueue(context, {
          kind: "reply",
          target,
          number: issue.number,
          cause,
          marker: `<!-- baton:reply ${cause} -->`,
          body: `Thanks, @${author}. \`/baton ${command.name}\` calls the model, so it is reserved for people with write access to this repository. A maintainer can run it for you.`,
        });
        return;
      }
      let headSha: string | undefined;
      if (issue.pull_request && command.name === "review") {
        const { data } = await context.octokit.rest.pulls.get({ owner: target.owner, repo: target.repo, pull_number: issue.number });
        headSha = data.head.sha;
      }
      await enqueue(context, commandRequest(target, command, { number: issue.number, isPullRequest: Boolean(issue.pull_request), headSha, commentUrl: comment.html_url, author }, cause));
    });

    app.on("check_run.rerequested", async (context) => {
      const { check_run: run, repository, installation } = context.payload;
      // GitHub sends `rerequested` only to the app that created the check run; the external id says which job it was.
      if (!installation || !run.external_id) return;
      const parsed = parseCheckRunExternalId(run.external_id);
      if (!parsed) return;
      const req: JobRequest = { ...parsed, target: targetOf(repository, installation.id), cause: `rerun-${context.id}` } as JobRequest;
      await enqueue(context, req);
    });
  };
}

function targetOf(repository: { name: string; owner: { login: string } }, installationId: number): RepoTarget {
  return { owner: repository.owner.login, repo: repository.name, installationId };
}

export default createBatonApp();
