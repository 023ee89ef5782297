import { describe, expect, it } from "vitest";
import { parseAdr } from "../../../src/context-store/adr/parse-adr.js";
import { renderAdr, type AdrDraft } from "../../../src/context-store/adr/write-adr.js";
import { architectureAnswerSchema, renderRules } from "../../../src/steps/architecture-review/architecture-schema.js";

const rules = [
  { level: "MUST" as const, rule: "clamp `limit` to 50 before querying", check: "every handler reading `limit` passes it through clampLimit()" },
  { level: "MUST NOT" as const, rule: "build SQL by string concatenation", check: "queries use the db.sql tagged template" },
];

const draft: AdrDraft = {
  number: 7,
  title: "Search users with a bounded endpoint",
  status: "proposed",
  date: "2026-11-25",
  modules: ["api"],
  spec: "#12",
  supersedes: [],
  supersededBy: [],
  context: "Issue #12 asks for `GET /users?query=` returning at most 50 users.",
  drivers: ["At most 50 users per answer", "Errors follow ADR 1"],
  options: [
    { name: "Bounded endpoint", description: "A handler in src/api.", good: ["results are bounded"], bad: ["needs an index"] },
    { name: "Client-side filtering [v2]", good: ["no new endpoint"], bad: ["clients download every user", "slow on mobile"] },
  ],
  decision: "Chosen option: the bounded endpoint, because it meets both drivers.",
  consequences: ["Good, because results are bounded.", "Bad, because it needs an index."],
  confirmation: "The review step applies the api rules to every change of src/api; a test asks for 1000 users and gets 50.",
  guidance: { api: renderRules(rules) },
};

describe("the ADR the architecture step writes (full MADR)", () => {
  it("asks the model for drivers, two options or more with pros and cons, a confirmation and rule-form guidance", () => {
    const shape = architectureAnswerSchema.shape;
    expect(Object.keys(shape)).toEqual(["title", "context", "drivers", "options", "decision", "consequences", "confirmation", "modules", "guidance", "supersedes"]);
    const answer = { title: "t t t", context: "c", drivers: ["d d d"], decision: "x", consequences: ["Good, because y"], confirmation: "checked by the review", modules: ["api"], supersedes: [], guidance: [{ module: "api", rules }] };
    const option = { name: "A", good: ["fast"], bad: ["new service"] };
    expect(architectureAnswerSchema.safeParse({ ...answer, options: [option] }).success).toBe(false);
    expect(architectureAnswerSchema.safeParse({ ...answer, options: [option, { name: "B", good: ["simple"], bad: [] }] }).success).toBe(false);
    expect(architectureAnswerSchema.safeParse({ ...answer, options: [option, { ...option, name: "B" }] }).success).toBe(true);
    expect(architectureAnswerSchema.safeParse({ ...answer, options: [option, { ...option, name: "B" }], guidance: [{ module: "api", rules: [] }] }).success).toBe(false);
  });

  it("writes every MADR section, with module guidance as MUST / MUST NOT rules and their checks", () => {
    const text = renderAdr(draft);
    expect(text).toContain("## Decision Drivers\n\n* At most 50 users per answer\n* Errors follow ADR 1");
    expect(text).toContain("## Considered Options\n\n* Bounded endpoint: A handler in src/api.\n* Client-side filtering [v2]");
    expect(text).toContain("## Decision Outcome\n\nChosen option: the bounded endpoint, because it meets both drivers.\n\n### Confirmation\n\nThe review step applies");
    expect(text).toContain("### Bounded endpoint\n\n* Good, because results are bounded\n* Bad, because needs an index");
    expect(text).toContain("* Bad, because clients download every user\n* Bad, because slow on mobile");
    expect(text).toContain("## Module guidance\n\n### api\n\n- **MUST** clamp `limit` to 50 before querying. _Check:_ every handler reading `limit` passes it through clampLimit()\n- **MUST NOT** build SQL by string concatenation. _Check:_ queries use the db.sql tagged template");
  });

  it("is read back unchanged by Baton's own reader: front matter, title, guidance rules, and every section", () => {
    const text = renderAdr(draft);
    const read = parseAdr("0007-search-users.md", text);
    expect(read).toMatchObject({ number: 7, title: draft.title, status: "proposed", date: "2026-11-25", modules: ["api"], spec: "#12", supersedes: [], supersededBy: [] });
    expect(read.guidance).toEqual({ api: renderRules(rules) });
    expect(read.warnings).toEqual([]);
    const headings = read.sections.map((s) => `${"#".repeat(s.depth)} ${s.heading}`);
    expect(headings).toEqual([
      "## Context and Problem Statement",
      "## Decision Drivers",
      "## Considered Options",
      "## Decision Outcome",
      "### Confirmation",
      "## Consequences",
      "## Pros and Cons of the Options",
      "### Bounded endpoint",
      "### Client-side filtering [v2]",
      "## Module guidance",
      "### api",
    ]);
    const body = (h: string) => read.sections.find((s) => s.heading === h)!.body;
    expect(body("Confirmation")).toBe(draft.confirmation);
    expect(body("Decision Drivers")).toBe("* At most 50 users per answer\n* Errors follow ADR 1");
    // Writing what was read gives the same file: nothing lost on the way.
    expect(renderAdr({ ...draft, title: read.title, guidance: read.guidance, modules: read.modules })).toBe(text);
  });
});
