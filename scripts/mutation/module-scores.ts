import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import picomatch from "picomatch";

/**
 * The mutation score of each module of stryker.config.mjs, from Stryker's
 * JSON report: killed (and timed out) over killed + survived + no coverage,
 * as Stryker counts it. Prints a table (the one docs/testing.md keeps) and
 * exits 1 when a module is under the target, so the scheduled workflow fails.
 * Several reports (one per MUTATION_SCOPE run, or a re-run of a few lines with
 * `--mutate file:lines`) are read as one: the last report named that has
 * mutants on a line gives that line's results.
 *
 *   npx tsx scripts/mutation/module-scores.ts [reports/mutation/mutation*.json ...] [--target 85] [--by-file]
 */

interface MutantResult {
  id: string;
  mutatorName: string;
  status: "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";
  location: { start: { line: number; column: number } };
  replacement?: string;
}
interface Report {
  files: Record<string, { mutants: MutantResult[] }>;
}

export interface ModuleScore {
  module: string;
  /** Files of the module that the reports hold. */
  files: string[];
  /** Killed, timeouts included (an endless loop is a caught mutant). */
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Killed (or timed out) / (killed + survived + no coverage), in percent; null without mutants. */
  score: number | null;
  survivors: { file: string; line: number; mutator: string; replacement: string }[];
}

export function moduleScores(report: Report, modules: Record<string, string[]>): ModuleScore[] {
  return Object.entries(modules).map(([module, globs]) => {
    const include = picomatch(globs.filter((g) => !g.startsWith("!")));
    const exclude = picomatch(globs.filter((g) => g.startsWith("!")).map((g) => g.slice(1)).concat("\0none"));
    const score: ModuleScore = { module, files: [], killed: 0, timeout: 0, survived: 0, noCoverage: 0, score: null, survivors: [] };
    for (const [file, { mutants }] of Object.entries(report.files)) {
      if (!include(file) || exclude(file)) continue;
      score.files.push(file);
      for (const m of mutants) {
        if (m.status === "Timeout") score.timeout++;
        if (m.status === "Killed" || m.status === "Timeout") score.killed++;
        else if (m.status === "Survived" || m.status === "NoCoverage") {
          if (m.status === "Survived") score.survived++;
          else score.noCoverage++;
          score.survivors.push({ file, line: m.location.start.line, mutator: m.mutatorName, replacement: (m.replacement ?? "").replace(/\s+/g, " ").slice(0, 80) });
        }
      }
    }
    const total = score.killed + score.survived + score.noCoverage;
    score.score = total ? Math.round((1000 * score.killed) / total) / 10 : null;
    return score;
  });
}

/**
 * One report from several: per file, the mutants of all, where a later report
 * replaces every result of an earlier one on the lines it has mutants on (a
 * re-run of those lines, perhaps after they were edited).
 */
export function mergeReports(reports: Report[]): Report {
  const files: Record<string, MutantResult[]> = {};
  for (const report of reports) {
    for (const [file, { mutants }] of Object.entries(report.files)) {
      const lines = new Set(mutants.map((m) => m.location.start.line));
      files[file] = [...(files[file] ?? []).filter((m) => !lines.has(m.location.start.line)), ...mutants];
    }
  }
  return { files: Object.fromEntries(Object.entries(files).map(([file, mutants]) => [file, { mutants }])) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf("--target");
  const target = at >= 0 ? Number(args[at + 1]) : 85;
  const named = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--target");
  const files = named.length ? named : ["reports/mutation/mutation.json"];
  const report = mergeReports(files.map((file) => JSON.parse(readFileSync(resolve(file), "utf8")) as Report));
  const { MODULES } = (await import(resolve(fileURLToPath(new URL("../../", import.meta.url)), "stryker.config.mjs"))) as { MODULES: Record<string, string[]> };
  const scores = moduleScores(report, MODULES).filter((s) => s.score !== null);
  const date = new Date().toISOString().slice(0, 10);
  const lines = ["| module | files | mutants | killed | survived | timeout / no coverage | score | date |", "|---|---|---:|---:|---:|---:|---:|---|"];
  const row = (name: string, files: string, s: ModuleScore) =>
    `| ${name} | ${files} | ${s.killed + s.survived + s.noCoverage} | ${s.killed} | ${s.survived} | ${s.timeout} / ${s.noCoverage} | ${s.score}% | ${date} |`;
  for (const s of scores) {
    lines.push(row(s.module, s.files.map((f) => `\`${f}\``).join(", "), s));
    // --by-file: a row per file under its module, for modules measured in part.
    if (args.includes("--by-file") && s.files.length > 1) {
      for (const f of moduleScores(report, Object.fromEntries(s.files.map((file) => [file, [file]])))) lines.push(row("", `\`${f.module}\``, f));
    }
  }
  process.stdout.write(`${lines.join("\n")}\n\nSurvivors:\n`);
  for (const s of scores) for (const v of s.survivors) process.stdout.write(`- ${v.file}:${v.line} ${v.mutator}: ${v.replacement}\n`);
  const under = scores.filter((s) => s.score! < target);
  if (under.length) {
    process.stderr.write(`under ${target}%: ${under.map((s) => `${s.module} (${s.score}%)`).join(", ")}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
