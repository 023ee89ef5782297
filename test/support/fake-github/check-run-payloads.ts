import { repoApi, repoHtml, type GitHubSite, type Json } from "./github-site.js";

/** REST payload of a check run. */

/** A check run, as both fakes keep it. */
export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  externalId: string | null;
  status: string;
  conclusion: string | null;
  output: { title?: string | null; summary?: string | null; text?: string | null } | null;
  /** Every status it went through, in order ("queued", "in_progress", "completed:success"…). */
  history: string[];
}

export interface CheckRunView extends Omit<CheckRunRecord, "history"> {
  startedAt: string | null;
  completedAt: string | null;
}

export function checkRunPayload(site: GitHubSite, c: CheckRunView): Json {
  const api = repoApi(site);
  const html = repoHtml(site);
  return {
    id: c.id,
    node_id: site.nodeId("CR", c.id),
    head_sha: c.headSha,
    external_id: c.externalId,
    url: `${api}/check-runs/${c.id}`,
    html_url: `${html}/runs/${c.id}`,
    details_url: `${html}/runs/${c.id}`,
    status: c.status,
    conclusion: c.conclusion,
    started_at: c.startedAt,
    completed_at: c.completedAt,
    output: { title: c.output?.title ?? null, summary: c.output?.summary ?? null, text: c.output?.text ?? null, annotations_count: 0, annotations_url: `${api}/check-runs/${c.id}/annotations` },
    name: c.name,
    check_suite: { id: 5 },
    app: site.app,
    pull_requests: [],
  };
}
