import { readFileSync } from "node:fs";
import { ProbotOctokit } from "probot";
import { routeEvent } from "../app/route-event.js";
import { createInProcessQueue } from "../jobs/in-process-queue.js";
import { defaultIsTransient } from "../jobs/retry-policy.js";
import { createAnthropicModelClient } from "../model/anthropic-model-client.js";
import type { ModelClient } from "../model/model-client.js";
import { isTransientError } from "../model/model-errors.js";
import type { GitHubClient } from "../runner/github-port.js";
import { jobId, jobKey, type JobRequest } from "../runner/job-request.js";
import { reportJobFailure, runJob, type RunnerDeps } from "../runner/run-job.js";
import { actionsDevHost, type DevHost } from "../runner/dev-host.js";
import { redactSecrets } from "../util/posted-text.js";
import { ACTIONS_BOT, botIdentityOfApp, type BotIdentity } from "../writer/bot-identity.js";

export interface ActionOptions {
  env: NodeJS.ProcessEnv;
  model?: ModelClient;
  octokit?: GitHubClient;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  log?: RunnerDeps["log"];
  /** Where the dev session runs; default: the workspace (GITHUB_WORKSPACE). */
  devHost?: DevHost;
  /** Octokit's throttling (writes spaced about a second apart, as GitHub asks); default on. Tests turn it off. */
  throttle?: boolean;
}

/**
 * A workflow's log is public on a public repository: what it prints is
 * posted text, so secrets are redacted, those of the Action's environment
 * (its endpoint, its keys) included.
 */
function consoleLog(env: NodeJS.ProcessEnv): RunnerDeps["log"] {
  const line = (text: string) => redactSecrets(text, { env });
  return {
    info: (obj, msg) => console.log(line(`${msg} ${JSON.stringify(obj)}`)),
    warn: (obj, msg) => console.warn(line(`warning: ${msg} ${JSON.stringify(obj)}`)),
    error: (obj, msg) => console.error(line(`error: ${msg} ${JSON.stringify(obj)}`)),
  };
}

/**
 * Whose comments are Baton's in a workflow: `github-actions[bot]` with the
 * workflow's token; with another token (input `bot_login`), that account,
 * e.g. `my-app[bot]` for a GitHub App's installation token.
 */
export function actionBotIdentity(env: NodeJS.ProcessEnv): BotIdentity {
  const login = env.INPUT_BOT_LOGIN?.trim();
  if (!login) return ACTIONS_BOT;
  const app = /^(.+)\[bot\]$/.exec(login);
  return app ? botIdentityOfApp(app[1]!) : { login, appSlug: ACTIONS_BOT.appSlug };
}

/**
 * Baton as a GitHub Action: the workflow's event goes through the same
 * router, the same job runner and the same writer as the hosted app; only
 * the token (the workflow's) and the queue (one process, run to the end)
 * differ. Returns the process exit code.
 */
export async function runAction(opts: ActionOptions): Promise<number> {
  const { env } = opts;
  const log = opts.log ?? consoleLog(env);
  const eventName = env.GITHUB_EVENT_NAME;
  const eventPath = env.GITHUB_EVENT_PATH;
  const token = env.INPUT_GITHUB_TOKEN || env.GITHUB_TOKEN;
  if (!eventName || !eventPath) {
    log.error({}, "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: run this inside a GitHub Actions workflow");
    return 2;
  }
  if (!token && !opts.octokit) {
    log.error({}, "no GitHub token: pass github_token (the workflow's GITHUB_TOKEN) to the action");
    return 2;
  }
  const payload = JSON.parse(readFileSync(eventPath, "utf8")) as unknown;
  const octokit =
    opts.octokit ??
    (new ProbotOctokit({
      auth: { token },
      baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
      throttle: { enabled: opts.throttle ?? true, onRateLimit: () => true, onSecondaryRateLimit: () => true },
    }) as unknown as GitHubClient);
  const model = opts.model ?? createAnthropicModelClient({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL });
  // The Actions runner is where the repository's code may run: the dev step's Claude Code session works in the workspace.
  const devHost = opts.devHost ?? actionsDevHost(env, token);
  // A fork (dev.fork) is written with the same token: it must be one that may write there (a PAT or an app token), not the workflow's.
  const deps: RunnerDeps = { octokit, bot: actionBotIdentity(env), forks: { clientFor: async () => octokit }, model, log, now: opts.now ?? (() => new Date()), ...(devHost ? { devHost } : {}) };

  const requests = await routeEvent({ name: eventName, id: `${env.GITHUB_RUN_ID ?? "local"}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`, payload, octokit, installationId: 0, log });
  if (requests.length === 0) {
    log.info({ event: eventName }, "nothing for Baton in this event");
    return 0;
  }
  let failed = 0;
  const queue = createInProcessQueue({
    handler: (job) => runJob(job.payload as JobRequest, deps),
    onFailure: async (job, err) => {
      failed++;
      await reportJobFailure(job.payload as JobRequest, err, deps);
    },
    concurrency: 1,
    isTransient: (err) => isTransientError(err) || defaultIsTransient(err),
    sleep: opts.sleep,
    logger: log,
  });
  for (const req of requests) await queue.enqueue({ id: jobId(req), key: jobKey(req), kind: req.kind, payload: req });
  await queue.onIdle();
  await queue.close();
  return failed ? 1 : 0;
}
