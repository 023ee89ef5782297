import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeText, describeRevealed, revealInvisible, revealedNote } from "../../src/util/code-text.js";

describe("revealInvisible (code reaches the model as committed)", () => {
  it("keeps HTML comments, markdown comments and every visible character of code", () => {
    const code = 'const opener = "<!--";\n<!-- a template comment -->\n[//]: # (not prose)\nconst closer = "-->";\n\ttab kept 🚀 日本語\n';
    expect(revealInvisible(code)).toEqual({ text: code, revealed: [] });
  });

  it("shows bidi controls and zero-width characters as <U+XXXX> where they are, and counts them", () => {
    // Trojan Source (CVE-2021-42574): an RLO inside a comment reorders what a reader sees.
    const trojan = 'if (accessLevel != "user\u202E \u2066// Check if admin\u2069 \u2066") {\n  grant();\u200B\n}\n';
    const r = revealInvisible(trojan);
    expect(r.text).toBe('if (accessLevel != "user<U+202E> <U+2066>// Check if admin<U+2069> <U+2066>") {\n  grant();<U+200B>\n}\n');
    expect(r.revealed).toEqual([
      { codePoint: "U+202E", name: "right-to-left override", count: 1 },
      { codePoint: "U+2066", name: "left-to-right isolate", count: 2 },
      { codePoint: "U+2069", name: "pop directional isolate", count: 1 },
      { codePoint: "U+200B", name: "zero width space", count: 1 },
    ]);
    expect(describeRevealed(r.revealed)).toBe("U+202E right-to-left override ×1, U+2066 left-to-right isolate ×2, U+2069 pop directional isolate ×1, U+200B zero width space ×1");
    expect(revealedNote("src/a.ts", r.revealed)).toMatch(/^Note from Baton: src\/a\.ts contains 5 invisible or bidirectional characters/);
  });

  it("reveals Unicode tag characters (invisible ASCII) and control characters; CRLF becomes LF, a lone CR is revealed", () => {
    const tags = "ok" + [..."hi"].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join("");
    expect(codeText(tags)).toBe("ok<U+E0068><U+E0069>");
    expect(codeText("a\r\nb\rc\u0007\u001b[0m")).toBe("a\nb<U+000D>c<U+0007><U+001B>[0m");
  });

  it("is idempotent and never loses a visible character (fixed seed)", () => {
    const hidden = ["\u202E", "\u200B", "\uFEFF", "\u2066", "\u0000", "\u00AD", "\u{E0041}"];
    const piece = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...hidden), fc.constantFrom("<!--", "-->", "\r\n", "\n"));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        const once = codeText(text);
        expect(codeText(once)).toBe(once);
        // Removing the visible forms gives back the text without its hidden characters: nothing visible was dropped.
        const visible = [...text.replace(/\r\n/g, "\n")].filter((ch) => codeText(ch) === ch).join("");
        expect(once.replace(/<U\+[0-9A-F]{4,5}>/g, "")).toBe(visible);
      }),
      { seed: 42, numRuns: 300, verbose: true },
    );
  });
});
