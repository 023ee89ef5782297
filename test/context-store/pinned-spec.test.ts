import { describe, expect, it } from "vitest";
import { parsePinnedSpec, renderPinnedSpec, specDrift, specTextHash } from "../../src/context-store/specs/pinned-spec.js";

const spec = { issue: 7, title: 'yes: "quoted" # not a comment', body: "Line one\r\nLine two\r\n\r\n```\ncode\n```", updatedAt: "2026-01-02T03:04:05Z", url: "https://github.com/o/r/issues/7", adr: "docs/adr/0003-x.md", accepted: "2026-01-03" };

describe("pinned specs", () => {
  it("round-trip: the body byte for byte (CRLF kept), a title YAML would misread, and the text's hash", () => {
    const text = renderPinnedSpec(spec);
    expect(text.endsWith(spec.body)).toBe(true);
    expect(parsePinnedSpec(text)).toEqual({ ...spec, sha256: specTextHash(spec.title, spec.body) });
  });

  it("is not fooled by files that are not pinned specs", () => {
    expect(parsePinnedSpec("# A spec\n\nNo front matter.")).toBeNull();
    expect(parsePinnedSpec("---\ntitle: x\n---\nbody")).toBeNull();
    expect(parsePinnedSpec("---\n: [unclosed\n---\nbody")).toBeNull();
  });

  it("drift: none when only the updated_at moved; a unified diff of what the model would read when the text changed", () => {
    const pinned = parsePinnedSpec(renderPinnedSpec(spec))!;
    expect(specDrift(pinned, { title: spec.title, body: spec.body, updatedAt: "2026-02-01T00:00:00Z" })).toBeNull();
    const drift = specDrift(pinned, { title: spec.title, body: "Line one\r\nLine 2\r\n\r\n```\ncode\n```", updatedAt: "2026-02-01T00:00:00Z" })!;
    expect(drift.patch).toContain("-Line two\n+Line 2");
    expect(drift).toMatchObject({ pinnedUpdatedAt: "2026-01-02T03:04:05Z", nowUpdatedAt: "2026-02-01T00:00:00Z" });
  });

  it("an edit of hidden text only is still a drift, said as such, and carries no HTML comment into the posted diff", () => {
    const pinned = parsePinnedSpec(renderPinnedSpec({ ...spec, body: "Do X." }))!;
    const drift = specDrift(pinned, { title: spec.title, body: "Do X.<!-- baton:review-state {} -->\u200b", updatedAt: "x" })!;
    expect(drift.patch).toBe("(only hidden text changed: HTML comments or invisible characters)");
    const visible = specDrift(pinned, { title: spec.title, body: "Do Y. <!-- baton:review-summary pr -->", updatedAt: "x" })!;
    expect(visible.patch).toContain("+Do Y.");
    expect(visible.patch).not.toContain("<!--");
  });

  it("a rewrite too large to show is summed up instead of diffed", () => {
    const lines = (prefix: string) => Array.from({ length: 3000 }, (_, i) => `${prefix} ${i}`).join("\n");
    const pinned = parsePinnedSpec(renderPinnedSpec({ ...spec, body: lines("old") }))!;
    expect(specDrift(pinned, { title: spec.title, body: lines("new"), updatedAt: "x" })!.patch).toBeNull();
  });
});
