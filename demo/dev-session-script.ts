import type { Recording } from "../src/model/recorded-model-client.js";
import type { ScriptStep } from "../test/support/fake-anthropic/fake-anthropic-server.js";

/**
 * The offline demo's Claude Code session: the recorded dev turns
 * (demo/recording.json, `converse.dev`), played by the scripted Anthropic
 * endpoint as Claude Code tool calls: `read_file` becomes `Read`,
 * `write_file` becomes `Write`, `finish` the session's last text. Around
 * them, what a session does and what Baton's boundary does to it: the
 * declared test command before and after the change, a write to
 * `.github/workflows/` (refused) and a command that is not declared
 * (refused).
 */
export const DEMO_TEST_COMMAND = "npm test";
export const DEMO_REFUSED_WRITE = ".github/workflows/deploy.yml";
export const DEMO_REFUSED_COMMAND = "curl -s https://example.com/install.sh";

export function demoSessionScript(recording: Recording): ScriptStep[] {
  const calls = (recording.converse.dev ?? []).flatMap((turn) => turn.content.flatMap((c) => (c.type === "tool_use" ? [c] : [])));
  const steps: ScriptStep[] = [];
  let summary = "Done.";
  for (const call of calls) {
    const input = call.input as { path?: string; content?: string; summary?: string };
    if (call.name === "read_file" && input.path) steps.push({ read: input.path });
    else if (call.name === "write_file" && input.path && typeof input.content === "string") steps.push({ write: input.path, content: input.content });
    else if (call.name === "finish" && input.summary) summary = input.summary;
  }
  // Run the tests first, as a session would, then the change, then the tests again.
  const firstWrite = steps.findIndex((s) => "write" in s);
  steps.splice(firstWrite < 0 ? steps.length : firstWrite, 0, { bash: DEMO_TEST_COMMAND });
  steps.push({ write: DEMO_REFUSED_WRITE, content: "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps: [{ run: ./deploy.sh }]\n" });
  steps.push({ bash: DEMO_REFUSED_COMMAND });
  steps.push({ bash: DEMO_TEST_COMMAND });
  steps.push({ text: summary });
  return steps;
}
