import { createHash } from "node:crypto";
import { structuredPatch } from "diff";
import YAML from "yaml";
import { sanitizeUntrusted } from "../../util/untrusted-text.js";

/**
 * The spec as accepted. When an ADR that answers an issue is accepted, the
 * issue's title and body at that moment are committed next to it, in
 * `<specs folder>/pinned/issue-<N>.md`, with where they came from:
 *
 *     ---
 *     pinned-spec: "#12"
 *     title: Add a user search endpoint
 *     updated-at: 2026-11-24T09:30:00Z
 *     sha256: 5d41…            # of "# <title>\n\n<body>", as GitHub gave them
 *     url: https://github.com/acme/widgets/issues/12
 *     adr: docs/adr/0002-add-a-user-search-endpoint.md
 *     accepted: 2026-11-25
 *     ---
 *     <the body, byte for byte>
 *
 * The dev step builds from this text, not from the issue as it is when the
 * job runs; an edit made to the issue after acceptance is shown as a
 * difference and not followed. The file is the team's to change (by a pull
 * request) when they want the edit built.
 */

export interface PinnedSpec {
  issue: number;
  title: string;
  body: string;
  /** The issue's `updated_at` when it was pinned. */
  updatedAt: string;
  /** SHA-256 of `# <title>\n\n<body>`, as recorded when pinned. */
  sha256: string;
  url?: string;
  adr?: string;
  accepted?: string;
}

export function pinnedSpecPath(pinnedFolder: string, issue: number): string {
  return `${pinnedFolder.replace(/\/+$/, "")}/issue-${issue}.md`;
}

/** The identity of a spec's text: what changes when the title or the body does (not when labels or comments do). */
export function specTextHash(title: string, body: string): string {
  return createHash("sha256").update(`# ${title}\n\n${body}`, "utf8").digest("hex");
}

export function renderPinnedSpec(spec: Omit<PinnedSpec, "sha256">): string {
  const meta: Record<string, unknown> = {
    "pinned-spec": `#${spec.issue}`,
    title: spec.title,
    "updated-at": spec.updatedAt,
    sha256: specTextHash(spec.title, spec.body),
    ...(spec.url ? { url: spec.url } : {}),
    ...(spec.adr ? { adr: spec.adr } : {}),
    ...(spec.accepted ? { accepted: spec.accepted } : {}),
  };
  return `---\n${YAML.stringify(meta, { lineWidth: 0 })}---\n${spec.body}`;
}

/** Reads a pinned spec back; null when the text is not one (no `pinned-spec` front matter). Never throws. */
export function parsePinnedSpec(text: string): PinnedSpec | null {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) return null;
  let meta: unknown;
  try {
    meta = YAML.parse(m[1] ?? "");
  } catch {
    return null;
  }
  if (typeof meta !== "object" || meta === null) return null;
  const data = meta as Record<string, unknown>;
  const issue = /^#?(\d+)$/.exec(String(data["pinned-spec"] ?? ""))?.[1];
  if (!issue) return null;
  const str = (key: string): string | undefined => (typeof data[key] === "string" ? (data[key] as string) : data[key] instanceof Date ? (data[key] as Date).toISOString() : undefined);
  const body = text.slice(m[0].length);
  const title = str("title") ?? "";
  return {
    issue: Number(issue),
    title,
    body,
    updatedAt: str("updated-at") ?? "",
    sha256: str("sha256") ?? specTextHash(title, body),
    ...(str("url") ? { url: str("url") } : {}),
    ...(str("adr") ? { adr: str("adr") } : {}),
    ...(str("accepted") ? { accepted: str("accepted") } : {}),
  };
}

/** How far a diff of an edited spec may go before it is summed up instead of shown. */
const MAX_EDIT_LENGTH = 2_000;

export interface SpecDrift {
  /** A unified diff of the pinned text against the issue now; null when too different to show. */
  patch: string | null;
  pinnedUpdatedAt: string;
  nowUpdatedAt: string;
}

/**
 * The difference between the spec as pinned and the issue as it is now, or
 * null when the text is the same (a label or a comment changes `updated_at`,
 * not the spec).
 */
export function specDrift(pinned: PinnedSpec, now: { title: string; body: string; updatedAt: string }): SpecDrift | null {
  if (specTextHash(pinned.title, pinned.body) === specTextHash(now.title, now.body)) return null;
  // Shown as the model reads a spec: hidden markup (HTML comments, invisible characters) removed,
  // so the posted difference carries none of it either.
  const asText = (title: string, body: string) => `${sanitizeUntrusted(`# ${title}\n\n${body}`)}\n`;
  const patch = structuredPatch(`issue #${pinned.issue} as accepted`, `issue #${pinned.issue} now`, asText(pinned.title, pinned.body), asText(now.title, now.body), undefined, undefined, {
    context: 2,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  const lines = patch ? patch.hunks.flatMap((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines]) : null;
  const shown = lines === null ? null : lines.length > 0 ? lines.join("\n") : "(only hidden text changed: HTML comments or invisible characters)";
  return { patch: shown, pinnedUpdatedAt: pinned.updatedAt, nowUpdatedAt: now.updatedAt };
}
