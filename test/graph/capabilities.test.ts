import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config-schema.js";
import { declareSteps } from "../../src/graph/default-steps.js";
import { assertCapabilities, CapabilityError, capabilityViolations } from "../../src/writer/check-capabilities.js";
import type { Intent } from "../../src/writer/intents.js";

const steps = declareSteps(defaultConfig());
const commit = (path: string): Intent => ({ kind: "commit", branch: "b", baseSha: "a".repeat(40), message: "m", files: [{ path, content: "x" }] });

describe("the declaration is the capability boundary", () => {
  it("lets a review comment and review, never commit", () => {
    expect(capabilityViolations(steps.review, [{ kind: "review", pullNumber: 1, commitId: "a", marker: "m", body: "b", event: "COMMENT", comments: [] }])).toEqual([]);
    expect(() => assertCapabilities(steps.review, [commit("src/a.ts")])).toThrow(CapabilityError);
  });

  it("keeps the architecture review under the ADR folder", () => {
    expect(capabilityViolations(steps["architecture-review"], [commit("docs/adr/0002-x.md")])).toEqual([]);
    expect(capabilityViolations(steps["architecture-review"], [commit("src/index.ts")])[0]).toMatch(/outside what the step may write/);
  });

  it("keeps the dev step out of workflows, ADRs and path tricks", () => {
    expect(capabilityViolations(steps.dev, [commit("src/a.ts")])).toEqual([]);
    expect(capabilityViolations(steps.dev, [commit(".github/workflows/ci.yml")])[0]).toMatch(/may never write here/);
    expect(capabilityViolations(steps.dev, [commit("docs/adr/0001-x.md")])[0]).toMatch(/may never write here/);
    expect(capabilityViolations(steps.dev, [commit("../etc/passwd")])[0]).toMatch(/not a repository-relative path/);
    expect(capabilityViolations(steps.dev, [{ kind: "review", pullNumber: 1, commitId: "a", marker: "m", body: "b", event: "COMMENT", comments: [] }])[0]).toMatch(/does not declare the output "review"/);
  });

  it("names every intent the step did not declare, each with the output it needs", () => {
    const pullRequest: Intent = { kind: "pull-request", head: "h", base: "main", title: "t", body: "b" };
    const comment: Intent = { kind: "comment", issueNumber: 1, marker: "m", body: "b", mode: "upsert" };
    const close: Intent = { kind: "close-pull-request", pullNumber: 3 };
    expect(capabilityViolations(steps.review, [pullRequest, close, comment, commit("src/a.ts")])).toEqual([
      'pull-request: the step does not declare the output "pull-request"',
      'close-pull-request: the step does not declare the output "pull-request"',
      'commit: the step does not declare the output "commit"',
      "src/a.ts: the step may never write here (denied by **)",
    ]);
    expect(capabilityViolations(steps.dev, [pullRequest, close, comment])).toEqual([]);
  });

  it("refuses a path that is allowed but not written in its canonical form, saying which form to use", () => {
    expect(capabilityViolations(steps.dev, [commit("src//a.ts"), commit("./src/b.ts"), commit("src/c.ts")])).toEqual([
      '"src//a.ts": not in canonical form (write it as src/a.ts)',
      '"./src/b.ts": not in canonical form (write it as src/b.ts)',
    ]);
  });

  it("checks every file of every commit, and the error names the step and lists each violation", () => {
    const two: Intent = { kind: "commit", branch: "b", baseSha: "a".repeat(40), message: "m", files: [{ path: "src/ok.ts", content: "x" }, { path: ".github/workflows/x.yml", content: "y" }] };
    expect(() => assertCapabilities(steps.dev, [commit("src/a.ts")])).not.toThrow();
    let error: unknown;
    try {
      assertCapabilities(steps.dev, [two, commit("../x")]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CapabilityError);
    const { stepId, violations, message } = error as CapabilityError;
    expect(stepId).toBe("dev");
    expect(violations).toHaveLength(2);
    expect(violations[0]).toMatch(/^\.github\/workflows\/x\.yml: the step may never write here/);
    expect(violations[1]).toMatch(/^"\.\.\/x": not a repository-relative path/);
    expect(message).toBe(`step dev tried to do what it did not declare:\n- ${violations[0]}\n- ${violations[1]}`);
  });
});
