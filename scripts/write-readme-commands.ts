import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderCommandTable } from "../src/app/baton-command.js";

/**
 * `npm run readme:commands`: copies the `/baton` command table, which
 * `/baton help` posts, into README.md between its markers, so that the two
 * say the same thing (test/app-unit/command-table.test.ts checks they do).
 */

export const README_PATH = fileURLToPath(new URL("../README.md", import.meta.url));
const START = "<!-- baton:commands:start -->";
const END = "<!-- baton:commands:end -->";

/** The README with the table between the markers, or an error when the markers are missing. */
export function withCommandTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} markers for the command table`);
  return `${readme.slice(0, start + START.length)}\n${renderCommandTable()}\n${readme.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(README_PATH, withCommandTable(readFileSync(README_PATH, "utf8")));
  console.log(`wrote the command table into ${README_PATH}`);
}
