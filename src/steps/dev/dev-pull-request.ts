import type { Usage } from "../../model/model-client.js";
import { escapeMarkdownInline, inlineCode, relativeLink } from "../../util/posted-text.js";
import { hiddenMarker, type FileChange, type Intent } from "../../writer/intents.js";
import type { WriteResult } from "../../writer/write-result.js";
import { stepTrailers } from "../pull-request-body.js";
import { slugify, type StepOutcome } from "../step-types.js";
import type { DevInput, DevWork } from "./dev-step.js";
import { ciNotice } from "./dev-push-target.js";

/**
 * What both dev runners produce from their work: one commit on the dev
 * branch, a pull request that closes the issue, cites the ADR and carries
 * the manifest, and a comment on the issue linking it. A PR that should not
 * be merged as it is (stopped early, tests failing or not run, changes
 * refused) is opened as a draft that says why.
 */
export interface DevResult {
  files: FileChange[];
  /** The runner's account of the work, already neutralised model text. */
  summary: string;
  /** Why the PR is a draft; empty: ready for review. */
  draftReasons: string[];
  /** Markdown appended to the PR body (the session's account). */
  account?: string;
  usage: Usage;
  model: string;
}

export type DevOutcome = StepOutcome & { changedPaths: string[]; finished: boolean };

export function devBranchName(work: DevWork): string {
  return work.kind === "issue" ? `baton/dev/${work.number}-${slugify(work.title)}` : `baton/dev/${slugify(work.title)}`;
}

export function devOutcome(input: DevInput, result: DevResult): DevOutcome {
  const { context } = input;
  const { files, usage, model } = result;
  const changedPaths = files.map((f) => f.path);
  const finished = result.draftReasons.length === 0;
  const issueNumber = input.work.kind === "issue" ? input.work.number : null;
  const why = result.draftReasons.map((r) => `> - ${r}`).join("\n");
  if (files.length === 0) {
    const intents: Intent[] = issueNumber
      ? [{ kind: "comment", issueNumber, marker: hiddenMarker("dev-result", `issue-${issueNumber}`), mode: "upsert", body: [`The dev step made no changes.`, "", quote(result.summary), why ? `\n${why}` : "", result.account ? `\n${result.account}` : ""].join("\n") }]
      : [];
    return { intents, title: "No changes", summary: [result.summary, result.account ?? ""].join("\n\n"), conclusion: "neutral", usage, model, changedPaths, finished };
  }
  const branch = devBranchName(input.work);
  const specRef = issueNumber ? `#${issueNumber}` : (input.adr.record.spec ?? null);
  const trailers = stepTrailers("dev", context, { spec: specRef, adr: input.adr.path, issue: issueNumber });
  const title = input.work.title.replace(/\s+/g, " ").trim().slice(0, 120);
  // With dev.fork, the commit goes to the fork and the pull request comes from it (see dev-push-target.ts).
  const fork = input.pushTarget?.kind === "fork" ? input.pushTarget : null;
  const intents: Intent[] = [
    { kind: "commit", ...(fork ? { repository: fork.repository } : {}), branch, baseSha: context.manifest.commit, message: `${title}\n\n${issueNumber ? `Closes #${issueNumber}\n\n` : ""}${trailers}`, files },
    {
      kind: "pull-request",
      head: fork ? `${fork.owner}:${branch}` : branch,
      base: input.repo.defaultBranch,
      title,
      draft: !finished,
      body: [
        issueNumber ? `Closes #${issueNumber}` : "",
        `Implements ${issueNumber ? `#${issueNumber}` : specRef ? inlineCode(specRef) : "the spec"} under ${relativeLink(input.adr.path, `../blob/${input.repo.defaultBranch}/${input.adr.path}`)} (ADR ${input.adr.record.number ?? "?"}: ${escapeMarkdownInline(input.adr.record.title)}).`,
        "",
        result.summary,
        finished ? "" : `\n> [!WARNING]\n> This PR is a draft:\n${why}`,
        "",
        ...(input.pushTarget ? [ciNotice(input.pushTarget, `${input.repo.owner}/${input.repo.repo}`), ""] : []),
        `**Files changed:** ${changedPaths.map((p) => inlineCode(p)).join(", ")}`,
        result.account ? `\n${result.account}` : "",
        "",
        `<details><summary>Context manifest</summary>\n\n${input.manifestMarkdown}\n\n</details>`,
        "",
        trailers,
      ].join("\n"),
    },
  ];
  const followUp = issueNumber
    ? (results: WriteResult[]): Intent[] => {
        const pr = results.find((r) => r.kind === "pull-request");
        return [{ kind: "comment", issueNumber, marker: hiddenMarker("dev-result", `issue-${issueNumber}`), mode: "upsert", body: `Baton opened ${pr && "url" in pr ? pr.url : `branch ${inlineCode(branch)}`} for this issue, under ${inlineCode(input.adr.path)}.` }];
      }
    : undefined;
  return {
    intents,
    followUp,
    title: `${changedPaths.length} ${changedPaths.length === 1 ? "file" : "files"} changed${finished ? "" : ` (draft: ${result.draftReasons[0]!.split(":")[0]})`}`,
    summary: [result.summary, finished ? "" : `Draft:\n${result.draftReasons.map((r) => `- ${r}`).join("\n")}`, `Branch ${inlineCode(branch)}${fork ? ` of the fork ${inlineCode(fork.repository)}` : ""}: ${changedPaths.map((p) => inlineCode(p)).join(", ")}`, result.account ?? ""].filter(Boolean).join("\n\n"),
    conclusion: finished ? "success" : "neutral",
    usage,
    model,
    changedPaths,
    finished,
  };
}

function quote(text: string): string {
  return `> ${text.replace(/\n/g, "\n> ")}`;
}
