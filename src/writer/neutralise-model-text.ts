import { sanitizeUntrusted } from "../util/untrusted-text.js";

/**
 * Model output is untrusted before it reaches GitHub: it must not forge
 * Baton's hidden markers, hide text in HTML comments, or ping people.
 */
export function neutraliseModelText(text: string): string {
  return sanitizeUntrusted(text)
    .replace(/<!--[\s\S]*?(-->|$)/g, "")
    .replace(/(^|[^\w`])@([A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\/[A-Za-z0-9._-]+)?)/g, "$1`@$2`")
    .trim();
}
