import { headerMarkers } from "../../writer/outgoing-text.js";

/**
 * The findings a review recorded on a pull request, as learning and tracing
 * need them, read from the review state in Baton's summary comment (its
 * header only, see steps/review/review-state.ts for the writer): each
 * finding's id, status (open, resolved, dismissed), and the `lesson` the
 * review gave it, when it did.
 *
 * A small reader of its own, tolerant of both shapes of the state: before
 * findings had a status (every finding then counts as open, without a
 * lesson) and after. When the review state's own reader returns these
 * fields, this one can become a call to it.
 */

export type FindingStatus = "open" | "resolved" | "dismissed";

export interface RecordedFinding {
  /** Short id people use (`/baton dismiss <id>`); the fingerprint's first 8 hex digits when absent. */
  id: string;
  fingerprint: string;
  path: string;
  title: string;
  severity: string;
  status: FindingStatus;
  lesson?: string;
  /** Head commit of the review that reported it. */
  sha?: string;
  /** When it stopped being open: the commit, and who or what closed it ("push", "model", "thread", a login). */
  closedSha?: string;
  closedBy?: string;
}

const STATE_PREFIX = "<!-- baton:review-state ";
const STATE_SUFFIX = " -->";
const SHA = /^[0-9a-f]{7,64}$/i;

export function readRecordedFindings(summaryBody: string): RecordedFinding[] {
  const marker = headerMarkers(summaryBody).find((m) => m.startsWith(STATE_PREFIX));
  if (!marker) return [];
  let data: unknown;
  try {
    data = JSON.parse(marker.slice(STATE_PREFIX.length, -STATE_SUFFIX.length));
  } catch {
    return [];
  }
  const list = typeof data === "object" && data !== null && Array.isArray((data as { findings?: unknown }).findings) ? (data as { findings: unknown[] }).findings : [];
  const out: RecordedFinding[] = [];
  for (const entry of list) {
    if (typeof entry !== "object" || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof e[k] === "string" && (e[k] as string).trim() !== "" ? (e[k] as string) : undefined);
    const fingerprint = str("fingerprint");
    const path = str("path");
    const title = str("title");
    if (!fingerprint || !/^[0-9a-f]{8,64}$/.test(fingerprint) || !path || !title) continue;
    const status = str("status");
    const id = str("id");
    out.push({
      id: id && /^[0-9a-f]{4,16}$/.test(id) ? id : fingerprint.slice(0, 8),
      fingerprint,
      path,
      title,
      severity: str("severity") ?? "medium",
      status: status === "resolved" || status === "dismissed" ? status : "open",
      ...(str("lesson") ? { lesson: str("lesson") } : {}),
      ...(str("sha") && SHA.test(str("sha")!) ? { sha: str("sha") } : {}),
      ...(str("closedSha") && SHA.test(str("closedSha")!) ? { closedSha: str("closedSha") } : {}),
      ...(str("closedBy") ? { closedBy: str("closedBy") } : {}),
    });
  }
  return out;
}
