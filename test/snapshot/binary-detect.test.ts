import { describe, expect, it } from "vitest";
import { decodeBlobText, textLooksBinary } from "../../src/snapshot/binary-detect.js";

describe("text rule", () => {
  it("treats a NUL in the first 8000 bytes as binary, and a later one as text", () => {
    expect(decodeBlobText(Buffer.from("ab\0cd"))).toBeNull();
    const late = Buffer.concat([Buffer.alloc(8000, 0x61), Buffer.from([0])]);
    expect(decodeBlobText(late)).toBe(late.toString("utf8"));
  });

  it("rejects invalid UTF-8 and keeps a BOM", () => {
    expect(decodeBlobText(Buffer.from([0xc3, 0x28]))).toBeNull();
    expect(decodeBlobText(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]))).toBe("\uFEFFhi");
  });

  it("measures a NUL in already-decoded text by its UTF-8 byte offset", () => {
    // 3000 × "✓" is 9000 bytes but only 3000 UTF-16 units: the NUL after it is past byte 8000.
    expect(textLooksBinary(`${"✓".repeat(3000)}\0`)).toBe(false);
    expect(textLooksBinary(`${"✓".repeat(2000)}\0`)).toBe(true);
    expect(textLooksBinary("plain")).toBe(false);
  });
});
