import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load-config.js";
import { defaultConfig } from "../../src/config/config-schema.js";
import { declareSteps } from "../../src/graph/default-steps.js";
import { capabilityViolations } from "../../src/writer/check-capabilities.js";
import type { Intent } from "../../src/writer/intents.js";

/**
 * Issue 7, item 7: model code runs in CI with secrets. Besides workflows,
 * dev may not write what CI, git or developer tools run or obey, unless the
 * repository narrows `dev.protectedPaths`; the ADR folder and Baton's own
 * configuration stay denied whatever it says.
 */
const commit = (path: string): Intent => ({ kind: "commit", branch: "b", baseSha: "a".repeat(40), message: "m", files: [{ path, content: "x" }] });
const devWith = (yaml: string | null) => {
  const parsed = parseConfig(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return declareSteps(parsed.config).dev;
};

describe("what dev may never write by default", () => {
  const dev = declareSteps(defaultConfig()).dev;

  it.each([
    ".github/workflows/ci.yml",
    ".github/actions/setup/action.yml",
    ".github/dependabot.yml",
    ".github/CODEOWNERS",
    ".gitlab-ci.yml",
    ".circleci/config.yml",
    "Jenkinsfile",
    "ci/Jenkinsfile",
    "azure-pipelines.yml",
    ".buildkite/pipeline.yml",
    ".travis.yml",
    "CODEOWNERS",
    ".gitmodules",
    ".gitattributes",
    "vendor/.gitattributes",
    ".husky/pre-commit",
    ".pre-commit-config.yaml",
    ".envrc",
    ".devcontainer/devcontainer.json",
    ".vscode/tasks.json",
  ])("refuses %s", (path) => {
    expect(capabilityViolations(dev, [commit(path)])).toEqual([expect.stringMatching(/the step may never write here \(denied by /)]);
  });

  it("still writes source, tests and docs", () => {
    expect(capabilityViolations(dev, [commit("src/ci.ts"), commit("test/github.test.ts"), commit("docs/ci.md"), commit(".gitignore")])).toEqual([]);
  });

  it("a repository may narrow the protected list; dev.denyPaths adds to it", () => {
    const narrowed = devWith('dev:\n  protectedPaths: [".github/workflows/**"]\n  denyPaths: ["infra/**"]\n');
    expect(capabilityViolations(narrowed, [commit(".github/dependabot.yml"), commit(".gitlab-ci.yml")])).toEqual([]);
    expect(capabilityViolations(narrowed, [commit(".github/workflows/ci.yml")])).toHaveLength(1);
    expect(capabilityViolations(narrowed, [commit("infra/main.tf")])).toEqual(["infra/main.tf: the step may never write here (denied by infra/**)"]);
  });

  it("an empty protected list still leaves the ADR folder, .adr-dir and Baton's configuration denied", () => {
    const open = devWith("dev:\n  protectedPaths: []\n");
    expect(capabilityViolations(open, [commit(".github/workflows/ci.yml")])).toEqual([]);
    for (const path of ["docs/adr/0001-x.md", ".adr-dir", ".github/baton.yml", ".github/baton.yaml"]) {
      expect(capabilityViolations(open, [commit(path)])).toEqual([expect.stringContaining("always denied")]);
    }
  });
});
