import { redactSecrets } from "../util/posted-text.js";

/**
 * The last step of every body Baton posts (comments, reviews, inline
 * comments, pull requests, check runs), applied by the writers themselves,
 * so no call site can forget it:
 *
 * 1. Secrets are redacted (`redactSecrets`): error text quoting an endpoint,
 *    a token or a key never reaches GitHub.
 * 2. Baton's hidden markers (`<!-- baton:<kind> <key> -->`) live only in a
 *    header: the first lines of the body. Every other `<!--` in the body
 *    becomes `&lt;!--`, so no quoted text (a file name, an error message, a
 *    model's answer that slipped past escaping) can open an HTML comment,
 *    hide text or plant a marker. Readers (`headerMarkers`) look in the
 *    header only.
 *
 * Escaping for the markdown context (a table cell, a code span) is the
 * renderer's job (`src/util/posted-text.ts`): only the renderer knows the
 * context. This guard is context-free and holds whatever a renderer did.
 */

// One marker: a kind, a key without `<`, `>` or a line break (the review state's JSON escapes
// them), and the closing `-->`. `[^<>\n]*?` cannot run past the first `>`: linear.
const MARKER = /<!-- baton:([a-z][a-z0-9-]*) ([^<>\n]*?) -->/y;
const SPACE = /[ \t\r\n]*/y;

export interface SplitBody {
  /** The hidden markers at the top of the body, in order. */
  markers: string[];
  /** Everything after them. */
  rest: string;
}

/** The body's header (its leading hidden markers, on one line or several) and the rest. */
export function splitHeader(body: string): SplitBody {
  const markers: string[] = [];
  let pos = 0;
  let end = 0;
  for (;;) {
    SPACE.lastIndex = pos;
    SPACE.exec(body);
    MARKER.lastIndex = SPACE.lastIndex;
    const m = MARKER.exec(body);
    if (!m) break;
    markers.push(m[0]);
    pos = end = MARKER.lastIndex;
  }
  return { markers, rest: body.slice(end).replace(/^[ \t]*\r?\n/, "") };
}

/** The hidden markers in the header of a body Baton wrote; markers anywhere else do not count. */
export function headerMarkers(body: string | null | undefined): string[] {
  return splitHeader(body ?? "").markers;
}

/** `<!--` anywhere becomes `&lt;!--`: shown as text, never a comment. Cannot assemble a new one. */
export function defuseComments(text: string): string {
  return text.split("<!--").join("&lt;!--");
}

/**
 * A body ready to post: secrets redacted, `marker` (when given) first, then
 * the other header markers the body brought, then the content with every
 * `<!--` defused. Deterministic: the same body always gives the same text,
 * so an upsert of an unchanged comment writes nothing.
 */
export function outgoingBody(body: string, marker?: string): string {
  const { markers, rest } = splitHeader(redactSecrets(body));
  const header = [...new Set([...(marker ? [marker] : []), ...markers])];
  const content = defuseComments(rest);
  return header.length ? `${header.join("\n")}\n${content}` : content;
}

/** One-line text that is not markdown (a title, a commit message): secrets redacted. */
export function outgoingPlain(text: string): string {
  return redactSecrets(text);
}
