import type { AdrProblem } from "./adr-record.js";
import type { FrontMatterBlock } from "./adr-front-matter.js";

/**
 * What Baton reads an ADR's text as, before either tier: no byte-order mark,
 * and no private-use characters, which mark links in flattened text and so
 * must not come from the file itself.
 */
export function adrSource(text: unknown): string {
  return typeof text === "string" ? text.replace(/^\uFEFF/, "").replace(/[\uE000-\uE002]/g, "\uFFFD") : "";
}

/** The problems every reading starts with: an empty file, front matter that is never closed or does not parse. */
export function frontMatterProblems(source: string, block: FrontMatterBlock, warnings: readonly string[]): AdrProblem[] {
  const problems: AdrProblem[] = [];
  if (source.trim() === "") problems.push({ level: "warning", message: "empty file", line: 1, column: 1 });
  if (block.kind === "unclosed") {
    problems.push({ level: "error", message: "front matter opened by --- on line 1 is never closed: add a --- line after it (it was not read)", line: 1, column: 1 });
  }
  for (const w of warnings) problems.push({ level: "warning", message: w, line: block.firstLine, column: 1 });
  return problems;
}

