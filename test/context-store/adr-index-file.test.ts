import { describe, expect, test } from "vitest";
import { ADR_INDEX_MARKER, renderAdrIndex } from "../../src/context-store/adr/adr-index.js";
import { INDEX_END, INDEX_START, indexIsStale, updateAdrIndexFile } from "../../src/context-store/adr/adr-index-file.js";
import { readAdrMetadata } from "../../src/context-store/adr/read-adr-metadata.js";

const records = [
  readAdrMetadata("0001-use-adrs.md", "# Use ADRs\n\nStatus: accepted\n").metadata,
  readAdrMetadata("0002-use-rest.md", "# Use REST\n\nStatus: proposed\n").metadata,
];
const curated = "# Our decisions\n\nStart with [the first one](0001-use-adrs.md): it explains why.\n";
const opts = (appendToHandWritten: boolean) => ({ path: "docs/adr/README.md", appendToHandWritten });

describe("the ADR index file", () => {
  test("a missing README is created, and a README Baton created is regenerated", () => {
    expect(updateAdrIndexFile(null, records, opts(false))).toEqual({ kind: "write", content: renderAdrIndex(records), how: "created" });
    const old = renderAdrIndex(records.slice(0, 1));
    expect(updateAdrIndexFile(old, records, opts(false))).toEqual({ kind: "write", content: renderAdrIndex(records), how: "regenerated" });
    expect(updateAdrIndexFile(renderAdrIndex(records), records, opts(false))).toEqual({ kind: "unchanged" });
  });

  test("a README written by hand is left alone by implicit updates, with a note", () => {
    const update = updateAdrIndexFile(curated, records, opts(false));
    expect(update).toEqual({ kind: "leave", note: 'docs/adr/README.md is written by hand: the ADR index in it was not updated (run "baton adr index" to add one between markers)' });
  });

  test("baton adr index appends the index between markers, keeping every hand-written line, and later updates only between them", () => {
    const first = updateAdrIndexFile(curated, records.slice(0, 1), opts(true));
    expect(first.kind).toBe("write");
    const written = first.kind === "write" ? first.content : "";
    expect(written.startsWith(curated.trimEnd())).toBe(true);
    expect(written).toContain(INDEX_START);
    expect(written.trimEnd().endsWith(INDEX_END)).toBe(true);
    expect(written).not.toContain(ADR_INDEX_MARKER);
    expect(written).toContain("[Use ADRs](0001-use-adrs.md)");
    expect(written).not.toContain("Use REST");

    const edited = `${written}\nA line the team added after the index.\n`;
    expect(indexIsStale(edited, records)).toBe(true);
    const second = updateAdrIndexFile(edited, records, opts(false));
    expect(second.kind === "write" && second.how).toBe("between markers");
    const content = second.kind === "write" ? second.content : "";
    expect(content.startsWith(curated.trimEnd())).toBe(true);
    expect(content).toContain("[Use REST](0002-use-rest.md)");
    expect(content.endsWith("A line the team added after the index.\n")).toBe(true);
    expect(indexIsStale(content, records)).toBe(false);
    expect(indexIsStale(curated, records)).toBe(false);
  });
});
