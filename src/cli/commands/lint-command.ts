import { join } from "node:path";
import type { Command } from "commander";
import { formatConfigErrors } from "../../config/config-errors.js";
import { indexIsStale } from "../../context-store/adr/adr-index-file.js";
import { inAdrFolder } from "../../context-store/adr/adr-folder.js";
import { cachedFullAdr, storeFullAdr } from "../../context-store/adr/adr-parse-cache.js";
import type { AdrRecord } from "../../context-store/adr/adr-record.js";
import { parseAdrBounded, parsePitfallsBounded } from "../../markdown/bounded-markdown.js";
import { plural } from "./adr-commands.js";
import { readTextIfExists } from "../working-tree.js";
import { loadWorkingTreeStore, type WorkingTreeAdr, type WorkingTreeStore } from "../working-tree-store.js";
import { CliError, type CliIo } from "../cli-io.js";

export interface LintFinding {
  level: "error" | "warning";
  path: string;
  message: string;
}

/**
 * Everything Baton reads, checked: the config (errors), every ADR (odd files
 * are warnings; broken links and duplicate numbers are errors, since they
 * make the supersession graph wrong), every pitfall file, and the index.
 */
/** The full reading of an ADR (problems with their places), from the record cache or the bounded worker. */
async function fullRecord(adr: WorkingTreeAdr): Promise<{ ok: true; value: AdrRecord } | { ok: false; reason: string }> {
  const hit = cachedFullAdr(adr.file, adr.sha);
  if (hit) return { ok: true, value: hit };
  const read = await parseAdrBounded(adr.path, adr.file, adr.text);
  if (read.ok) storeFullAdr(adr.file, adr.sha, read.value);
  return read;
}

export async function lintWorkingTree(store: WorkingTreeStore): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  // One finding per config error; formatConfigErrors already starts each line with `file:line:column`.
  const configPath = store.configPath ?? ".github/baton.yml";
  for (const e of store.configErrors) {
    const line = formatConfigErrors([e], configPath);
    findings.push({ level: "error", path: line.slice(0, line.indexOf(" ")), message: line.slice(line.indexOf(" ")).trim() });
  }
  if (store.adrFolder === null) findings.push({ level: "warning", path: ".", message: `${store.adrFolderReason}: no ADR was checked (create one with "baton adr new <title>", or name the folder in .github/baton.yml under folders.adr)` });
  for (const s of store.skipped) findings.push({ level: "warning", path: s.path, message: `skipped: ${s.reason}` });
  const byNumber = new Map<number, string[]>();
  const records = await Promise.all(store.adrs.map(fullRecord));
  store.adrs.forEach((a, i) => {
    const read = records[i]!;
    if (!read.ok) findings.push({ level: "warning", path: a.path, message: read.reason });
    else for (const p of read.value.problems ?? []) findings.push({ level: p.level, path: `${a.path}:${p.line}:${p.column}`, message: p.message });
    if (a.record.number !== null) byNumber.set(a.record.number, [...(byNumber.get(a.record.number) ?? []), a.path]);
  });
  for (const [n, paths] of byNumber) {
    if (paths.length > 1) findings.push({ level: "error", path: paths[1]!, message: `ADR number ${n} is used by ${paths.length} files: ${paths.join(", ")}` });
  }
  for (const a of store.adrs) {
    for (const n of [...a.record.supersedes, ...a.record.supersededBy]) {
      if (!byNumber.has(n)) findings.push({ level: "error", path: a.path, message: `links ADR ${n} in its supersession, but no ADR ${n} exists` });
    }
  }
  const pitfallPrefix = `${store.config.folders.pitfalls}/`;
  for (const p of store.paths.filter((p) => p.startsWith(pitfallPrefix) && p.endsWith(".md"))) {
    const parsed = await parsePitfallsBounded(p, readTextIfExists(join(store.root, p)) ?? "");
    if (!parsed.ok) findings.push({ level: "warning", path: p, message: parsed.reason });
    else for (const w of parsed.value.warnings) findings.push({ level: "warning", path: p, message: w });
  }
  if (store.adrFolder !== null) {
    const indexPath = inAdrFolder(store.adrFolder, "README.md");
    if (indexIsStale(readTextIfExists(join(store.root, indexPath)), store.adrs.map((a) => a.record))) {
      findings.push({ level: "error", path: indexPath, message: 'the ADR index is out of date: run "baton adr index"' });
    }
  }
  return findings;
}

export function registerLintCommand(program: Command, io: CliIo): void {
  program
    .command("lint")
    .description("Check .github/baton.yml, every ADR and every pitfall file; exit 1 on errors")
    .option("--json", "print findings as JSON")
    .action(async (opts: { json?: boolean }) => {
      const store = loadWorkingTreeStore(io.cwd);
      const findings = await lintWorkingTree(store);
      if (opts.json) io.out(JSON.stringify(findings, null, 2));
      else for (const f of findings) io.out(`${f.level === "error" ? "error  " : "warning"} ${f.path}: ${f.message}`);
      const errors = findings.filter((f) => f.level === "error").length;
      io.err(`${plural(store.adrs.length, "ADR")} in ${store.adrFolder === null ? "(no ADR folder)" : store.adrFolder || "the repository root"}; ${plural(errors, "error")}, ${plural(findings.length - errors, "warning")}`);
      if (errors) throw new CliError(plural(errors, "error"), 1);
    });
}
