import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readAdrMetadata } from "../../src/context-store/adr/read-adr-metadata.js";
import { DestinationEnds, LOOKAHEAD, scanBareDestination } from "../../src/context-store/adr/adr-link-destination.js";
import { assertProperty } from "../support/property.js";

/**
 * The fast tier finds every bare link destination's end at once
 * (`DestinationEnds`), so that a status line of `[a](` repeated stays
 * linear (issue 7, "never blocks"). It must end each destination exactly
 * where the character-by-character scan does, escapes, nesting limit and
 * look-ahead included.
 */

// The characters that decide where a destination ends, and a few that do not.
const DECISIVE = ["(", ")", "\\", " ", "\t", "\n", "\u00a0", "\u2003", "a", "[", "]", "<", '"'];
const text = fc.array(fc.constantFrom(...DECISIVE), { maxLength: 120 }).map((chars) => chars.join(""));
const deepText = fc.tuple(fc.nat({ max: 40 }), text, fc.nat({ max: 40 })).map(([opens, middle, closes]) => `${"(".repeat(opens)}${middle}${")".repeat(closes)}`);

describe("bare link destinations, found all at once", () => {
  it("end where the character-by-character scan ends them, from every start after `(` or whitespace, at any look-ahead", () => {
    assertProperty(
      fc.property(fc.oneof(text, deepText), fc.nat({ max: 130 }), (t, span) => {
        const ends = new DestinationEnds(t);
        for (let open = 0; open < t.length; open++) {
          if (t[open] !== "(" || t[open - 1] === "\\") continue;
          // The scan starts after the `(` and any whitespace, as readDestination starts it.
          let from = open + 1;
          const limit = Math.min(t.length, open + 1 + span);
          while (from < limit && /\s/.test(t[from]!)) from++;
          expect(ends.end(from, limit)).toBe(scanBareDestination(t, from, limit));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("stop at 32 levels of nesting, and at the look-ahead", () => {
    const nested = `(${"(".repeat(32)}x${")".repeat(32)})`;
    expect(new DestinationEnds(nested).end(1, nested.length)).toBe(nested.length - 1);
    const tooDeep = `(${"(".repeat(33)}x`;
    expect(new DestinationEnds(tooDeep).end(1, tooDeep.length)).toBe(-1);
    const long = `(${"a".repeat(LOOKAHEAD + 10)})`;
    expect(new DestinationEnds(long).end(1, LOOKAHEAD)).toBe(LOOKAHEAD);
    const escapedAtLimit = `(${"a".repeat(8)}\\)b)`;
    expect(new DestinationEnds(escapedAtLimit).end(1, 10)).toBe(11);
  });

  it("read links on a status line: titles, angle brackets, spaces and nested parentheses", () => {
    const status = (line: string) => readAdrMetadata("0009-x.md", `# T\n\nStatus: ${line}\n`).metadata;
    expect(status("Superseded by [ADR 2](0002-x.md \"title\"), [ADR 3](<0003 y.md>) and [ADR 5]( 0005-w(1).md 'x' )")).toMatchObject({ status: "superseded", supersededBy: [2, 3, 5] });
    expect(status("Superseded by [ADR 6](a(b(c))/0006-d.md)")).toMatchObject({ status: "superseded", supersededBy: [6] });
  });
});
