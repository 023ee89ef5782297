/**
 * The default of `dev.protectedPaths`: files the dev step may not write
 * because something runs or obeys them without a person reading the change
 * first. Model code in the rest of the repository still runs in CI (tests
 * are code); these are the files that decide *what* runs, with which
 * secrets and permissions, and who must review. A repository narrows the
 * list by setting `dev.protectedPaths`; `dev.denyPaths` adds to it. The ADR
 * folder, `.adr-dir` and `.github/baton.yml` are denied to dev whatever the
 * configuration says (`devAlwaysDenied`), and `.git` to every step.
 */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = [
  // GitHub: workflows and local actions run with the repository's secrets; dependabot,
  // CODEOWNERS, templates and funding files govern the repository.
  ".github/**",
  // Other CI systems.
  ".gitlab-ci.yml",
  ".gitlab/**",
  ".circleci/**",
  "**/Jenkinsfile",
  "azure-pipelines.yml",
  "azure-pipelines.yaml",
  ".azure-pipelines/**",
  ".azuredevops/**",
  ".buildkite/**",
  ".travis.yml",
  "bitbucket-pipelines.yml",
  ".drone.yml",
  ".woodpecker.yml",
  ".woodpecker/**",
  "appveyor.yml",
  ".appveyor.yml",
  ".cirrus.yml",
  ".semaphore/**",
  ".tekton/**",
  "cloudbuild.yaml",
  "cloudbuild.yml",
  "buildspec.yml",
  // Review rules outside .github.
  "CODEOWNERS",
  "docs/CODEOWNERS",
  // Git plumbing a checkout obeys: submodule URLs, filters and merge drivers.
  ".gitmodules",
  "**/.gitattributes",
  // Hooks and environments that run on a developer's machine by themselves.
  ".husky/**",
  ".githooks/**",
  ".lefthook.yml",
  "lefthook.yml",
  ".lefthook/**",
  ".pre-commit-config.yaml",
  ".envrc",
  ".devcontainer/**",
  ".vscode/tasks.json",
];
