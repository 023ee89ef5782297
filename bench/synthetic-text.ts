import { renderAdr, type AdrDraft, type AdrDraftStatus } from "../src/context-store/adr/write-adr.js";
import { pitfallId } from "../src/context-store/pitfalls/pitfall-entry.js";
import { appendPitfall, pitfallTitle, renderPitfallEntry } from "../src/context-store/pitfalls/write-pitfalls.js";
import type { NewPitfall } from "../src/context-store/pitfalls/pitfall-entry.js";

/**
 * The text of the synthetic repository's ADRs and pitfall files, exactly as
 * Baton's own writers (`renderAdr`, `appendPitfall`) produce it.
 *
 * Those writers parse markdown several times per call (28 ms per ADR, 55 ms
 * per appended pitfall on the benchmark machine): 5,000 ADRs would take
 * minutes. So each *shape* of document is rendered once by the real writer
 * with sentinel tokens (`zqw0zq`, `900000001`, …) in place of the values, and
 * every document of that shape is that rendering with the values put back.
 * Values are plain words and numbers, which the writers pass through
 * unchanged, so the result is byte-for-byte what the writer would return:
 * `test/bench/synthetic-repo.test.ts` checks it against the real writers.
 */

export const WORD_SLOTS = 8;
export const NUMBER_SLOTS = 4;

export type AdrSpecKind = "none" | "issue" | "file";

/** What decides the structure of an ADR's text; everything else is a value. */
export interface AdrShape {
  /** Which paragraph arrangement (0..ADR_VARIANTS-1). */
  variant: number;
  moduleCount: number;
  spec: AdrSpecKind;
  supersedes: boolean;
  supersededBy: boolean;
}

export const ADR_VARIANTS = 4;

export interface AdrValues {
  number: number;
  title: string;
  status: AdrDraftStatus;
  /** `YYYY-MM-DD`. */
  date: string;
  modules: string[];
  /** Issue number for spec "issue", slug for spec "file". */
  spec: string | null;
  supersedes: number | null;
  supersededBy: number | null;
  /** Plain words (no markdown punctuation), WORD_SLOTS of them. */
  words: string[];
  /** Plain integers as text, NUMBER_SLOTS of them. */
  numbers: string[];
}

/** Word, number and module slots in the text templates below. */
function slots(text: string, v: { modules?: string[]; words: string[]; numbers: string[] }): string {
  return text.replace(/zq([mwn])(\d)zq/g, (match, kind: string, index: string) => {
    const i = Number(index);
    const list = kind === "m" ? v.modules : kind === "w" ? v.words : v.numbers;
    return list?.[i] ?? match;
  });
}

const SENTENCES = [
  "The zqm0zq module calls zqw0zq on every request, and at zqn0zq requests per second the p99 latency reached zqn1zq ms.",
  "Teams owning zqm0zq asked for a single way to handle zqw1zq, because three competing implementations drifted apart over the last year.",
  "Operations reported zqn2zq incidents in the last quarter where zqw2zq failed silently and `zqw3zq` kept retrying without a bound.",
  "We want the decision to hold for the next two years, to be cheap to operate, and to keep the migration path from zqw4zq open.",
  "The current approach couples zqm0zq to the storage schema of its neighbours, so every change needs a coordinated release.",
  "Any option must keep the public API of zqm0zq stable; clients outside the organisation depend on it and upgrade slowly.",
  "Costs were estimated at zqn3zq engineer-days, most of it in data migration and in updating dashboards and alerts.",
  "See the [runbook](https://wiki.example.com/runbooks/zqw5zq) for how the service behaves today under partial failure.",
];

const DECISIONS = [
  "Chosen option: zqw0zq, because it is the only option that meets the latency goal without new infrastructure, and the team already runs it in production.",
  "We adopt zqw1zq for zqm0zq and keep zqw2zq only as a read-only fallback for one release, after which it is removed.",
  "Chosen option: a thin adapter over zqw4zq owned by zqm0zq, so that the other modules depend on an interface, not on the vendor.",
  "We keep zqw3zq but put it behind an explicit queue with bounded retries and idempotency keys, measured by a new dashboard.",
];

const CONSEQUENCES = [
  "Good, because request handling in zqm0zq becomes predictable under load",
  "Good, because one implementation replaces three, which halves the code to maintain",
  "Bad, because zqw1zq is one more component to operate, upgrade and monitor",
  "Bad, because the migration needs a dual-write period of about zqn0zq days",
  "Neutral, because the public API does not change for existing clients",
];

function paragraph(variant: number, offset: number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(SENTENCES[(variant * 3 + offset + i) % SENTENCES.length] ?? "");
  return out.join(" ");
}

/** The ADR draft of a shape with the given values: sentinels when rendering a template, real values otherwise. */
export function adrDraft(shape: AdrShape, v: AdrValues): AdrDraft {
  const variant = shape.variant % ADR_VARIANTS;
  const modules = v.modules.slice(0, shape.moduleCount);
  const text = (template: string) => slots(template, { modules, words: v.words, numbers: v.numbers });
  const guidance: Record<string, string> = {};
  modules.forEach((module, i) => {
    const w = (n: number) => `zqw${(i + n) % WORD_SLOTS}zq`;
    guidance[module] = text(
      [
        `In ${module}, route every use of ${w(0)} through the adapter; do not call it directly from handlers.`,
        "",
        `- Keep ${w(1)} calls idempotent and bounded in time.`,
        `- Record the decision in the module README when ${w(2)} changes.`,
        i === 0 ? `- Add a contract test for ${w(3)} before the next release.` : "- Coordinate releases with zqm0zq.",
      ].join("\n"),
    );
  });
  return {
    number: v.number,
    title: v.title,
    status: v.status,
    date: v.date,
    modules,
    spec: shape.spec === "none" ? null : shape.spec === "issue" ? `#${v.spec}` : `docs/specs/${v.spec}.md`,
    supersedes: shape.supersedes && v.supersedes !== null ? [v.supersedes] : [],
    supersededBy: shape.supersededBy && v.supersededBy !== null ? [v.supersededBy] : [],
    context: text(`${paragraph(variant, 0, 3)}\n\n${paragraph(variant, 3, 2)}${variant % 2 === 1 ? `\n\n${paragraph(variant, 4, 3)}` : ""}`),
    options: [
      { name: text("zqw0zq"), description: text(paragraph(variant, 5, 1)) },
      { name: text("zqw1zq"), description: text(`Widely used in the organisation; needs a new cluster. ${paragraph(variant, 2, 1)}`) },
      { name: "Keep the current approach" },
    ],
    decision: text(`${DECISIONS[variant] ?? ""}\n\n${paragraph(variant, 6, 2)}`),
    consequences: CONSEQUENCES.slice(0, 3 + (variant % 3)).map(text),
    guidance,
  };
}

function adrSentinels(shape: AdrShape): AdrValues {
  return {
    number: 4242,
    title: "zqtitlezq",
    status: "accepted",
    date: "2099-12-31",
    modules: Array.from({ length: shape.moduleCount }, (_, i) => `zqm${i}zq`),
    spec: shape.spec === "issue" ? "900000003" : shape.spec === "file" ? "zqspeczq" : null,
    supersedes: 900000001,
    supersededBy: 900000002,
    words: Array.from({ length: WORD_SLOTS }, (_, i) => `zqw${i}zq`),
    numbers: Array.from({ length: NUMBER_SLOTS }, (_, i) => `zqn${i}zq`),
  };
}

/** Put the values back in a template rendered from sentinel values (one pass: values are never rescanned). */
function fillAdr(template: string, v: AdrValues): string {
  const text = template.replace(/zq(title|spec|[mwn])(\d?)zq|90000000([1-3])|2099-12-31/g, (match, key: string | undefined, index: string, numbered: string | undefined) => {
    if (numbered === "1") return String(v.supersedes);
    if (numbered === "2") return String(v.supersededBy);
    if (numbered === "3") return String(v.spec);
    if (match === "2099-12-31") return v.date;
    if (key === "title") return v.title;
    if (key === "spec") return String(v.spec);
    const list = key === "m" ? v.modules : key === "w" ? v.words : v.numbers;
    return list[Number(index)] ?? match;
  });
  return v.status === "accepted" ? text : text.replace("---\nstatus: accepted\n", `---\nstatus: ${v.status}\n`);
}

/** Renders ADRs as `renderAdr` does, one real render per shape. */
export class AdrRenderer {
  private readonly templates = new Map<string, string>();

  render(shape: AdrShape, values: AdrValues): string {
    const key = `${shape.variant}|${shape.moduleCount}|${shape.spec}|${shape.supersedes}|${shape.supersededBy}`;
    let template = this.templates.get(key);
    if (template === undefined) {
      template = renderAdr(adrDraft(shape, adrSentinels(shape)));
      this.templates.set(key, template);
    }
    return fillAdr(template, values);
  }

  /** Real renders made so far. */
  get shapes(): number {
    return this.templates.size;
  }
}

// ------------------------------------------------------------------ pitfalls

const LESSONS = [
  "Retries of zqw0zq calls need an idempotency key, otherwise the `client` sends the POST twice when the upstream times out after zqn0zq s.",
  "Do not read zqw1zq configuration at import time: tests and workers load the module before the environment is set.",
  "Pagination of zqw2zq results must use the cursor, not the offset; rows inserted during the scan were skipped.",
  "Timestamps from zqw3zq are in local time; convert them to UTC at the boundary, never in the handlers.",
  "A migration that adds a NOT NULL column to zqw4zq tables must backfill first; the deploy locked the table for zqn1zq minutes.",
  "Feature flags for zqw5zq are cached for zqn2zq seconds; a kill switch needs the cache bypass header.",
];

const WHYS = ["A customer can be charged twice.", "The outage lasted until the next deploy.", "Reports were silently wrong for a week."];

export const PITFALL_VARIANTS = LESSONS.length;

export interface PitfallValues {
  words: string[];
  numbers: string[];
  pr: number;
  comment: number;
  date: string;
}

/** The `NewPitfall` an entry is written from (what `/baton remember` would pass). */
export function pitfallEntry(variant: number, v: PitfallValues): NewPitfall {
  const lesson = slots(LESSONS[variant % LESSONS.length] ?? "", v);
  return {
    lesson,
    title: pitfallTitle(lesson),
    why: WHYS[variant % WHYS.length] ?? null,
    source: { url: `https://github.com/acme/shop/pull/${v.pr}#discussion_r${v.comment}` },
    date: v.date,
  };
}

const PITFALL_SENTINELS: PitfallValues = {
  words: Array.from({ length: WORD_SLOTS }, (_, i) => `zqw${i}zq`),
  numbers: Array.from({ length: NUMBER_SLOTS }, (_, i) => `zqn${i}zq`),
  pr: 900000001,
  comment: 900000002,
  date: "2099-12-31",
};

/** Renders pitfall files as a chain of `appendPitfall` calls would, one real render per lesson variant. */
export class PitfallRenderer {
  private readonly templates = new Map<number, { text: string; id: string }>();
  private header: string | undefined;

  renderFile(module: string, entries: Array<{ variant: number; values: PitfallValues }>): string {
    if (this.header === undefined) {
      const first = pitfallEntry(0, PITFALL_SENTINELS);
      const created = appendPitfall(null, "zqmodzq", first).content;
      this.header = created.slice(0, created.length - renderPitfallEntry(first).text.length - 1).trimEnd();
    }
    const parts = [this.header.replace(/zqmodzq/g, module)];
    for (const { variant, values } of entries) parts.push(this.renderEntry(variant, values));
    return `${parts.join("\n\n")}\n`;
  }

  private renderEntry(variant: number, v: PitfallValues): string {
    let template = this.templates.get(variant);
    if (template === undefined) {
      const entry = pitfallEntry(variant, PITFALL_SENTINELS);
      // A sentinel title: the real one is derived from the real lesson.
      template = { text: renderPitfallEntry({ ...entry, title: "zqtitlezq" }).text, id: pitfallId(entry.lesson) };
      this.templates.set(variant, template);
    }
    const real = pitfallEntry(variant, v);
    const id = pitfallId(real.lesson);
    return template.text.split(template.id).join(id).replace(/zq(title|[wn])(\d?)zq|90000000([12])|2099-12-31/g, (match, key: string | undefined, index: string, numbered: string | undefined) => {
      if (numbered === "1") return String(v.pr);
      if (numbered === "2") return String(v.comment);
      if (match === "2099-12-31") return v.date;
      if (key === "title") return real.title ?? "";
      const list = key === "w" ? v.words : v.numbers;
      return list[Number(index)] ?? match;
    });
  }
}
