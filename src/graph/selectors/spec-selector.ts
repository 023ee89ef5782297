import { delimitUntrusted, sanitizeUntrusted } from "../../util/untrusted-text.js";
import type { Selector } from "./selector-context.js";

/** The spec: an issue as of the trigger (untrusted text), or a committed file at the pinned commit. */
export const specSelector: Selector = async (ctx) => {
  const spec = ctx.trigger.spec;
  if (!spec) {
    ctx.notes.push("no spec: the step runs without one");
    return [];
  }
  if (spec.kind === "issue") {
    const body = sanitizeUntrusted(`# ${spec.title}\n\n${spec.body}`);
    return [
      {
        selector: "spec",
        label: `Issue #${spec.number}${spec.pinned ? " as accepted" : ""}: ${sanitizeUntrusted(spec.title)}`,
        // A pinned spec is a committed file: its identity is its blob, like any other file's.
        identity: spec.pinned ? `${spec.pinned.path}@${spec.pinned.sha}` : `issue#${spec.number}@${spec.updatedAt}`,
        text: delimitUntrusted(`issue #${spec.number}`, body),
        truncatable: true,
        trusted: false,
      },
    ];
  }
  if (spec.kind === "text") {
    return [
      {
        selector: "spec",
        label: spec.label,
        identity: `text:${spec.label}`,
        text: delimitUntrusted(spec.label, sanitizeUntrusted(spec.text)),
        truncatable: true,
        trusted: false,
      },
    ];
  }
  const files = await ctx.snapshot.listFiles();
  const entry = files.find((f) => f.path === spec.path);
  const blob = entry ? (await ctx.snapshot.readFiles([spec.path])).get(spec.path) : undefined;
  if (!entry || !blob || blob.text === null) {
    ctx.notes.push(`spec ${spec.path} not found as text at ${ctx.snapshot.commit.slice(0, 12)}`);
    return [];
  }
  return [
    {
      selector: "spec",
      label: `Spec ${spec.path}`,
      identity: `${spec.path}@${entry.sha}`,
      // Committed on the default branch, but still written by people: data, not instructions.
      text: delimitUntrusted(spec.path, sanitizeUntrusted(blob.text)),
      truncatable: true,
      trusted: true,
    },
  ];
};
