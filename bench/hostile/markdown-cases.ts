import { readAdrMetadata } from "../../src/context-store/adr/read-adr-metadata.js";
import { appendPitfallBounded, MARKDOWN_LIMITS, overSizeLimit, parseAdrBounded, parsePitfallsBounded } from "../../src/markdown/bounded-markdown.js";
import type { HostileCase } from "./hostile-case.js";

/**
 * Markdown from repositories and comments (issue 7, item 3): the full parse
 * runs in the markdown worker under a size cap and a time limit; the fast
 * ADR tier runs on the main thread, linear, on inputs under the ADR cap.
 */
const kb = (n: number) => `${n / 1024} KB`;
const ADR_LIMIT = `${kb(MARKDOWN_LIMITS.adr.maxChars)}; worker stopped after ${MARKDOWN_LIMITS.adr.timeLimitMs} ms`;
const PITFALL_LIMIT = `${kb(MARKDOWN_LIMITS.pitfalls.maxChars)}; worker stopped after ${MARKDOWN_LIMITS.pitfalls.timeLimitMs} ms`;
const LESSON_LIMIT = `${kb(MARKDOWN_LIMITS.lesson.maxChars)}; worker stopped after ${MARKDOWN_LIMITS.lesson.timeLimitMs} ms`;
const FAST_LIMIT = `${kb(MARKDOWN_LIMITS.adr.maxChars)}; linear scan on the main thread`;

const stars32k = `# Hostile\n\n${"*a_".repeat(11_000)}\n`;
const nested1m = "> - ".repeat(262_144);
const nestedPitfalls = "> - ".repeat(200_000);
const largestStars = `# Hostile\n\n${"*a_".repeat(Math.floor((MARKDOWN_LIMITS.adr.maxChars - 20) / 3))}\n`;
const largestNested = `# Hostile\n\n${"> - ".repeat(Math.floor((MARKDOWN_LIMITS.adr.maxChars - 20) / 4))}\n`;
const largestBrackets = `# Hostile\n\nStatus: ${"[a](".repeat(Math.floor((MARKDOWN_LIMITS.adr.maxChars - 40) / 4))}\n`;
const largestImages = `# Hostile\n\nStatus: ${"![a](".repeat(Math.floor((MARKDOWN_LIMITS.adr.maxChars - 40) / 5))}\n`;
const largestEmptyLinks = `# Hostile\n\nStatus: ${"[](".repeat(Math.floor((MARKDOWN_LIMITS.adr.maxChars - 40) / 3))}\n`;

export const markdownCases: HostileCase[] = [
  { inputClass: "markdown", name: "ADR of 32 KB of `*a_`, full read", limit: ADR_LIMIT, run: () => parseAdrBounded("docs/adr/0001-x.md", "0001-x.md", stars32k) },
  { inputClass: "markdown", name: "ADR of 1 MB of nested `> - `", limit: ADR_LIMIT, run: () => overSizeLimit("docs/adr/0001-x.md", nested1m, MARKDOWN_LIMITS.adr) ?? parseAdrBounded("docs/adr/0001-x.md", "0001-x.md", nested1m) },
  { inputClass: "markdown", name: "pitfall file of 800 KB of nested `> - `", limit: PITFALL_LIMIT, run: () => parsePitfallsBounded("docs/pitfalls/api.md", nestedPitfalls) },
  { inputClass: "markdown", name: "`/baton remember` lesson of 64 KB of `*a_`", limit: LESSON_LIMIT, run: () => appendPitfallBounded("docs/pitfalls/api.md", null, "api", { lesson: "*a_".repeat(21_846), date: "2026-12-04" }) },
  { inputClass: "markdown", name: "lesson of 7.9 KB of `*a_` (under the size cap)", limit: LESSON_LIMIT, run: () => appendPitfallBounded("docs/pitfalls/api.md", null, "api", { lesson: "*a_".repeat(2_700), date: "2026-12-04" }) },
  { inputClass: "markdown", name: "ADR metadata (fast tier) of 32 KB of `*a_`", limit: FAST_LIMIT, run: () => readAdrMetadata("0001-x.md", stars32k) },
  { inputClass: "markdown", name: "ADR metadata (fast tier), 128 KB (the cap) of `*a_`", limit: FAST_LIMIT, run: () => readAdrMetadata("0001-x.md", largestStars) },
  { inputClass: "markdown", name: "ADR metadata (fast tier), 128 KB (the cap) of nested `> - `", limit: FAST_LIMIT, run: () => readAdrMetadata("0001-x.md", largestNested) },
  { inputClass: "markdown", name: "ADR metadata (fast tier), 128 KB (the cap) status line of unclosed links `[a](`", limit: FAST_LIMIT, run: () => readAdrMetadata("0001-x.md", largestBrackets) },
  { inputClass: "markdown", name: "ADR metadata (fast tier), 128 KB (the cap) status line of unclosed images `![a](`", limit: FAST_LIMIT, run: () => readAdrMetadata("0001-x.md", largestImages) },
  { inputClass: "markdown", name: "ADR metadata (fast tier), 128 KB (the cap) status line of empty unclosed links `[](`", limit: FAST_LIMIT, run: () => readAdrMetadata("0001-x.md", largestEmptyLinks) },
];
