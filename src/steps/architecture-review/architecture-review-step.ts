import type { BatonConfig } from "../../config/config-schema.js";
import type { AdrMetadata } from "../../context-store/adr/adr-record.js";
import { inAdrFolder } from "../../context-store/adr/adr-folder.js";
import { indexChange } from "../../context-store/adr/decide-adrs.js";
import { adrFileName, nextAdrNumber } from "../../context-store/adr/adr-numbering.js";
import { readAdrMetadata } from "../../context-store/adr/read-adr-metadata.js";
import { renderAdrBounded } from "../../markdown/bounded-markdown.js";
import type { ResolvedContext } from "../../graph/resolve-context.js";
import type { SpecRef } from "../../graph/step-trigger.js";
import type { ModelClient } from "../../model/model-client.js";
import type { RepoSnapshot } from "../../snapshot/repo-snapshot.js";
import { hiddenMarker, type FileChange, type Intent } from "../../writer/intents.js";
import { neutraliseModelText } from "../../writer/neutralise-model-text.js";
import { escapeMarkdownInline, inlineCode, relativeLink } from "../../util/posted-text.js";
import type { WriteResult } from "../../writer/write-result.js";
import { promptBlocks, slugify, type RepoRef, type StepOutcome } from "../step-types.js";
import { ARCHITECTURE_SYSTEM, architectureInstruction } from "./architecture-prompt.js";
import { architectureAnswerSchema, renderRules, type ArchitectureAnswer } from "./architecture-schema.js";
import { stepTrailers } from "../pull-request-body.js";

export interface ArchitectureReviewInput {
  context: ResolvedContext;
  snapshot: RepoSnapshot;
  repo: RepoRef;
  spec: SpecRef;
  config: BatonConfig;
  today: string;
  manifestMarkdown: string;
  /** ADR numbers promised by other open ADR pull requests: the new ADR takes a number after them. */
  reservedNumbers?: number[];
}

/** Deterministic from the trigger, so a re-run lands on the same branch and file. */
export function adrBranchName(spec: SpecRef): string {
  if (spec.kind === "issue") return `baton/adr/${spec.number}-${slugify(spec.title)}`;
  if (spec.kind === "file") return `baton/adr/spec-${slugify(spec.path.replace(/^.*\//, "").replace(/\.md$/i, ""))}`;
  return `baton/adr/${slugify(spec.label)}`;
}

export function specReference(spec: SpecRef): string | null {
  if (spec.kind === "issue") return `#${spec.number}`;
  if (spec.kind === "file") return spec.path;
  return null;
}

function specTitle(spec: SpecRef): string {
  if (spec.kind === "issue") return spec.title;
  if (spec.kind === "file") return spec.path.replace(/^.*\//, "").replace(/\.md$/i, "").replace(/[-_]+/g, " ");
  return spec.label;
}

/**
 * Architecture review: the model answers with the ADR's fields; Baton writes
 * the file (number and name from the folder's own style), updates any ADR it
 * supersedes and regenerates the index, all as one commit on a deterministic
 * branch, then a PR and (for an issue) a comment linking it.
 */
export async function runArchitectureReviewStep(input: ArchitectureReviewInput, model: ModelClient): Promise<StepOutcome> {
  const { context, spec } = input;
  const result = await model.generateStructured({
    stepId: "architecture-review",
    model: context.step.model,
    system: ARCHITECTURE_SYSTEM,
    context: promptBlocks(context),
    instruction: architectureInstruction(spec.kind === "issue" ? `issue #${spec.number}` : spec.kind === "file" ? spec.path : spec.label),
    schema: architectureAnswerSchema,
    schemaName: "write_adr",
    schemaDescription: "Record the architecture decision for the spec.",
    maxTokens: 8000,
  });
  const built = await buildAdrChanges(input, result.value);
  const branch = adrBranchName(spec);
  const specRef = specReference(spec);
  const adrPath = built.adrPath;
  const intents: Intent[] = [
    { kind: "commit", branch, baseSha: context.manifest.commit, message: `docs(adr): ${built.title}\n\n${stepTrailers("architecture-review", context, { spec: specRef, adr: adrPath })}`, files: built.files },
    {
      kind: "pull-request",
      head: branch,
      base: input.repo.defaultBranch,
      title: `ADR ${built.number}: ${built.title}`,
      body: [
        `Baton proposes ${relativeLink(adrPath, `../blob/${branch}/${adrPath}`)} (status: proposed) for ${spec.kind === "issue" ? `#${spec.number}` : specRef ? inlineCode(specRef) : "the spec"}.`,
        built.superseded.length ? `\nIt supersedes ${built.superseded.map((n) => `ADR ${n}`).join(", ")}: ${built.superseded.length === 1 ? "that ADR is" : "those ADRs are"} marked superseded when this one is accepted, not before.` : "",
        `\nApprove this pull request (or comment \`/baton accept\`) to accept the decision: Baton commits \`status: accepted\` and the date here${spec.kind === "issue" ? ", and pins the issue's text as the spec" : ""}. \`/baton reject\` marks it rejected. Merging then puts it in force; closing without merging changes nothing.`,
        spec.kind === "issue" ? `\nRefs #${spec.number}. Once merged, label the issue ${inlineCode(input.config.triggers.devLabel)} (or comment \`/baton dev\`) to start the dev step.` : "",
        built.notes.length ? `\n**Notes**\n${built.notes.map((n) => `- ${escapeMarkdownInline(n)}`).join("\n")}` : "",
        `\n<details><summary>Context manifest</summary>\n\n${input.manifestMarkdown}\n\n</details>`,
        `\n${stepTrailers("architecture-review", context, { spec: specRef, adr: adrPath })}`,
      ].join("\n"),
    },
  ];
  const followUp =
    spec.kind === "issue"
      ? (results: WriteResult[]): Intent[] => {
          const pr = results.find((r) => r.kind === "pull-request");
          const link = pr && "url" in pr ? pr.url : `branch ${inlineCode(branch)}`;
          return [
            {
              kind: "comment",
              issueNumber: spec.number,
              marker: hiddenMarker("adr-proposed", `issue-${spec.number}`),
              mode: "upsert",
              body: `Baton proposed an ADR for this issue: ${link}\n\n**${escapeMarkdownInline(built.title)}** (${inlineCode(adrPath)}, ADR ${built.number}). Approve it (or comment \`/baton accept\` on it) to accept the decision, then merge it.`,
            },
          ];
        }
      : undefined;
  return {
    intents,
    followUp,
    title: `ADR ${built.number} proposed: ${built.title}`.slice(0, 200),
    summary: `Proposed ${inlineCode(adrPath)} on branch ${inlineCode(branch)}${built.superseded.length ? `, to supersede ${built.superseded.map((n) => `ADR ${n}`).join(", ")} once accepted` : ""}.`,
    conclusion: "success",
    usage: result.usage,
    model: result.model,
  };
}

interface AdrChanges {
  number: number;
  title: string;
  adrPath: string;
  files: FileChange[];
  superseded: number[];
  notes: string[];
}

/** Pure apart from reading the superseded ADRs' text at the pinned commit. */
export async function buildAdrChanges(input: ArchitectureReviewInput, answer: ArchitectureAnswer): Promise<AdrChanges> {
  const { context, spec } = input;
  // ADRs read at the repository root are fine; new ones go to a folder (the step may write only there).
  const folder = context.store.adrFolder || input.config.folders.adr || "docs/adr";
  const adrs = context.store.adrs;
  const notes: string[] = [];
  const reserved = input.reservedNumbers ?? [];
  // Two ADR PRs open at once must not both propose the same number.
  const number = Math.max(nextAdrNumber(adrs.map((a) => a.record)), ...reserved.map((n) => n + 1));
  if (reserved.length) notes.push(`ADR ${reserved.join(", ")} ${reserved.length === 1 ? "is" : "are"} taken by open ADR pull requests: this one is ADR ${number}`);
  // The file name follows the spec, not the model's wording, so a re-run rewrites the same file.
  const file = adrFileName(number, specTitle(spec), adrs.map((a) => a.record.file));
  const adrPath = inAdrFolder(folder, file);
  const known = new Set(context.moduleMap.modules.map((m) => m.name));
  const modules = [...new Set(answer.modules)];
  for (const m of modules) if (!known.has(m)) notes.push(`module "${m}" is not in the module map`);

  const superseded: number[] = [];
  for (const n of [...new Set(answer.supersedes)]) {
    const old = adrs.find((a) => a.record.number === n);
    if (!old) notes.push(`the model named ADR ${n} as superseded, but there is no such ADR: ignored`);
    else if (old.record.status === "superseded") notes.push(`ADR ${n} is already superseded: left as it is`);
    else superseded.push(n);
  }
  const title = neutraliseModelText(answer.title).replace(/\s+/g, " ").trim();
  const guidance: Record<string, string> = {};
  for (const g of answer.guidance) guidance[g.module] = renderRules(g.rules, neutraliseModelText);
  for (const m of modules) guidance[m] ??= "No specific guidance.";
  // The model's text is parsed to render it: in the bounded worker, like any untrusted markdown.
  const rendered = await renderAdrBounded(adrPath, {
    number,
    title,
    status: "proposed",
    date: input.today,
    modules: [...new Set([...modules, ...Object.keys(guidance)])],
    spec: specReference(spec),
    supersedes: superseded,
    supersededBy: [],
    context: neutraliseModelText(answer.context),
    drivers: answer.drivers.map(neutraliseModelText),
    options: answer.options.map((o) => ({
      name: neutraliseModelText(o.name),
      description: o.description ? neutraliseModelText(o.description) : undefined,
      good: o.good.map(neutraliseModelText),
      bad: o.bad.map(neutraliseModelText),
    })),
    decision: neutraliseModelText(answer.decision),
    consequences: answer.consequences.map(neutraliseModelText),
    confirmation: neutraliseModelText(answer.confirmation),
    guidance,
  });
  if (!rendered.ok) throw new Error(`the model's ADR could not be written: ${rendered.reason}`);
  const text = rendered.value;
  // The superseded ADRs are left as they are: the new one only records the intent (`supersedes`),
  // and accepting it marks them superseded in the same commit (run-adr-decision.ts).
  const files: FileChange[] = [{ path: adrPath, content: text }];
  const records: AdrMetadata[] = [...adrs.map((a) => a.record), readAdrMetadata(file, text).metadata];
  const indexPath = inAdrFolder(folder, "README.md");
  const existingIndex = (await input.snapshot.readFiles([indexPath])).get(indexPath)?.text ?? null;
  const index = indexChange(folder, records, existingIndex);
  if (index.change) files.push(index.change);
  if (index.note) notes.push(index.note);
  return { number, title, adrPath, files, superseded, notes };
}
