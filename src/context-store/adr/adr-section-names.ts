/** Section headings as names, shared by both tiers of the ADR reader. */

/**
 * A heading as a section name (`## 2. Status` → "status"; `## Status: Accepted`
 * → "status" with "Accepted" inline), or null when it is a sentence rather
 * than a name. Shared with the fast tier.
 */
export function sectionName(title: string): { name: string; inline: string } | null {
  const clean = title
    .slice(0, 200)
    .replace(/[\p{Extended_Pictographic}\ufe0f\u200d]/gu, "")
    .replace(/^\d+(?:\.\d+)*[.)]?\s+/, "")
    .trim();
  const m = /^([\p{L}][\p{L} ]{0,30}?)\s*(?:[:：]\s*(.*))?$/su.exec(clean);
  return m ? { name: (m[1] ?? "").toLowerCase().replace(/\s+/g, " "), inline: (m[2] ?? "").trim() } : null;
}

/** `## Module guidance` and the ways teams spell it. */
export function isGuidanceHeading(title: string): boolean {
  return GUIDANCE_HEADING.test(title.replace(/[:.]\s*$/, ""));
}

/** A `### <module>` heading's module name. */
export function guidanceModuleName(title: string): string {
  return title.replace(/^`|`$/g, "").trim();
}

const GUIDANCE_HEADING = /^(?:module[-\s]*(?:specific\s+)?guidance|guidance\s+(?:per|by|for)\s+modules?)$/i;
