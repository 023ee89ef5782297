import { commentOnlyStep, pinnedSpecsFolder } from "../graph/default-steps.js";
import { adrLinksFromText } from "../steps/pull-request-body.js";
import { parseReviewState, SUMMARY_MARKER } from "../steps/review/review-state.js";
import { buildTrace, parseTraceQuery, type TraceChange, type TraceQuery } from "../trace/build-trace.js";
import { renderTrace } from "../trace/render-trace.js";
import type { PitfallFile } from "../context-store/pitfalls/pitfall-entry.js";
import { parsePitfallsBounded } from "../markdown/bounded-markdown.js";
import { knowledgeSources } from "../trace/trace-sources.js";
import { inlineCode } from "../util/posted-text.js";
import { createGitHubWriter } from "../writer/github-writer.js";
import { hiddenMarker } from "../writer/intents.js";
import { closingIssueNumbers, findCommentByMarker, getDefaultBranchHead, getIssue, getPullRequest } from "./github-port.js";
import type { JobRequest } from "./job-request.js";
import { openRepository } from "./open-repository.js";
import type { RunnerDeps } from "./run-job.js";

type TraceRequest = Extract<JobRequest, { kind: "trace" }>;

/** Pull requests read for links, most recently updated first (three pages). */
const MAX_PULLS = 300;
/** Summary comments read for open findings: the chain's pull requests, this many at most. */
const MAX_FINDINGS_READS = 20;

/**
 * `/baton trace`: the chain from a spec to what was built and learned,
 * posted as a comment, from the default branch (ADRs, pitfalls, pinned
 * specs) and the GitHub API (pull requests, Baton's summary comments).
 */
export async function runTrace(req: TraceRequest, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  const say = (body: string) =>
    createGitHubWriter({ octokit: deps.octokit, owner, repo, bot: deps.bot, log: deps.log }).apply(commentOnlyStep("review", "Baton's trace of a spec"), [
      { kind: "comment", issueNumber: req.number, marker: hiddenMarker("trace", req.cause), mode: "once", body },
    ]);
  const query = req.query ? parseTraceQuery(req.query) : await defaultQuery(deps, req);
  if (!query) {
    await say(req.query ? `${inlineCode(req.query)} is not a spec file, an issue (\`#12\`) or an ADR number (\`12\`). Usage: \`/baton trace [#issue | ADR | spec file]\`.` : "This pull request names no ADR and closes no issue: say what to trace, as in `/baton trace #12` or `/baton trace 7`.");
    return;
  }

  const main = await getDefaultBranchHead(deps.octokit, owner, repo);
  const state = await openRepository(deps.octokit, req.target, main.sha);
  const pitfallPaths = [...state.store.pitfallPaths.values()].map((p) => p.path);
  const texts = await state.snapshot.readFiles(pitfallPaths);
  const pinnedFolder = `${pinnedSpecsFolder(state.config)}/`;
  const notes: string[] = [];
  const pitfallFiles: PitfallFile[] = [];
  for (const path of pitfallPaths) {
    const parsed = await parsePitfallsBounded(path, texts.get(path)?.text ?? "");
    if (parsed.ok) pitfallFiles.push(parsed.value);
    else notes.push(parsed.reason);
  }
  const knowledge = knowledgeSources({
    adrs: state.store.adrs,
    pitfallFiles,
    pinnedPaths: (await state.snapshot.listFiles()).map((f) => f.path).filter((p) => p.startsWith(pinnedFolder)),
  });
  const changes = await recentPullRequests(deps, owner, repo);
  const issueTitles = new Map<number, string>();
  const specIssue = query.kind === "issue" ? query.number : null;
  if (specIssue !== null) issueTitles.set(specIssue, (await getIssue(deps.octokit, owner, repo, specIssue).catch(() => null))?.title ?? "");

  const trace = buildTrace({ ...knowledge, changes, issueTitles }, query);
  trace.notes.push(...notes);
  // Open findings of the chain's pull requests, from each one's review state.
  for (const c of trace.changes.filter((x) => x.number !== undefined).slice(0, MAX_FINDINGS_READS)) {
    const summary = await findCommentByMarker(deps.octokit, owner, repo, c.number!, SUMMARY_MARKER, deps.bot);
    c.openFindings = (parseReviewState(summary ?? "")?.findings ?? []).filter((f) => f.status === "open").map((f) => ({ id: f.id, title: f.title, severity: f.severity, path: f.path }));
  }
  if (trace.spec && specIssue !== null && !issueTitles.get(specIssue)) trace.notes.push(`issue ${trace.spec.key} was not found`);
  const blob = (path: string) => `${main.htmlUrl}/blob/${main.sha}/${path.split("/").map(encodeURIComponent).join("/")}`;
  await say(renderTrace(trace, { file: blob, issue: (n) => `${main.htmlUrl}/issues/${n}` }));
}

/** Without a ref: the issue commented on, or the ADR (else the issue) a pull request names. */
async function defaultQuery(deps: RunnerDeps, req: TraceRequest): Promise<TraceQuery | null> {
  if (!req.isPullRequest) return { kind: "issue", number: req.number };
  const pr = await getPullRequest(deps.octokit, req.target.owner, req.target.repo, req.number);
  const adr = adrLinksFromText(pr.body).find((l): l is number => typeof l === "number");
  if (adr !== undefined) return { kind: "adr", number: adr };
  const issue = closingIssueNumbers(pr.body)[0];
  return issue === undefined ? null : { kind: "issue", number: issue };
}

async function recentPullRequests(deps: RunnerDeps, owner: string, repo: string): Promise<TraceChange[]> {
  const out: TraceChange[] = [];
  for await (const page of deps.octokit.paginate.iterator(deps.octokit.rest.pulls.list, { owner, repo, state: "all", sort: "updated", direction: "desc", per_page: 100 })) {
    for (const p of page.data) {
      out.push({ ref: `#${p.number}`, number: p.number, title: p.title, state: p.merged_at ? "merged" : p.state === "open" ? "open" : "closed", url: p.html_url, text: p.body ?? "", headRef: p.head.ref });
    }
    if (out.length >= MAX_PULLS) break;
  }
  return out;
}
