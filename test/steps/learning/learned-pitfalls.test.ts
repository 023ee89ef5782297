import { describe, expect, it } from "vitest";
import { addLearnedIn, isNearDuplicate, lessonSimilarity } from "../../../src/context-store/pitfalls/merge-pitfalls.js";
import { parsePitfalls } from "../../../src/context-store/pitfalls/parse-pitfalls.js";
import { appendPitfall } from "../../../src/context-store/pitfalls/write-pitfalls.js";
import { planLearnedPitfalls, type Lesson } from "../../../src/steps/learning/learned-pitfalls.js";
import { unknownModulesMessage } from "../../../src/steps/learning/lesson-modules.js";

const lesson = (text: string, pr: number, finding?: string): Lesson => ({ lesson: text, modules: ["api"], source: { pr, url: `https://github.com/o/r/pull/${pr}`, ...(finding ? { finding } : {}) }, origin: finding ? "finding" : "remember" });

describe("near-duplicate lessons", () => {
  it("share most of their words; different lessons do not", () => {
    expect(isNearDuplicate("Clamp the `limit` parameter of every list handler.", "Every list handler must clamp its limit parameter")).toBe(true);
    expect(isNearDuplicate("Clamp the limit parameter of every list handler.", "Escape HTML in every template.")).toBe(false);
    expect(lessonSimilarity("", "x")).toBe(0);
  });

  it("merging adds the source to the entry's Learned in line, once; an entry without one gets one", () => {
    const file = appendPitfall(null, "api", { lesson: "Clamp limits.", source: { pr: 7, url: "https://github.com/o/r/pull/7" }, date: "2026-01-01" }).content;
    const entry = parsePitfalls("api.md", file).entries[0]!;
    const once = addLearnedIn(file, entry, { pr: 9, url: "https://github.com/o/r/pull/9", finding: "abcd1234" });
    expect(once).toContain("**Learned in:** [PR #7](https://github.com/o/r/pull/7), [PR #9](https://github.com/o/r/pull/9), finding `abcd1234`\n");
    expect(addLearnedIn(once, entry, { pr: 9, url: "https://github.com/o/r/pull/9", finding: "abcd1234" })).toBe(once);
    const bare = "# Pitfalls: api\n\n## Clamp limits\n\nClamp them.\n\n## Next\n\nOther.\n";
    expect(addLearnedIn(bare, parsePitfalls("api.md", bare).entries[0]!, { pr: 3 })).toBe("# Pitfalls: api\n\n## Clamp limits\n\nClamp them.\n\n**Learned in:** PR #3\n\n## Next\n\nOther.\n");
  });
});

describe("planLearnedPitfalls", () => {
  it("adds new lessons, merges near-duplicates (also within one batch), skips known ones", () => {
    const existing = appendPitfall(null, "api", { lesson: "Never log request bodies: they hold passwords.", date: "2026-01-01" }).content;
    const [plan] = planLearnedPitfalls({
      folder: "docs/pitfalls",
      files: new Map([["api", existing]]),
      lessons: [
        lesson("Never log request bodies: they hold passwords.", 5), // known
        lesson("Cap every page size at 100 items per request.", 5, "aaaa1111"), // new
        lesson("Cap the page size at 100 items for every request!", 6, "bbbb2222"), // near-duplicate of the new one
      ],
      date: "2026-02-02",
      cap: 30,
    });
    expect(plan!.known.map((k) => k.lesson.source.pr)).toEqual([5]);
    expect(plan!.added.map((a) => a.lesson.source.finding)).toEqual(["aaaa1111"]);
    expect(plan!.merged.map((m) => m.lesson.source.finding)).toEqual(["bbbb2222"]);
    const entries = parsePitfalls(plan!.path, plan!.content).entries;
    expect(entries).toHaveLength(2);
    expect(plan!.content).toContain("**Learned in:** [PR #5](https://github.com/o/r/pull/5), finding `aaaa1111`, [PR #6](https://github.com/o/r/pull/6), finding `bbbb2222`");
  });

  it("past the cap, proposes merging the oldest entries", () => {
    let text: string | null = null;
    for (const word of ["alpha", "bravo", "charlie", "delta"]) text = appendPitfall(text, "api", { lesson: `Lesson ${word} about ${word} things.`, date: `2026-01-0${word.length}` }).content;
    const [plan] = planLearnedPitfalls({ folder: "docs/pitfalls", files: new Map([["api", text]]), lessons: [lesson("A brand new echo lesson.", 9)], date: "2026-02-02", cap: 3 });
    expect(plan!.overCap).toEqual({ count: 5, cap: 3, oldest: [expect.objectContaining({ title: "Lesson alpha about alpha things" }), expect.objectContaining({ title: "Lesson bravo about bravo things" }), expect.objectContaining({ title: "Lesson charlie about charlie things" })] });
  });
});

describe("lesson modules", () => {
  it("an unknown module is refused with the known ones listed; general is always known", () => {
    expect(unknownModulesMessage(["api", "general"], ["api", "web"])).toBeNull();
    expect(unknownModulesMessage(["apj"], ["api", "web"], "plain")).toBe("There is no module apj in the module map. Known modules: api, web, general.");
  });
});
