/**
 * The markdown work that runs in the bounded worker: pure functions over
 * plain data, called by name. Kept in one table so the worker and the
 * callers agree on names and types.
 */
import { parseAdr } from "../context-store/adr/parse-adr.js";
import { renderAdr } from "../context-store/adr/write-adr.js";
import { appendPitfall } from "../context-store/pitfalls/write-pitfalls.js";
import { parsePitfalls } from "../context-store/pitfalls/parse-pitfalls.js";
import { planLearnedPitfalls } from "../steps/learning/learned-pitfalls.js";
import { carryPitfallEntries } from "../context-store/pitfalls/carry-pitfall-entries.js";

export const MARKDOWN_TASKS = { parseAdr, parsePitfalls, appendPitfall, renderAdr, planLearnedPitfalls, carryPitfallEntries } as const;

export type MarkdownTaskName = keyof typeof MARKDOWN_TASKS;
export type MarkdownTask<N extends MarkdownTaskName> = (typeof MARKDOWN_TASKS)[N];
