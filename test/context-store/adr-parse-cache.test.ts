import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cachedAdrMetadata, cachedFullAdr, clearAdrMemoryCache, storeAdrMetadata, storeFullAdr } from "../../src/context-store/adr/adr-parse-cache.js";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { readAdrMetadata } from "../../src/context-store/adr/read-adr-metadata.js";

const text = "---\nstatus: accepted\nmodules: [api]\n---\n\n# Use REST\n\n## Module guidance\n\n### api\n\nReturn JSON.\n";

describe("the ADR record cache", () => {
  const dirs: string[] = [];
  afterEach(() => {
    clearAdrMemoryCache();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("keeps metadata and full records on disk across processes, keyed by blob and file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "baton-cache-"));
    dirs.push(dir);
    const sha = "a".repeat(40);
    const metadata = readAdrMetadata("0001-use-rest.md", text).metadata;
    storeAdrMetadata("0001-use-rest.md", sha, metadata, dir);
    storeFullAdr("0001-use-rest.md", sha, parseAdr("0001-use-rest.md", text), dir);
    clearAdrMemoryCache();
    // A restarted process finds both on disk, without the text.
    expect(cachedAdrMetadata("0001-use-rest.md", sha, dir)).toEqual(metadata);
    expect(cachedFullAdr("0001-use-rest.md", sha, dir)?.guidance).toEqual({ api: "Return JSON." });
    const versions = readdirSync(dir);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatch(/^adr-records-[0-9a-f]{12}$/);
    // Another file name with the same blob is another record.
    expect(cachedAdrMetadata("0002-other.md", sha, dir)).toBeUndefined();
  });

  it("works without a cache folder, in memory only", () => {
    storeAdrMetadata("0003-x.md", "b".repeat(40), readAdrMetadata("0003-x.md", text).metadata, undefined);
    expect(cachedAdrMetadata("0003-x.md", "b".repeat(40), undefined)?.title).toBe("Use REST");
    clearAdrMemoryCache();
    expect(cachedAdrMetadata("0003-x.md", "b".repeat(40), undefined)).toBeUndefined();
  });
});
