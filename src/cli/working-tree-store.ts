import { join } from "node:path";
import type { BatonConfig } from "../config/config-schema.js";
import type { ConfigError } from "../config/config-errors.js";
import { parseConfig } from "../config/load-config.js";
import { CONFIG_PATHS } from "../config/read-repo-config.js";
import type { AdrRecord } from "../context-store/adr/adr-record.js";
import { discoverAdrFolder, isAdrFileName, parseAdr } from "../context-store/adr/parse-adr.js";
import { gitRoot, listWorkingTreeFiles, readTextIfExists } from "./working-tree.js";

export interface WorkingTreeStore {
  root: string;
  config: BatonConfig;
  configPath: string | null;
  configErrors: ConfigError[];
  notes: string[];
  paths: string[];
  adrFolder: string | null;
  adrFolderReason: string;
  adrs: { path: string; text: string; record: AdrRecord }[];
}

/** Config and ADRs as they are in the working tree (for commands that author files). */
export function loadWorkingTreeStore(cwd: string, opts: { adrDir?: string } = {}): WorkingTreeStore {
  // Paths are the repository's, from its root, whichever subfolder the command runs in.
  const root = gitRoot(cwd);
  const paths = listWorkingTreeFiles(root);
  const configPath = CONFIG_PATHS.find((p) => paths.includes(p)) ?? null;
  const parsed = parseConfig(configPath ? readTextIfExists(join(root, configPath)) : null, configPath ?? CONFIG_PATHS[0]);
  const config = parsed.ok ? parsed.config : parseConfigDefaults();
  const notes = parsed.ok ? parsed.notes : [];
  const found = opts.adrDir
    ? { folder: opts.adrDir.replace(/\/+$/, ""), reason: "given with --dir" }
    : discoverAdrFolder({ configured: config.folders.adr, paths, adrDirFile: paths.includes(".adr-dir") ? readTextIfExists(join(root, ".adr-dir")) : null });
  const adrs: WorkingTreeStore["adrs"] = [];
  if (found.folder) {
    const prefix = `${found.folder}/`;
    for (const p of paths) {
      if (!p.startsWith(prefix)) continue;
      const file = p.slice(prefix.length);
      if (file.includes("/") || !isAdrFileName(file)) continue;
      const text = readTextIfExists(join(root, p)) ?? "";
      adrs.push({ path: p, text, record: parseAdr(file, text) });
    }
  }
  return {
    root,
    config,
    configPath,
    configErrors: parsed.ok ? [] : parsed.errors,
    notes,
    paths,
    adrFolder: found.folder,
    adrFolderReason: found.reason,
    adrs,
  };
}

function parseConfigDefaults(): BatonConfig {
  const d = parseConfig(null);
  if (!d.ok) throw new Error("the default configuration does not validate");
  return d.config;
}
