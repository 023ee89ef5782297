import { formatConfigErrors } from "../config/config-errors.js";
import type { BatonConfig } from "../config/config-schema.js";
import { readRepoConfig } from "../config/read-repo-config.js";
import { loadContextStore, type ContextStore } from "../context-store/load-context-store.js";
import { declareSteps } from "../graph/default-steps.js";
import type { StepDeclaration } from "../graph/step-declaration.js";
import { createGitHubSnapshot, type GitHubSnapshot } from "../snapshot/github-snapshot.js";
import type { StepId } from "../config/config-schema.js";
import type { GitHubClient } from "./github-port.js";
import type { RepoTarget } from "./job-request.js";

/** A configuration problem: the step cannot run until the file is fixed; the message says how. */
export class ConfigProblem extends Error {
  readonly transient = false;
}

export interface OpenRepository {
  snapshot: GitHubSnapshot;
  config: BatonConfig;
  configIdentity: string;
  configNotes: string[];
  store: ContextStore;
  steps: Record<StepId, StepDeclaration>;
}

/** Trusted context at `commit`: the snapshot, the validated config, the context store, the declared steps. */
export async function openRepository(octokit: GitHubClient, target: RepoTarget, commit: string): Promise<OpenRepository> {
  const snapshot = createGitHubSnapshot({ octokit, owner: target.owner, repo: target.repo, commit });
  const repoConfig = await readRepoConfig(snapshot);
  if (!repoConfig.ok) {
    throw new ConfigProblem(`\`${repoConfig.path}\` is not valid, so Baton did not run. Fix these lines on the default branch, then run the step again:\n\n${formatConfigErrors(repoConfig.errors, repoConfig.path, { markdown: true })}`);
  }
  const store = await loadContextStore(snapshot, repoConfig.config);
  return {
    snapshot,
    config: repoConfig.config,
    configIdentity: repoConfig.identity,
    configNotes: repoConfig.notes,
    store,
    steps: declareSteps(repoConfig.config, store.adrFolder || undefined),
  };
}
