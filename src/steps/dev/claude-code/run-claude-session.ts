import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { query, type HookCallback, type HookJSONOutput, type SDKMessage, type SDKResultMessage } from "@anthropic-ai/claude-agent-sdk";
import { ZERO_USAGE, type Usage } from "../../../model/model-client.js";
import { claudeSessionEnv, missingCredential } from "./session-env.js";
import { decideToolCall, SESSION_TOOLS, type ToolGate } from "./tool-gate.js";

/**
 * One Claude Code session through the Agent SDK, which runs the real
 * `claude` binary of the SDK's platform package. Baton decides every tool
 * call in a PreToolUse hook (tool-gate.ts): no tool is pre-approved, and
 * with `permissionPrompts: "none"` anything the hook does not allow is
 * refused. `bypassPermissions` is not used (Claude Code refuses it as root,
 * and CI runs as root). `settingSources: []`: the repository's own
 * `.claude/settings.json`, `CLAUDE.md` and MCP servers do not apply, so a
 * repository cannot widen what the session may do (ADR 0015).
 */
export interface SessionRequest {
  /** The checkout the session works in. */
  root: string;
  model: string;
  /** Baton's instructions and the declared context, appended to Claude Code's system prompt. */
  instructions: string;
  /** The first user message. */
  prompt: string;
  maxTurns: number;
  maxBudgetUsd: number;
  gate: ToolGate;
  /** Baton's environment; the session gets an allow-listed part of it (session-env.ts). */
  env: NodeJS.ProcessEnv;
  /** The whole session is stopped after this long. */
  timeoutMs?: number;
  say?: (line: string) => void;
}

export interface CommandRun {
  /** The declared name (`test`, `lint`…), or null for a refused command. */
  name: string | null;
  command: string;
  /** null: refused, or it ended without a known code. */
  exitCode: number | null;
  refused?: string;
}

export interface RefusedCall {
  tool: string;
  /** The path or command line asked for. */
  target: string;
  reason: string;
}

export interface SessionResult {
  finished: boolean;
  /** Why the session ended, in words: "finished", "turn limit reached (…)", … */
  stopReason: string;
  /** The session's last text, its own account of the work. */
  summary: string;
  turns: number;
  usage: Usage;
  /** As Claude Code counts it (what `maxBudgetUsd` is checked against). */
  costUsd: number;
  model: string;
  commands: CommandRun[];
  refused: RefusedCall[];
  /** Repository paths the session's write tools changed. */
  written: string[];
}

const DEFAULT_TIMEOUT_MS = 45 * 60 * 1000;

export async function runClaudeSession(req: SessionRequest): Promise<SessionResult> {
  const missing = missingCredential(req.env);
  if (missing) throw new Error(missing);
  const say = req.say ?? (() => undefined);
  const commands = new Map<string, CommandRun>();
  const refused: RefusedCall[] = [];
  const written = new Set<string>();

  const preToolUse: HookCallback = async (input) => {
    if (input.hook_event_name !== "PreToolUse") return {};
    const d = await decideToolCall(req.gate, input.tool_name, input.tool_input);
    if (d.allow) {
      if (d.kind === "command") {
        commands.set(input.tool_use_id, { name: d.name, command: d.command, exitCode: null });
        say(`session runs: ${d.command}`);
      }
      if (d.kind === "write") say(`session writes: ${d.path}`);
      return decision("allow", "within the dev step's declared boundary");
    }
    const target = d.path ?? d.command ?? "";
    refused.push({ tool: input.tool_name, target, reason: d.reason });
    if (d.kind === "command") commands.set(input.tool_use_id, { name: null, command: d.command ?? "", exitCode: null, refused: d.reason });
    say(`refused ${input.tool_name}${target ? ` ${target}` : ""}: ${d.reason}`);
    return decision("deny", `Baton refused this${target ? ` (${target})` : ""}: ${d.reason}.`);
  };
  const postToolUse: HookCallback = async (input) => {
    if (input.hook_event_name === "PostToolUse") {
      const run = commands.get(input.tool_use_id);
      if (run && input.tool_name === "Bash") run.exitCode = 0;
      const d = await decideToolCall(req.gate, input.tool_name, input.tool_input);
      if (d.allow && d.kind === "write") written.add(d.path);
    } else if (input.hook_event_name === "PostToolUseFailure") {
      const run = commands.get(input.tool_use_id);
      if (run && !run.refused) run.exitCode = exitCodeOf(input.error);
    }
    if (input.hook_event_name === "PostToolUse" || input.hook_event_name === "PostToolUseFailure") {
      const run = commands.get(input.tool_use_id);
      if (run && !run.refused) say(`  exit ${run.exitCode ?? "?"}: ${run.command}`);
    }
    return {};
  };

  const configDir = mkdtempSync(join(tmpdir(), "baton-claude-"));
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let result: SDKResultMessage | null = null;
  let lastText = "";
  try {
    for await (const message of query({
      prompt: req.prompt,
      options: {
        cwd: req.root,
        model: req.model,
        maxTurns: req.maxTurns,
        maxBudgetUsd: req.maxBudgetUsd,
        abortController: abort,
        settingSources: [],
        strictMcpConfig: true,
        mcpServers: {},
        tools: SESSION_TOOLS,
        permissionMode: "default",
        permissionPrompts: "none",
        persistSession: false,
        systemPrompt: { type: "preset", preset: "claude_code", append: req.instructions },
        env: claudeSessionEnv(req.env, configDir),
        hooks: {
          PreToolUse: [{ hooks: [preToolUse], onFailure: "block" }],
          PostToolUse: [{ hooks: [postToolUse] }],
          PostToolUseFailure: [{ hooks: [postToolUse] }],
        },
      },
    })) {
      const text = assistantText(message);
      if (text) lastText = text;
      if (message.type === "result") result = message;
    }
  } catch (err) {
    if (!result) throw abort.signal.aborted ? new Error(`the Claude Code session was stopped after ${Math.round((req.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 60000)} minutes`) : err;
  } finally {
    clearTimeout(timer);
    rmSync(configDir, { recursive: true, force: true });
  }
  if (!result) throw new Error("the Claude Code session ended without a result");
  const { finished, stopReason } = describeStop(result, req);
  return {
    finished,
    stopReason,
    summary: (result.subtype === "success" && !result.is_error ? result.result : "") || lastText,
    turns: result.num_turns,
    usage: usageOf(result),
    costUsd: result.total_cost_usd,
    model: Object.keys(result.modelUsage)[0] ?? req.model,
    commands: [...commands.values()],
    refused,
    written: [...written].sort(),
  };
}

function decision(permissionDecision: "allow" | "deny", reason: string): HookJSONOutput {
  return { hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision, permissionDecisionReason: reason } };
}

/** Claude Code reports a failed command as "Exit code N" followed by its output. */
export function exitCodeOf(error: string): number | null {
  const m = /\bexit code (\d+)/i.exec(error);
  return m ? Number(m[1]) : null;
}

function assistantText(message: SDKMessage): string {
  if (message.type !== "assistant") return "";
  const blocks = message.message.content as { type: string; text?: string }[];
  return blocks
    .filter((b) => b.type === "text" && b.text)
    .map((b) => b.text!)
    .join("\n")
    .trim();
}

/** Finished means: Claude Code ended its turn itself. A cut (max_tokens), a refusal, a limit or an error is not finished. */
function describeStop(result: SDKResultMessage, req: SessionRequest): { finished: boolean; stopReason: string } {
  switch (result.subtype) {
    case "success":
      if (result.is_error) return { finished: false, stopReason: `the session ended on an error: ${result.result.slice(0, 300)}` };
      if (result.stop_reason === "max_tokens") return { finished: false, stopReason: "the model's answer was cut at its output limit (max_tokens)" };
      if (result.stop_reason === "refusal") return { finished: false, stopReason: "the model refused to continue" };
      return { finished: true, stopReason: "finished" };
    case "error_max_turns":
      return { finished: false, stopReason: `turn limit reached (${req.maxTurns} turns, dev.maxTurns)` };
    case "error_max_budget_usd":
      return { finished: false, stopReason: `cost cap reached ($${req.maxBudgetUsd.toFixed(2)}, from budgets.dev)` };
    default:
      return { finished: false, stopReason: `the session stopped: ${result.errors.join("; ").slice(0, 300) || result.subtype}` };
  }
}

function usageOf(result: SDKResultMessage): Usage {
  const usage = { ...ZERO_USAGE };
  for (const m of Object.values(result.modelUsage)) {
    usage.inputTokens += m.inputTokens;
    usage.outputTokens += m.outputTokens;
    usage.cacheReadTokens += m.cacheReadInputTokens;
    usage.cacheWriteTokens += m.cacheCreationInputTokens;
  }
  return usage;
}
