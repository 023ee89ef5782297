import { describe, expect, it } from "vitest";
import type { CarriedPitfalls } from "../../src/context-store/pitfalls/carry-pitfall-entries.js";
import { reviseLearnedBody } from "../../src/runner/learned-pull-body.js";

/** A learning pull request's body as Baton opened it, with a line a maintainer added by hand. */
const BODY = [
  "What #31 taught, as pitfalls: the lessons of the review findings it fixed before merging, and the `/baton remember` lessons given on it.",
  "",
  "**`docs/pitfalls/api.md`**",
  "",
  "- new: Cap page sizes (`cap-page-sizes`), from finding `bbbb0000`",
  "- new: Idempotency keys for POST retries (`idempotency-keys`), from finding `bbbb0001`",
  "- merged into Log no bodies (`log-no-bodies`): it says nearly the same; #31 is added where it was learned, from finding `bbbb0002`",
  "- new: Time out outbound calls (`time-out-calls`), from finding `bbbb0003`",
  "- note from the maintainer: cap-page-sizes was discussed in #29",
  "",
  "Baton-Step: learning@1",
].join("\n");

const file = (over: Partial<CarriedPitfalls>): CarriedPitfalls => ({ path: "docs/pitfalls/api.md", content: "", added: [], merged: [], dropped: [], ...over });

describe("reviseLearnedBody: the body of a learning pull request brought up to date", () => {
  it("strikes each entry the default branch holds, says why, and leaves every other line as it was", () => {
    const carried = [
      file({
        dropped: [
          { id: "cap-page-sizes", title: "Cap page sizes", learnedIn: 30 },
          { id: "log-no-bodies", title: "Log no bodies", learnedIn: null, gone: true },
        ],
        merged: [{ id: "time-out-calls", title: "Time out outbound calls", into: { id: "timeouts", title: "Every outbound call has a *timeout*" } }],
      }),
    ];
    const lines = reviseLearnedBody(BODY, carried, "trunk").split("\n");
    expect(lines).toEqual([
      ...BODY.split("\n").slice(0, 4),
      "- ~~new: Cap page sizes (`cap-page-sizes`), from finding `bbbb0000`~~ left out: already learned in #30, on `trunk`",
      "- new: Idempotency keys for POST retries (`idempotency-keys`), from finding `bbbb0001`",
      "- ~~merged into Log no bodies (`log-no-bodies`): it says nearly the same; #31 is added where it was learned, from finding `bbbb0002`~~ left out: the entry it extends is no longer on the default branch",
      "- ~~new: Time out outbound calls (`time-out-calls`), from finding `bbbb0003`~~ now added where Every outbound call has a \\*timeout\\* (`timeouts`) on `trunk` was learned",
      // A person's line that names an id, but not as an entry line, is theirs: untouched.
      "- note from the maintainer: cap-page-sizes was discussed in #29",
      "",
      "Baton-Step: learning@1",
    ]);
  });

  it("an entry learned where the default branch does not say which pull request is left out without a number", () => {
    const revised = reviseLearnedBody(BODY, [file({ dropped: [{ id: "idempotency-keys", title: "Idempotency keys", learnedIn: null }] })], "main");
    expect(revised).toContain("- ~~new: Idempotency keys for POST retries (`idempotency-keys`), from finding `bbbb0001`~~ left out: already learned, on `main`");
  });

  it("a second update with the same carried entries changes nothing (the pull request is not edited again)", () => {
    const carried = [file({ dropped: [{ id: "cap-page-sizes", title: "Cap page sizes", learnedIn: 30 }] })];
    const once = reviseLearnedBody(BODY, carried, "main");
    expect(once).not.toBe(BODY);
    expect(reviseLearnedBody(once, carried, "main")).toBe(once);
  });

  it("nothing dropped or merged: the body is returned as it is", () => {
    expect(reviseLearnedBody(BODY, [file({ added: [{ id: "idempotency-keys", title: "Idempotency keys" }] })], "main")).toBe(BODY);
  });

  it("an id is matched only as a whole code span: `cap` does not strike `cap-page-sizes`", () => {
    const revised = reviseLearnedBody(BODY, [file({ dropped: [{ id: "cap", title: "Cap", learnedIn: 2 }] })], "main");
    expect(revised).toBe(BODY);
  });
});
