/**
 * The ADR reader: one markdown file, in whatever style a team writes ADRs
 * (Nygard/adr-tools, MADR with or without front matter, log4brains bullets,
 * metadata tables, Baton's own output), read into an `AdrRecord`.
 *
 * Reading conventions (see adr-corpus/README.md): the number comes from the
 * file name; the title from the first H1; status from front matter, then a
 * header line/bullet/table row before the first `##`, then the first line of
 * a `## Status` section; supersession from status lines, metadata and
 * explicit sentences; the date from front matter or the header. Odd input
 * never throws: what could not be read is said in `warnings`.
 */
import type { AdrRecord } from "./adr-record.js";
import { readAdrFields, type AdrReading } from "./adr-fields.js";
import { isAdrFileName } from "./adr-file-names.js";
import { blankFrontMatter, readFrontMatter, splitFrontMatter } from "./adr-front-matter.js";
import { adrSource, frontMatterProblems } from "./adr-source.js";
import { collectDefinitions, parseMarkdown } from "./adr-markdown.js";
import { collectLines } from "./adr-metadata.js";
import { adrSections, headingSections, moduleGuidance, sectionFirstLine } from "./adr-sections.js";
import { firstH1, headingText } from "./adr-title.js";

export { isAdrFileName } from "./adr-file-names.js";
export { discoverAdrFolder } from "./adr-folder.js";

/**
 * Read one ADR: the full tier, with remark. `file` is the path relative to
 * the ADR folder (e.g. `0001-record-decisions.md`). Run it through the
 * bounded worker (`src/markdown`) for text from a repository.
 */
export function parseAdr(file: string, text: string): AdrRecord {
  const source = adrSource(text);
  const block = splitFrontMatter(source);
  const fm = readFrontMatter(block);
  const problems = frontMatterProblems(source, block, fm.warnings);

  // The parser never sees the front matter: both tiers find it the same way (splitFrontMatter).
  const body = blankFrontMatter(source, block);
  const root = parseMarkdown(body);
  const defs = collectDefinitions(root);
  const sections = headingSections(root, body);
  const guidance = moduleGuidance(sections);
  const h1 = firstH1(root);
  const reading: AdrReading = {
    frontMatter: fm,
    lines: collectLines(root, body, defs),
    sectionFirstLine: (names) => sectionFirstLine(sections, names, body, defs),
    h1: h1 ? headingText(h1, body) : null,
    guidanceModules: Object.keys(guidance),
  };
  const metadata = readAdrFields(file, reading, problems);
  return { ...metadata, sections: adrSections(sections), guidance, warnings: problems.map((p) => p.message), problems };
}

/**
 * Read the ADRs among `files` (README, index and templates are left out, see
 * `isAdrFileName`), sorted by number (unnumbered last), then file name.
 */
export function readAdrFiles(files: readonly { file: string; text: string }[]): AdrRecord[] {
  return files
    .filter((f) => isAdrFileName(f.file))
    .map((f) => parseAdr(f.file, f.text))
    .sort((a, b) => {
      if (a.number !== b.number) {
        if (a.number === null) return 1;
        if (b.number === null) return -1;
        return a.number - b.number;
      }
      return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
    });
}
