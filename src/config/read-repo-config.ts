import type { RepoSnapshot } from "../snapshot/repo-snapshot.js";
import type { BatonConfig } from "./config-schema.js";
import type { ConfigError } from "./config-errors.js";
import { parseConfig } from "./load-config.js";

export const CONFIG_PATHS = [".github/baton.yml", ".github/baton.yaml"] as const;

export type RepoConfig =
  | { ok: true; config: BatonConfig; identity: string; path: string | null; notes: string[] }
  | { ok: false; errors: ConfigError[]; identity: string; path: string };

/**
 * The configuration as committed at the snapshot's commit. Read from the
 * trusted commit (the default branch or a PR's base), never from the head of
 * a PR, so a PR cannot change the rules of its own review.
 */
export async function readRepoConfig(snapshot: RepoSnapshot): Promise<RepoConfig> {
  const files = await snapshot.listFiles();
  // `.yml` first, as the event router reads it, whatever order the tree lists them in.
  const entry = CONFIG_PATHS.map((p) => files.find((f) => f.path === p)).find((f) => f !== undefined);
  if (!entry) {
    const parsed = parseConfig(null);
    if (!parsed.ok) throw new Error("defaults failed to validate"); // cannot happen: the schema's defaults are valid
    return { ok: true, config: parsed.config, identity: "defaults", path: null, notes: parsed.notes };
  }
  const text = (await snapshot.readFiles([entry.path])).get(entry.path)?.text ?? "";
  const parsed = parseConfig(text, entry.path);
  const identity = `${entry.path}@${entry.sha}`;
  return parsed.ok
    ? { ok: true, config: parsed.config, identity, path: entry.path, notes: parsed.notes }
    : { ok: false, errors: parsed.errors, identity, path: entry.path };
}
