import { isAbsolute, relative, resolve, sep } from "node:path";
import { checkPathOnDisk, type PathPolicy } from "../../../policy/path-policy.js";
import { matchDeclared, normaliseCommand, type DeclaredCommands } from "./declared-commands.js";

/**
 * The PreToolUse decision for every tool call of a Claude Code dev session.
 * Nothing is approved by a bare tool list: each call is decided here, and
 * anything not decided is refused.
 *
 * - reads (`Read`, `Grep`, `Glob`): only inside the checkout, never `.git/`;
 * - writes (`Write`, `Edit`, `MultiEdit`, `NotebookEdit`): only where the
 *   path policy (src/policy/path-policy.ts) allows, checked on disk (no
 *   symbolic link, no submodule, the real path inside the checkout);
 * - `Bash`: only a declared command line, in the foreground;
 * - every other tool: refused.
 */
export const READ_TOOLS = ["Read", "Grep", "Glob"] as const;
export const WRITE_TOOLS = ["Write", "Edit", "MultiEdit", "NotebookEdit"] as const;
/** The tools the session is given at all; the gate still decides each call. */
export const SESSION_TOOLS = [...READ_TOOLS, ...WRITE_TOOLS, "Bash"];

export type GateDecision =
  | { allow: true; kind: "read" }
  | { allow: true; kind: "write"; path: string }
  | { allow: true; kind: "command"; command: string; name: string }
  | { allow: false; kind: "read" | "write" | "command" | "other"; reason: string; path?: string; command?: string };

export interface ToolGate {
  root: string;
  policy: PathPolicy;
  commands: DeclaredCommands;
}

type Input = Record<string, unknown>;

function str(input: Input, key: string): string | undefined {
  const v = input[key];
  return typeof v === "string" ? v : undefined;
}

export async function decideToolCall(gate: ToolGate, tool: string, rawInput: unknown): Promise<GateDecision> {
  const input: Input = rawInput && typeof rawInput === "object" ? (rawInput as Input) : {};
  if ((READ_TOOLS as readonly string[]).includes(tool)) {
    const named = str(input, "file_path") ?? str(input, "path");
    if (named === undefined) return { allow: true, kind: "read" };
    const path = repoPathOf(gate.root, named);
    if (path === null && named !== gate.root && named !== ".") return { allow: false, kind: "read", reason: "reads stay inside the checkout", path: named };
    if (path !== null && path.split("/").some((s) => s.toLowerCase() === ".git")) return { allow: false, kind: "read", reason: ".git/ is not part of the work", path };
    return { allow: true, kind: "read" };
  }
  if ((WRITE_TOOLS as readonly string[]).includes(tool)) {
    const named = str(input, "file_path") ?? str(input, "notebook_path");
    if (!named) return { allow: false, kind: "write", reason: "no file path given" };
    const path = repoPathOf(gate.root, named);
    if (path === null) return { allow: false, kind: "write", reason: "outside the checkout", path: named };
    const decision = await checkPathOnDisk(gate.root, path, gate.policy);
    return decision.allowed ? { allow: true, kind: "write", path } : { allow: false, kind: "write", reason: reasonOnly(decision), path };
  }
  if (tool === "Bash") {
    const command = normaliseCommand(str(input, "command") ?? "");
    if (input.run_in_background === true) return { allow: false, kind: "command", reason: "commands run in the foreground only", command };
    const name = matchDeclared(gate.commands, command);
    if (name === null) {
      const declared = Object.values(gate.commands);
      return { allow: false, kind: "command", reason: declared.length ? `not a declared command (declared: ${declared.join(" | ")})` : "this repository declares no command (dev.commands)", command };
    }
    return { allow: true, kind: "command", command, name };
  }
  return { allow: false, kind: "other", reason: `${tool} is not available to Baton's dev session` };
}

/** A path the session named (absolute, or relative to the checkout) as a repository path, or null when it is outside the checkout. */
export function repoPathOf(root: string, named: string): string | null {
  const full = isAbsolute(named) ? resolve(named) : resolve(root, named);
  const rel = relative(root, full);
  if (!rel || rel.startsWith("..") || isAbsolute(rel)) return null;
  return rel.split(sep).join("/");
}

/** The policy's reason without the path it starts with (the path is shown beside it). */
export function reasonOnly(decision: { path: string; reason: string }): string {
  return decision.reason.startsWith(`${decision.path}: `) ? decision.reason.slice(decision.path.length + 2) : decision.reason;
}
