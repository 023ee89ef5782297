import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { carryPitfallEntries, type PitfallFileSides } from "../../src/context-store/pitfalls/carry-pitfall-entries.js";
import { parsePitfalls } from "../../src/context-store/pitfalls/parse-pitfalls.js";
import { appendPitfall } from "../../src/context-store/pitfalls/write-pitfalls.js";
import { carryPitfallEntriesBounded, closeMarkdownPool, MARKDOWN_LIMITS } from "../../src/markdown/bounded-markdown.js";
import { planLearnedPitfalls, type Lesson } from "../../src/steps/learning/learned-pitfalls.js";
import { assertProperty } from "../support/property.js";

/**
 * Two learning pull requests branched from the same default branch; the
 * first merged. The second's entries are carried onto the default branch's
 * text, as the push job does before they conflict.
 */

const PATH = "docs/pitfalls/api.md";
const BASE = appendPitfall(null, "api", { lesson: "Handlers that accept `limit` must clamp it to 100.", source: { pr: 7, url: "https://github.com/o/r/pull/7" }, date: "2026-10-02" }).content;

const lesson = (text: string, pr: number, finding: string): Lesson => ({ lesson: text, modules: ["api"], source: { pr, url: `https://github.com/o/r/pull/${pr}`, finding }, origin: "finding" });

/** The file a learning pull request proposes: `planLearnedPitfalls` on the text it branched from. */
function learned(from: string | null, lessons: Lesson[], date = "2026-11-20"): string {
  const [plan] = planLearnedPitfalls({ folder: "docs/pitfalls", files: new Map([["api", from]]), lessons, date, cap: 30 });
  return plan!.content;
}

const carry = (sides: Omit<PitfallFileSides, "path">) => carryPitfallEntries([{ path: PATH, ...sides }])[0]!;
const titles = (text: string | null) => parsePitfalls(PATH, text ?? "").entries.map((e) => e.title);

const SHARED = "Every search endpoint must cap the page size it accepts.";
const FIRST = learned(BASE, [lesson("Never log request bodies: they hold passwords.", 30, "aaaa0001"), lesson(SHARED, 30, "aaaa0002")]);
const SECOND = learned(BASE, [lesson(SHARED, 31, "bbbb0001"), lesson("Retries of POST requests need an idempotency key.", 31, "bbbb0002")], "2026-11-21");

describe("carrying a learning pull request's entries onto the default branch", () => {
  it("appends the entries the default branch does not hold after its own, keeping its text byte for byte; a lesson it holds is dropped, citing where it was learned", () => {
    const out = carry({ base: BASE, head: SECOND, main: FIRST });
    expect(out.content!.startsWith(FIRST.trimEnd())).toBe(true);
    expect(titles(out.content)).toEqual(["Handlers that accept limit must clamp it to 100", "Never log request bodies: they hold passwords", "Every search endpoint must cap the page size it accepts", "Retries of POST requests need an idempotency key"]);
    expect(out.added.map((a) => a.title)).toEqual(["Retries of POST requests need an idempotency key"]);
    expect(out.dropped).toEqual([{ id: expect.stringMatching(/^pf-/), title: "Every search endpoint must cap the page size it accepts", learnedIn: 30 }]);
    expect(out.merged).toEqual([]);
    // The entry as the pull request wrote it: its date and its source.
    expect(out.content).toContain("[PR #31](https://github.com/o/r/pull/31), finding `bbbb0002`\n\n**When:** 2026-11-21\n");
    expect(out.content).not.toContain("bbbb0001");
  });

  it("gives the same file as the pull request when the default branch has not changed it", () => {
    expect(carry({ base: BASE, head: SECOND, main: BASE }).content).toBe(SECOND);
    expect(carry({ base: null, head: learned(null, [lesson(SHARED, 31, "bbbb0001")]), main: null }).content).toBe(learned(null, [lesson(SHARED, 31, "bbbb0001")]));
  });

  it("a lesson nearly the same as one the default branch now holds becomes one more Learned in on it", () => {
    const head = learned(BASE, [lesson("Every search endpoint must cap the page size that it accepts!", 31, "bbbb0003")]);
    const out = carry({ base: BASE, head, main: FIRST });
    expect(out.merged).toEqual([expect.objectContaining({ title: "Every search endpoint must cap the page size that it accepts", into: expect.objectContaining({ title: "Every search endpoint must cap the page size it accepts" }) })]);
    expect(out.content).toBe(FIRST.replace("finding `aaaa0002`\n", "finding `aaaa0002`, [PR #31](https://github.com/o/r/pull/31), finding `bbbb0003`\n"));
  });

  it("a Learned in the pull request added to an existing entry is added on the default branch, once", () => {
    const head = learned(BASE, [lesson("Handlers that accept a `limit` must clamp it to 100!", 31, "bbbb0004")]);
    expect(head).toContain("[PR #7](https://github.com/o/r/pull/7), [PR #31](https://github.com/o/r/pull/31), finding `bbbb0004`");
    const out = carry({ base: BASE, head, main: FIRST });
    expect(out.merged.map((m) => m.into.title)).toEqual(["Handlers that accept limit must clamp it to 100"]);
    expect(out.content).toBe(FIRST.replace("[PR #7](https://github.com/o/r/pull/7)\n", "[PR #7](https://github.com/o/r/pull/7), [PR #31](https://github.com/o/r/pull/31), finding `bbbb0004`\n"));
    // The default branch already has it: nothing to add.
    const again = carry({ base: BASE, head, main: out.content });
    expect(again.content).toBe(out.content);
    expect(again.dropped).toEqual([expect.objectContaining({ learnedIn: 7 })]);
    // The entry is gone from the default branch: the source has nowhere to go.
    const gone = carry({ base: BASE, head, main: "# Pitfalls: api\n" });
    expect(gone.content).toBe("# Pitfalls: api\n");
    expect(gone.dropped).toEqual([expect.objectContaining({ gone: true, learnedIn: null })]);
  });

  it("nothing left when the default branch holds every entry", () => {
    const out = carry({ base: BASE, head: FIRST, main: FIRST });
    expect(out.content).toBe(FIRST);
    expect(out.added).toEqual([]);
    expect(out.dropped.map((d) => d.learnedIn)).toEqual([30, 30]);
  });

  it("a default branch file with CRLF endings keeps them; its entries are kept as written", () => {
    const main = FIRST.replace(/\n/g, "\r\n");
    const out = carry({ base: BASE, head: SECOND, main });
    expect(out.content!.startsWith(main.trimEnd())).toBe(true);
    expect(out.content).not.toMatch(/[^\r]\n/);
    expect(titles(out.content).at(-1)).toBe("Retries of POST requests need an idempotency key");
  });

  it("a default branch without the file gets one, with the pull request's entries", () => {
    const out = carry({ base: BASE, head: SECOND, main: null });
    expect(titles(out.content)).toEqual(["Every search endpoint must cap the page size it accepts", "Retries of POST requests need an idempotency key"]);
    expect(out.content).toMatch(/^# Pitfalls: api\n/);
  });
});

describe("carried in the bounded markdown worker", () => {
  afterAll(() => closeMarkdownPool());

  it("runs off the main thread with the same result", async () => {
    const sides = [{ path: PATH, base: BASE, head: SECOND, main: FIRST }];
    expect(await carryPitfallEntriesBounded(sides)).toEqual({ ok: true, value: carryPitfallEntries(sides) });
  });

  it("a file over the pitfall-file limit is refused, named", async () => {
    const huge = `${FIRST}\n${"x".repeat(MARKDOWN_LIMITS.pitfalls.maxChars)}\n`;
    const out = await carryPitfallEntriesBounded([{ path: PATH, base: BASE, head: SECOND, main: huge }]);
    expect(out).toEqual({ ok: false, reason: expect.stringContaining(`${PATH}: `) });
    expect(out.ok ? "" : out.reason).toContain("over the 1024 KB limit for pitfall files");
  });
});

describe("carrying, for any two sets of lessons", () => {
  /** Lessons no two of which are near-duplicates: each one is either the same lesson or another. */
  const POOL = [
    "Never log request bodies: they hold passwords.",
    "Cap every page size at one hundred items.",
    "Retries of POST requests need an idempotency key.",
    "Escape every HTML attribute value in templates.",
    "Database migrations must be reversible within one deploy.",
    "Feature flags are removed within two sprints of launch.",
    "Timeouts on outbound calls default to five seconds.",
    "Queue consumers acknowledge only after the write commits.",
  ];
  const subset = fc.shuffledSubarray([...POOL.keys()], { minLength: 1 });

  it("keeps the default branch's text, adds each lesson it lacks once, in the pull request's order, and drops the rest", () => {
    assertProperty(
      fc.property(subset, subset, fc.boolean(), (first, second, crlf) => {
        const base = crlf ? BASE.replace(/\n/g, "\r\n") : BASE;
        const main = learned(base, first.map((i) => lesson(POOL[i]!, 30, `aaaa000${i}`)));
        const head = learned(base, second.map((i) => lesson(POOL[i]!, 31, `bbbb000${i}`)));
        const out = carry({ base, head, main });
        expect(out.content!.startsWith(main.trimEnd())).toBe(true);
        const lessons = parsePitfalls(PATH, out.content!).entries.map((e) => e.lesson);
        const expected = [...first, ...second.filter((i) => !first.includes(i))].map((i) => POOL[i]);
        expect(lessons).toEqual([parsePitfalls(PATH, BASE).entries[0]!.lesson, ...expected]);
        expect(out.dropped.map((d) => d.learnedIn)).toEqual(second.filter((i) => first.includes(i)).map(() => 30));
        if (second.every((i) => first.includes(i))) expect(out.content).toBe(main);
        // Against the text it branched from, the pull request's own file comes back.
        expect(carry({ base, head, main: base }).content).toBe(head);
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
