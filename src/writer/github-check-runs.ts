import { ownedBy, type BotIdentity } from "./bot-identity.js";
import { findInPages, githubRequest, truncateMarkdown, type OctokitLike } from "./github-request.js";
import { outgoingBody, outgoingPlain, splitHeader } from "./outgoing-text.js";

/**
 * The check run is how a job reports: queued when the webhook is
 * acknowledged, in progress while the model works, completed with the
 * manifest. Its `external_id` carries the job, so a redelivered event finds
 * the same check run (no second one) and GitHub's "Re-run" button
 * (`check_run.rerequested`, sent without any `actions` configured) can be
 * turned back into the job.
 */

export type CheckRunConclusion = "success" | "failure" | "neutral" | "action_required" | "cancelled";

export interface CheckRunStart {
  /** Shown on the PR; build it with `checkRunName(stepId)`. */
  name: string;
  headSha: string;
  /** The job, encoded by the caller (GitHub stores it verbatim); see src/runner/check-run-id.ts. */
  externalId: string;
  detailsUrl?: string;
}

export interface CheckRunCompletion {
  conclusion: CheckRunConclusion;
  title: string;
  /** Markdown; cut to GitHub's 65535-byte limit with a note when longer. */
  summary: string;
  text?: string;
  /** GitHub expects one with "action_required": where the user acts. */
  detailsUrl?: string;
}

export interface CheckRunReporter {
  /** The id of the check run for this job on this commit, if one exists (redelivery). */
  findExisting(headSha: string, name: string, externalId: string): Promise<number | undefined>;
  /** The same lookup, with the run's state and summary (to tell a finished job from a new one). */
  findRun(headSha: string, name: string, externalId: string): Promise<ExistingCheckRun | undefined>;
  /** Creates the check run as "queued"; returns its id. */
  queued(start: CheckRunStart): Promise<number>;
  /** Finds the job's check run or creates it, and marks it "in_progress"; returns its id. */
  start(start: CheckRunStart): Promise<number>;
  inProgress(id: number, progress?: { title: string; summary: string }): Promise<void>;
  complete(id: number, completion: CheckRunCompletion): Promise<void>;
}

interface CheckRunPayload {
  id: number;
  name: string;
  head_sha: string;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  output?: { summary?: string | null } | null;
  app?: { slug?: string | null } | null;
}

export interface ExistingCheckRun {
  id: number;
  status: string;
  conclusion: string | null;
  summary: string;
}

/** GitHub's limit on output.summary and output.text, in UTF-8 bytes (github/docs#35252). */
export const CHECK_RUN_TEXT_LIMIT_BYTES = 65_535;
/** output.title has no documented limit, but it is one line in the UI. */
const TITLE_LIMIT = 255;

/** "Baton: review": one check run name per step, the same on every commit. */
export function checkRunName(stepId: string): string {
  return `Baton: ${stepId}`;
}

/** The step a check run name stands for, or undefined when the check run is not Baton's. */
export function stepOfCheckRunName(name: string): string | undefined {
  return name.startsWith("Baton: ") ? name.slice("Baton: ".length) : undefined;
}

function oneLine(text: string): string {
  const line = outgoingPlain(text).replace(/\s+/g, " ").trim();
  return line.length > TITLE_LIMIT ? `${line.slice(0, TITLE_LIMIT - 1)}…` : line;
}

/**
 * A summary or text ready for a check run: secrets redacted, hidden markers
 * only at the top, cut to GitHub's limit below them (the markers survive).
 */
function outgoingSummary(text: string): string {
  const { markers, rest } = splitHeader(outgoingBody(text));
  const header = markers.length ? `${markers.join("\n")}\n` : "";
  return `${header}${truncateMarkdown(rest, CHECK_RUN_TEXT_LIMIT_BYTES - Buffer.byteLength(header, "utf8"))}`;
}

/** `bot`: only check runs of Baton's own app are found again (another app could name one "Baton: review"). */
export function createCheckRunReporter(options: { octokit: OctokitLike; owner: string; repo: string; bot: BotIdentity }): CheckRunReporter {
  const { octokit, owner, repo, bot } = options;

  async function findRun(headSha: string, name: string, externalId: string): Promise<ExistingCheckRun | undefined> {
    const run = await lookup(headSha, name, externalId);
    return run ? { id: run.id, status: run.status, conclusion: run.conclusion, summary: run.output?.summary ?? "" } : undefined;
  }

  async function findExisting(headSha: string, name: string, externalId: string): Promise<number | undefined> {
    return (await lookup(headSha, name, externalId))?.id;
  }

  async function lookup(headSha: string, name: string, externalId: string): Promise<CheckRunPayload | undefined> {
    // filter=all: a check run that was re-requested is no longer the "latest" and would otherwise be hidden.
    const run = await findInPages<CheckRunPayload>(
      octokit,
      "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
      { owner, repo, ref: headSha, check_name: name, filter: "all" },
      (data) => {
        const runs = (data as { check_runs?: unknown } | null)?.check_runs;
        return Array.isArray(runs) ? (runs as CheckRunPayload[]) : [];
      },
      (r) => r.external_id === externalId && r.name === name && ownedBy(bot, r),
    );
    return run;
  }

  async function create(start: CheckRunStart, status: "queued" | "in_progress"): Promise<number> {
    const { data } = await githubRequest<CheckRunPayload>(octokit, "POST /repos/{owner}/{repo}/check-runs", {
      owner,
      repo,
      name: start.name,
      head_sha: start.headSha,
      external_id: start.externalId,
      status,
      ...(status === "in_progress" ? { started_at: new Date().toISOString() } : {}),
      ...(start.detailsUrl ? { details_url: start.detailsUrl } : {}),
    });
    return data.id;
  }

  async function inProgress(id: number, progress?: { title: string; summary: string }): Promise<void> {
    await githubRequest(octokit, "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner,
      repo,
      check_run_id: id,
      status: "in_progress",
      started_at: new Date().toISOString(),
      ...(progress ? { output: { title: oneLine(progress.title), summary: outgoingSummary(progress.summary) } } : {}),
    });
  }

  return {
    findExisting,
    findRun,
    queued: (start) => create(start, "queued"),
    async start(start) {
      const existing = await findExisting(start.headSha, start.name, start.externalId);
      if (existing === undefined) return create(start, "in_progress");
      await inProgress(existing);
      return existing;
    },
    inProgress,
    async complete(id, completion) {
      const output: Record<string, string> = {
        title: oneLine(completion.title),
        summary: outgoingSummary(completion.summary),
      };
      if (completion.text) output.text = outgoingSummary(completion.text);
      // Setting a conclusion makes GitHub mark the run completed; status and completed_at say so explicitly.
      await githubRequest(octokit, "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner,
        repo,
        check_run_id: id,
        status: "completed",
        conclusion: completion.conclusion,
        completed_at: new Date().toISOString(),
        output,
        ...(completion.detailsUrl ? { details_url: completion.detailsUrl } : {}),
      });
    },
  };
}
