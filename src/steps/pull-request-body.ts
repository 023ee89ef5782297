import type { ResolvedContext } from "../graph/resolve-context.js";

/**
 * Trailers link artifacts in the artifacts themselves (the repository is the
 * database): a PR or commit says which step made it, from which spec and ADR,
 * at which commit of the context.
 */
export function stepTrailers(stepId: string, context: ResolvedContext, links: { spec?: string | null; adr?: string | null; issue?: number | null }): string {
  const lines = [`Baton-Step: ${stepId}@${context.step.version}`, `Baton-Context: ${context.manifest.commit}`];
  if (links.spec) lines.push(`Baton-Spec: ${links.spec}`);
  if (links.adr) lines.push(`Baton-ADR: ${links.adr}`);
  if (links.issue) lines.push(`Baton-Issue: #${links.issue}`);
  return lines.join("\n");
}

/** ADR links a PR body carries: `Baton-ADR: docs/adr/0012-x.md` trailers and `ADR 12` / `ADR-0012` mentions. */
export function adrLinksFromText(text: string): (number | string)[] {
  const out: (number | string)[] = [];
  for (const m of text.matchAll(/^Baton-ADR:\s*(\S+)\s*$/gim)) out.push(m[1]!);
  for (const m of text.matchAll(/\bADR[\s-]?0*(\d{1,5})\b/g)) {
    const n = Number(m[1]);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}
