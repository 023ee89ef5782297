import type { FakeGitHubState } from "./github-state.js";
import { now } from "./github-state.js";
import { checkRunCommitRefusal } from "../../../test/support/fake-github/commit-refusals.js";
import { page, refuse, unprocessable, type Handlers, type Json } from "./http-route.js";
import type { CheckRunRecord } from "./records.js";

/** Check runs: created on a known commit, moved through their statuses (output checked as GitHub does), listed by ref (latest per name by default). */

export function checkRunRoutes(gh: FakeGitHubState): Handlers {
  return {
    listCheckRuns(ctx, [ref]) {
      refuse(checkRunCommitRefusal(gh.git, ref));
      const sha = gh.git.resolve(ref);
      const name = ctx.query.get("check_name");
      const filter = ctx.query.get("filter") ?? "latest";
      let runs = gh.checkRuns.filter((c) => c.headSha === sha && (!name || c.name === name));
      if (filter === "latest") {
        const latest = new Map<string, CheckRunRecord>();
        for (const c of runs) latest.set(c.name, c);
        runs = [...latest.values()];
      }
      runs = [...runs].sort((a, b) => b.id - a.id);
      return [200, { total_count: runs.length, check_runs: page(ctx, runs, (c) => gh.checkRunPayload(c)) }];
    },

    createCheckRun({ body }) {
      if (typeof body.name !== "string" || !body.name) throw unprocessable("Invalid request.", ["name is missing"]);
      const headSha = String(body.head_sha ?? "");
      refuse(checkRunCommitRefusal(gh.git, headSha));
      const c: CheckRunRecord = { id: gh.nextObjectId(), name: body.name, headSha, externalId: null, status: "queued", conclusion: null, startedAt: null, completedAt: null, output: null, history: [] };
      applyCheckRunFields(c, { status: "queued", ...body });
      gh.checkRuns.push(c);
      return [201, gh.checkRunPayload(c)];
    },

    getCheckRun: (_ctx, [id]) => [200, gh.checkRunPayload(gh.checkRunOr404(Number(id)))],

    updateCheckRun({ body }, [id]) {
      const c = gh.checkRunOr404(Number(id));
      applyCheckRunFields(c, body);
      return [200, gh.checkRunPayload(c)];
    },
  };
}

function applyCheckRunFields(c: CheckRunRecord, body: Json): void {
  if (typeof body.name === "string") c.name = body.name;
  if (typeof body.external_id === "string") c.externalId = body.external_id;
  if (typeof body.started_at === "string") c.startedAt = body.started_at;
  if (body.output && typeof body.output === "object") {
    const output = body.output as Json;
    if (typeof output.title !== "string" || typeof output.summary !== "string") throw unprocessable("Invalid request.", ["output requires title and summary"]);
    if (Buffer.byteLength(output.summary) > 65535) throw unprocessable("Invalid request.", ["summary exceeds a maximum bytesize of 65535"]);
    c.output = { title: output.title, summary: output.summary, text: typeof output.text === "string" ? output.text : null };
  }
  if (typeof body.conclusion === "string") {
    c.status = "completed";
    c.conclusion = body.conclusion;
    c.completedAt = typeof body.completed_at === "string" ? body.completed_at : now();
    c.history.push(`completed:${body.conclusion}`);
  } else if (typeof body.status === "string") {
    if (body.status === "completed") throw unprocessable("Invalid request.", ["conclusion is required when status is completed"]);
    c.status = body.status;
    c.conclusion = null;
    c.completedAt = null;
    c.history.push(body.status);
  }
}
