import { posix } from "node:path";
import { textOf, toolUse, type Json } from "./baton-step-answers.js";

/**
 * A scripted Claude Code session, for the fake Anthropic endpoint: one step
 * per model turn. Claude Code resends the whole conversation on every call,
 * so the turn is the number of assistant messages in the request; a retried
 * call (Claude Code falls back from streaming to a plain request when a
 * stream fails) gets the same answer. Paths are repository-relative here and
 * made absolute against the session's working directory, which Claude Code
 * states in its first message.
 */
export type ScriptStep =
  | { read: string }
  | { write: string; content: string }
  | { edit: string; old: string; new: string }
  | { bash: string }
  /** A turn with text only: the session ends (`end_turn`), or is cut (`max_tokens`) or refused (`refusal`). */
  | { text: string; stop?: "end_turn" | "max_tokens" | "refusal" };

/** What a scripted turn answers: content blocks and a stop reason. */
export interface ScriptedAnswer {
  content: Json[];
  stopReason: string;
}

/** The tool results the last user message carried back, as the model sees them. */
export interface SeenToolResult {
  toolUseId: string;
  content: string;
  isError: boolean;
}

/** The working directory Claude Code announces in its environment reminder. */
export function sessionCwd(messages: Json[]): string | null {
  for (const m of messages.slice(0, 4)) {
    const found = /Primary working directory:\s*(\S+)/.exec(textOf(m.content))?.[1];
    if (found) return found;
  }
  return null;
}

export function toolResultsOf(message: Json | undefined): SeenToolResult[] {
  if (!message || !Array.isArray(message.content)) return [];
  return (message.content as Json[])
    .filter((b) => b.type === "tool_result")
    .map((b) => ({ toolUseId: String(b.tool_use_id), content: textOf(b.content), isError: b.is_error === true }));
}

export function answerScriptedTurn(script: ScriptStep[], messages: Json[]): ScriptedAnswer {
  const turn = messages.filter((m) => m.role === "assistant").length;
  const step = script[turn] ?? { text: "Done: the change is in place and the tests were run." };
  const cwd = sessionCwd(messages) ?? "/";
  const abs = (p: string) => posix.resolve(cwd, p);
  // The same id on a retry of the same turn.
  const id = `toolu_script_${turn}`;
  if ("read" in step) return used(toolUse("Read", { file_path: abs(step.read) }, id));
  if ("write" in step) return used(toolUse("Write", { file_path: abs(step.write), content: step.content }, id));
  if ("edit" in step) return used(toolUse("Edit", { file_path: abs(step.edit), old_string: step.old, new_string: step.new }, id));
  if ("bash" in step) return used(toolUse("Bash", { command: step.bash, description: "Run a declared command" }, id));
  return { content: [{ type: "text", text: step.text }], stopReason: step.stop ?? "end_turn" };
}

function used(block: Json): ScriptedAnswer {
  return { content: [block], stopReason: "tool_use" };
}
