import { runInNewContext } from "node:vm";

/** However pathological the model's regular expression, a search gives up after this long. */
export const SEARCH_TIME_LIMIT_MS = 2000;

const SEARCH_CODE = `
  const re = new RegExp(pattern);
  const hits = [];
  outer: for (const [path, text] of texts) {
    const lines = text.split("\\n");
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].length <= 2000 && re.test(lines[i])) {
        hits.push(path + ":" + (i + 1) + ": " + lines[i].slice(0, 200));
        if (hits.length >= max) break outer;
      }
    }
  }
  hits;
`;

/**
 * Runs the model's regular expression over file texts in a separate V8
 * context with a time limit: a catastrophic backtracking pattern is stopped
 * (and reported to the model) instead of blocking the worker.
 */
export function searchTexts(pattern: string, texts: [string, string][], max: number, timeoutMs = SEARCH_TIME_LIMIT_MS): string[] {
  try {
    return runInNewContext(SEARCH_CODE, { pattern, texts, max }, { timeout: timeoutMs }) as string[];
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new Error(`search stopped after ${timeoutMs} ms: use a simpler pattern`);
    throw err;
  }
}
