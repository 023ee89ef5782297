import type { ServerResponse } from "node:http";
import type { Json } from "./baton-step-answers.js";

/**
 * Writes a Messages API answer as the server-sent events of a streaming
 * response (`stream: true`), the way Claude Code reads it: message_start,
 * one start/delta/stop triple per content block, message_delta with the
 * stop reason and output tokens, message_stop.
 */
export function writeMessageStream(res: ServerResponse, message: Json, headers: Record<string, string>): void {
  res.writeHead(200, { ...headers, "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (event: string, data: Json) => res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  const usage = message.usage as Json;
  send("message_start", { message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } });
  (message.content as Json[]).forEach((block, index) => {
    if (block.type === "tool_use") {
      send("content_block_start", { index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } });
      send("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } });
    } else {
      send("content_block_start", { index, content_block: { type: "text", text: "" } });
      send("content_block_delta", { index, delta: { type: "text_delta", text: String(block.text ?? "") } });
    }
    send("content_block_stop", { index });
  });
  send("message_delta", { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  send("message_stop", {});
  res.end();
}
