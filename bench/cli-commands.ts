/**
 * The repository tools on a large ADR folder, as a person runs them: `baton
 * adr list` and `baton lint` in a child process (a new process is what a
 * person starts), on a git checkout of generated ADRs, without and with the
 * record cache (BATON_CACHE_DIR). Part of `npm run bench`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSyntheticRepo } from "./synthetic-repo.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CPU_AT_EXIT = fileURLToPath(new URL("./cpu-at-exit.mjs", import.meta.url));

export interface CliRow {
  command: string;
  cache: string;
  wallMs: number;
  cpuMs: number;
  exitCode: number;
  /** The last line on stderr (the command's own summary). */
  summary: string;
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv): Omit<CliRow, "command" | "cache"> {
  const started = performance.now();
  const child = spawnSync(process.execPath, ["--import", CPU_AT_EXIT, join(ROOT, "bin", "baton.js"), ...args], { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  const cpu = /bench-cpu-ms (\d+)/.exec(child.stderr)?.[1];
  const lines = child.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("bench-cpu-ms"));
  return { wallMs, cpuMs: Number(cpu ?? NaN), exitCode: child.status ?? -1, summary: lines[lines.length - 1] ?? "" };
}

export function measureCliCommands(adrs: number, log: (m: string) => void): CliRow[] {
  const dir = mkdtempSync(join(tmpdir(), "baton-bench-cli-"));
  const cacheDir = mkdtempSync(join(tmpdir(), "baton-bench-cli-cache-"));
  try {
    const repo = generateSyntheticRepo({ adrs, pitfallFiles: 10, sourcePaths: 10 });
    for (const f of repo.files) {
      if (f.kind === "source") continue;
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.text());
    }
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const base = { ...process.env };
    delete base.BATON_CACHE_DIR;
    const withCache = { ...base, BATON_CACHE_DIR: cacheDir };
    const rows: CliRow[] = [];
    const measure = (command: string, args: string[], cache: string, env: NodeJS.ProcessEnv) => {
      const row = { command, cache, ...run(dir, args, env) };
      log(`${command} (${cache}): ${row.wallMs.toFixed(0)} ms wall, ${row.cpuMs} ms CPU`);
      rows.push(row);
    };
    measure(`adr list, ${adrs} ADRs`, ["adr", "list"], "none", base);
    measure(`adr list, ${adrs} ADRs`, ["adr", "list"], "BATON_CACHE_DIR, empty", withCache);
    measure(`adr list, ${adrs} ADRs`, ["adr", "list"], "BATON_CACHE_DIR, warm", withCache);
    measure(`lint, ${adrs} ADRs`, ["lint"], "BATON_CACHE_DIR, metadata only", withCache);
    measure(`lint, ${adrs} ADRs`, ["lint"], "BATON_CACHE_DIR, warm", withCache);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
