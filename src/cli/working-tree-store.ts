import { join } from "node:path";
import type { BatonConfig } from "../config/config-schema.js";
import type { ConfigError } from "../config/config-errors.js";
import { parseConfig } from "../config/load-config.js";
import { CONFIG_PATHS } from "../config/read-repo-config.js";
import type { AdrMetadata } from "../context-store/adr/adr-record.js";
import { confirmByContent, contentSamples, discoverAdrFolder, type AdrFolderDiscovery } from "../context-store/adr/adr-folder.js";
import { adrFileVerdict } from "../context-store/adr/adr-file-names.js";
import { cachedAdrMetadata, storeAdrMetadata } from "../context-store/adr/adr-parse-cache.js";
import { readAdrMetadata } from "../context-store/adr/read-adr-metadata.js";
import { MARKDOWN_LIMITS, overSizeLimit } from "../markdown/bounded-markdown.js";
import { gitBlobSha } from "../writer/github-commit.js";
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
  adrs: WorkingTreeAdr[];
  /** Files in the ADR folder that were not read, with the reason (said on stderr). */
  skipped: { path: string; reason: string }[];
}

/** An ADR in the working tree: its text, the blob SHA that text would have, and its metadata (the fast tier). */
export interface WorkingTreeAdr {
  path: string;
  /** Path relative to the ADR folder. */
  file: string;
  text: string;
  sha: string;
  record: AdrMetadata;
}

/** Markdown files that are not ADRs are worth a word, except the index that sits in every ADR folder. */
export function isReportedSkip(file: string): boolean {
  return /\.(md|markdown|mdx)$/i.test(file) && !/^readme\.md$/i.test(file);
}

/**
 * The metadata of one ADR file, from the record cache when this text was read
 * before (BATON_CACHE_DIR serves the CLI as it serves the app), else the fast tier.
 */
export function readWorkingTreeAdr(path: string, file: string, text: string): WorkingTreeAdr | { path: string; reason: string } {
  const over = overSizeLimit(path, text, MARKDOWN_LIMITS.adr);
  if (over) return { path, reason: over };
  const sha = gitBlobSha(text);
  let record = cachedAdrMetadata(file, sha);
  if (!record) {
    record = readAdrMetadata(file, text).metadata;
    storeAdrMetadata(file, sha, record);
  }
  return { path, file, text, sha, record };
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
  let found: AdrFolderDiscovery = opts.adrDir !== undefined
    ? { folder: opts.adrDir.replace(/\/+$/, "").replace(/^\.$/, ""), reason: "given with --dir" }
    : discoverAdrFolder({ configured: config.folders.adr, paths, adrDirFile: paths.includes(".adr-dir") ? readTextIfExists(join(root, ".adr-dir")) : null });
  if (found.folder === null && found.candidates?.length) {
    found = confirmByContent(found, new Map(contentSamples(found, paths).map((p) => [p, readTextIfExists(join(root, p))])));
  }
  const adrs: WorkingTreeAdr[] = [];
  const skipped: WorkingTreeStore["skipped"] = [];
  if (found.folder !== null) {
    const prefix = found.folder === "" ? "" : `${found.folder}/`;
    for (const p of paths) {
      if (!p.startsWith(prefix)) continue;
      const file = p.slice(prefix.length);
      if (file.includes("/")) continue;
      const verdict = adrFileVerdict(file);
      if (!verdict.adr) {
        if (isReportedSkip(file)) skipped.push({ path: p, reason: verdict.reason });
        continue;
      }
      const read = readWorkingTreeAdr(p, file, readTextIfExists(join(root, p)) ?? "");
      if ("record" in read) adrs.push(read);
      else skipped.push(read);
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
    skipped,
  };
}

function parseConfigDefaults(): BatonConfig {
  const d = parseConfig(null);
  if (!d.ok) throw new Error("the default configuration does not validate");
  return d.config;
}
