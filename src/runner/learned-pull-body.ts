import type { CarriedPitfalls } from "../context-store/pitfalls/carry-pitfall-entries.js";
import type { Lesson, ModulePlan } from "../steps/learning/learned-pitfalls.js";
import { escapeMarkdownInline, inlineCode } from "../util/posted-text.js";

/**
 * The body of a learning pull request ("Pitfalls learned from #N", `/baton
 * remember`), and how it is revised when the pull request is brought up to
 * date with the default branch (ADR 0020): the body is what a reviewer reads
 * before merging, so an entry the default branch learned meanwhile must not
 * still be listed as new there.
 */

/** One line per entry: `- new: <title> (`id`), from …`; the id in a code span is how a revision finds the line again. */
export function learnedBody(pr: { number: number }, plans: ModulePlan[], leftOut: string[], trailer: string): string {
  const lines = [`What #${pr.number} taught, as pitfalls: the lessons of the review findings it fixed before merging, and the \`/baton remember\` lessons given on it.`, ""];
  const cite = (l: Lesson) => (l.source.finding ? `finding ${inlineCode(l.source.finding)}${l.about ? ` (${escapeMarkdownInline(l.about)})` : ""}` : `[\`/baton remember\`](${l.source.url})`);
  for (const p of plans) {
    if (p.added.length + p.merged.length + p.known.length === 0) continue;
    lines.push(`**${inlineCode(p.path)}**`, "");
    for (const a of p.added) lines.push(`- new: ${escapeMarkdownInline(a.title)} (${inlineCode(a.id)}), from ${cite(a.lesson)}`);
    for (const m of p.merged) lines.push(`- merged into ${escapeMarkdownInline(m.title)} (${inlineCode(m.id)}): it says nearly the same; #${pr.number} is added where it was learned, from ${cite(m.lesson)}`);
    for (const k of p.known) lines.push(`- already recorded: ${escapeMarkdownInline(k.title)} (${inlineCode(k.id)})`);
    if (p.overCap) {
      lines.push("", `${inlineCode(p.path)} now has ${p.overCap.count} entries, past the cap of ${p.overCap.cap} (\`learning.maxEntriesPerModule\`). To keep it readable, consider merging its oldest entries into one:`, ...p.overCap.oldest.map((o) => `  - [ ] ${escapeMarkdownInline(o.title)} (${inlineCode(o.id)}${o.date ? `, ${escapeMarkdownInline(o.date)}` : ""})`));
    }
    lines.push("");
  }
  if (leftOut.length) lines.push("**Left out**", "", ...leftOut.map((r) => `- ${escapeMarkdownInline(r)}`), "");
  lines.push("Once merged, the dev and review steps read these entries for their modules.", "", trailer);
  return lines.join("\n");
}

/**
 * The body once the pull request carries its entries after the default
 * branch's: each entry the default branch already holds is struck through
 * and says why; each now folded into an entry of the default branch says
 * which. Lines already revised start with `- ~~` and are left as they are,
 * so a second update changes nothing. Every other line, including what a
 * person may have added, is kept.
 */
export function reviseLearnedBody(body: string, carried: readonly CarriedPitfalls[], defaultBranch: string): string {
  const notes = new Map<string, string>();
  for (const c of carried) {
    for (const d of c.dropped) notes.set(inlineCode(d.id), d.gone ? "left out: the entry it extends is no longer on the default branch" : `left out: already learned${d.learnedIn !== null ? ` in #${d.learnedIn}` : ""}, on ${inlineCode(defaultBranch)}`);
    for (const m of c.merged) notes.set(inlineCode(m.id), `now added where ${escapeMarkdownInline(m.into.title)} (${inlineCode(m.into.id)}) on ${inlineCode(defaultBranch)} was learned`);
  }
  if (notes.size === 0) return body;
  return body
    .split("\n")
    .map((line) => {
      const entry = /^- (new: |merged into )/.exec(line);
      if (!entry) return line;
      const id = [...notes.keys()].find((code) => line.includes(`(${code})`));
      return id ? `- ~~${line.slice(2)}~~ ${notes.get(id)}` : line;
    })
    .join("\n");
}
