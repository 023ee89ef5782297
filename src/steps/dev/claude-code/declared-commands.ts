/**
 * The commands a Claude Code dev session may run: `dev.commands` from
 * `.github/baton.yml`, else the usual package.json scripts that exist. A
 * command is allowed only when the session's command line is exactly one
 * of these (runs of spaces count as one): `npm test -- --watch`,
 * `npm test && curl …` or `cd x && npm test` are other commands, refused.
 */

export type DeclaredCommands = Record<string, string>;

/** Scripts offered by default, in this order; `test` also gives the final test result. */
const DEFAULT_SCRIPTS = ["test", "lint", "typecheck", "build"] as const;

/** npm's placeholder for a package without tests: running it proves nothing. */
const NPM_PLACEHOLDER = /no test specified/;

export interface CommandSources {
  /** `dev.commands` as configured, when present. */
  configured?: Record<string, string>;
  /** package.json at the trusted commit, when there is one. */
  packageJson?: string | null;
  /** Paths at the repository root (lock files decide the package manager). */
  rootFiles?: string[];
}

export function declaredCommands(sources: CommandSources): { commands: DeclaredCommands; source: string } {
  if (sources.configured) return { commands: normaliseAll(sources.configured), source: "dev.commands in .github/baton.yml" };
  const scripts = packageScripts(sources.packageJson);
  if (!scripts) return { commands: {}, source: "no dev.commands and no package.json scripts: the session runs no command" };
  const runner = packageManager(sources.rootFiles ?? []);
  const commands: DeclaredCommands = {};
  for (const name of DEFAULT_SCRIPTS) {
    const script = scripts[name];
    if (typeof script !== "string" || !script.trim()) continue;
    if (name === "test" && NPM_PLACEHOLDER.test(script)) continue;
    commands[name] = name === "test" ? `${runner} test` : `${runner} run ${name}`;
  }
  return { commands, source: `package.json scripts (${runner})` };
}

/** The declared name of a command line, or null when it is not declared. */
export function matchDeclared(commands: DeclaredCommands, commandLine: string): string | null {
  const wanted = normaliseCommand(commandLine);
  for (const [name, line] of Object.entries(commands)) if (line === wanted) return name;
  return null;
}

export function normaliseCommand(line: string): string {
  return line.trim().replace(/[ \t]+/g, " ");
}

function normaliseAll(commands: Record<string, string>): DeclaredCommands {
  return Object.fromEntries(Object.entries(commands).map(([k, v]) => [k, normaliseCommand(v)]));
}

function packageScripts(text: string | null | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as { scripts?: unknown };
    return parsed.scripts && typeof parsed.scripts === "object" ? (parsed.scripts as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function packageManager(rootFiles: string[]): "npm" | "pnpm" | "yarn" {
  if (rootFiles.includes("pnpm-lock.yaml")) return "pnpm";
  if (rootFiles.includes("yarn.lock")) return "yarn";
  return "npm";
}
