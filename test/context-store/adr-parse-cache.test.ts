import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clearAdrMemoryCache, parseAdrCached } from "../../src/context-store/adr/adr-parse-cache.js";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";

const text = "---\nstatus: accepted\nmodules: [api]\n---\n\n# Use REST\n\n## Module guidance\n\n### api\n\nReturn JSON.\n";

describe("the ADR parse cache", () => {
  const dirs: string[] = [];
  afterEach(() => {
    clearAdrMemoryCache();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("keeps records on disk across processes, keyed by blob and file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "baton-cache-"));
    dirs.push(dir);
    const first = parseAdrCached("0001-use-rest.md", "a".repeat(40), text, dir);
    expect(first).toEqual(parseAdr("0001-use-rest.md", text));
    clearAdrMemoryCache();
    // A restarted process finds the record on disk: the text is not read again.
    const again = parseAdrCached("0001-use-rest.md", "a".repeat(40), "not the same text at all", dir);
    expect(again).toEqual(first);
    const versions = readdirSync(dir);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatch(/^adr-records-[0-9a-f]{12}$/);
    // Another file name with the same blob is another record.
    expect(parseAdrCached("0002-other.md", "a".repeat(40), text, dir).number).toBe(2);
  });

  it("works without a cache folder, in memory only", () => {
    expect(parseAdrCached("0003-x.md", "b".repeat(40), text, undefined).title).toBe("Use REST");
  });
});
