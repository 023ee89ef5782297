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
});
