import type { BatonConfig } from "../config/config-schema.js";
import { defaultConfig } from "../config/config-schema.js";
import { parseConfig } from "../config/load-config.js";
import { CONFIG_PATHS } from "../config/read-repo-config.js";

interface ContentsOctokit {
  rest: { repos: { getContent(params: { owner: string; repo: string; path: string; ref?: string }): Promise<{ data: unknown }> } };
}

/**
 * The few settings a handler needs to decide whether an event is for Baton
 * (label names, thresholds), read from the default branch. A broken file
 * falls back to defaults here; the job reports the errors on its check run.
 */
export async function readEdgeConfig(octokit: ContentsOctokit, owner: string, repo: string): Promise<BatonConfig> {
  for (const path of CONFIG_PATHS) {
    try {
      const { data } = await octokit.rest.repos.getContent({ owner, repo, path });
      // A file has its text in `content`; a folder is a list, and is skipped.
      const content = (data as { content?: unknown } | null)?.content;
      if (typeof content === "string") {
        const parsed = parseConfig(Buffer.from(content, "base64").toString("utf8"), path);
        return parsed.ok ? parsed.config : defaultConfig();
      }
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
    }
  }
  return defaultConfig();
}
