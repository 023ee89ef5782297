import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { StepId } from "../config/config-schema.js";
import { readRepoConfig } from "../config/read-repo-config.js";
import { formatConfigErrors } from "../config/config-errors.js";
import { declareSteps } from "../graph/default-steps.js";
import { resolveContext, type ResolvedContext } from "../graph/resolve-context.js";
import type { StepTrigger } from "../graph/step-trigger.js";
import { createLocalGitSnapshot, diffBetween, mergeBase, resolveCommit } from "../snapshot/local-git-snapshot.js";
import { runGit } from "../snapshot/git-process.js";
import { adrLinksFromText } from "../steps/pull-request-body.js";
import { parseUnifiedDiff, type DiffFile } from "../steps/review/diff-files.js";
import { readHeadFiles } from "../steps/review/extend-hunks.js";
import { loadContextStore } from "../context-store/load-context-store.js";
import { CliError } from "../cli/cli-io.js";
import { defaultBaseRef } from "./git-branch.js";
import { devRunnerFor, type BatonConfig, type DevRunner } from "../config/config-schema.js";
import type { LocalGitSnapshot } from "../snapshot/local-git-snapshot.js";

export interface LocalContextOptions {
  cwd: string;
  step: StepId;
  /** Review: the base ref (default: the repository's default branch, see defaultBaseRef). */
  base?: string;
  /** A spec file in the repository (path relative to the root). */
  spec?: string;
  /** A file outside the repository holding the spec text (e.g. an issue body). */
  issueText?: string;
  /** ADRs to link, by path or number. */
  adrs?: (string | number)[];
  /** Dev: the runner chosen on the command line, over `dev.runner` (it decides the declared inputs). */
  devRunner?: DevRunner;
}

/**
 * What a step would receive on this checkout. Trusted context comes from git
 * objects at a pinned commit (HEAD, or the merge base for a review), never
 * from the files as they happen to be, so identities match GitHub mode.
 */
export interface LocalContext extends ResolvedContext {
  head: string;
  /** Review: the base as named (or defaulted); null for other steps. */
  baseRef: string | null;
  config: BatonConfig;
  /** Review: the files of `git diff base...HEAD`. */
  diffFiles: DiffFile[];
  /** Review: the new side of the changed files at HEAD (path → text). */
  headFiles: Record<string, string>;
  snapshot: LocalGitSnapshot;
  /** Ends the git cat-file process; call when the step is done. */
  close(): void;
}

export async function resolveLocalContext(opts: LocalContextOptions): Promise<LocalContext> {
  const head = await resolveCommit(opts.cwd, "HEAD").catch(() => {
    throw new CliError("this folder is not a git repository with at least one commit");
  });
  let trusted = head;
  let baseName: string | null = null;
  const trigger: StepTrigger = { linkedAdrs: opts.adrs ?? [] };
  if (opts.step === "review") {
    const baseRef = opts.base ?? defaultBaseRef(opts.cwd);
    if (baseRef === null) throw new CliError("no default branch found (no origin/HEAD, main or master): name the base with --base");
    baseName = baseRef;
    const base = await resolveCommit(opts.cwd, baseRef).catch(() => {
      throw new CliError(`cannot resolve --base ${baseRef}: name a branch or commit (e.g. --base main)`);
    });
    trusted = await mergeBase(opts.cwd, base, head);
    const files = parseUnifiedDiff(await diffBetween(opts.cwd, trusted, head));
    trigger.diff = { base: trusted, head, files };
    const headSnapshot = await createLocalGitSnapshot({ cwd: opts.cwd, commit: head });
    try {
      trigger.diff.headFiles = await readHeadFiles(headSnapshot, files);
    } finally {
      headSnapshot.close();
    }
    trigger.changedPaths = files.map((f) => f.path);
    // Like a PR body on GitHub: the commits under review name their ADR (`Baton-ADR:` trailers, "ADR 12").
    if (!opts.adrs?.length) trigger.linkedAdrs = adrLinksFromText(await runGit(opts.cwd, ["log", "--format=%B", `${trusted}..${head}`]));
  }
  if (opts.spec) trigger.spec = { kind: "file", path: opts.spec.replace(/^\.\//, "") };
  else if (opts.issueText) trigger.spec = { kind: "text", label: opts.issueText, text: readFileSync(resolve(opts.cwd, opts.issueText), "utf8") };

  const snapshot = await createLocalGitSnapshot({ cwd: opts.cwd, commit: trusted });
  try {
    const repoConfig = await readRepoConfig(snapshot);
    if (!repoConfig.ok) throw new CliError(formatConfigErrors(repoConfig.errors, repoConfig.path));
    const store = await loadContextStore(snapshot, repoConfig.config);
    // Local mode has a checkout: the dev step runs as a Claude Code session unless told otherwise.
    const step = declareSteps(repoConfig.config, store.adrFolder || undefined, opts.devRunner ?? devRunnerFor(repoConfig.config, true))[opts.step];
    if ((opts.step === "dev" || opts.step === "review") && !trigger.spec) {
      // The spec of dev and review is the one their ADR answers, when that is a committed file.
      const adr = store.adrs.find((a) => trigger.linkedAdrs?.some((l) => l === a.record.number || l === a.path));
      if (adr?.record.spec && !adr.record.spec.startsWith("#")) trigger.spec = { kind: "file", path: adr.record.spec };
    }
    const resolved = await resolveContext({ step, snapshot, config: repoConfig.config, configIdentity: repoConfig.identity, trigger, store });
    resolved.manifest.notes.push(...repoConfig.notes);
    return { ...resolved, head, baseRef: baseName, config: repoConfig.config, diffFiles: trigger.diff?.files ?? [], headFiles: trigger.diff?.headFiles ?? {}, snapshot, close: () => snapshot.close() };
  } catch (err) {
    snapshot.close();
    throw err;
  }
}
