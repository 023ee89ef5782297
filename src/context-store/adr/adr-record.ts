/**
 * What Baton knows about one ADR file, whatever style it was written in.
 * Plain data: produced by the reader, consumed by the graph, the index and the CLI.
 */
export type AdrStatus = "proposed" | "accepted" | "rejected" | "deprecated" | "superseded" | "other" | "unknown";

export interface AdrSection {
  /** Heading text as written (e.g. "Context and Problem Statement"). */
  heading: string;
  /** Heading depth (2 for `##`, 3 for `###`). */
  depth: number;
  /** Markdown body of the section, without its heading, trimmed. */
  body: string;
}

/** A problem met while reading an ADR, where it is in the file (1-based), for `baton lint`. */
export interface AdrProblem {
  /** Errors make the graph wrong (unclosed front matter, a misspelt status); warnings are odd but readable. */
  level: "error" | "warning";
  message: string;
  line: number;
  column: number;
}

/**
 * What every ADR is known by: read for every file by the fast tier (a
 * linear scan), and by the full tier too, which agrees on every field.
 */
export interface AdrMetadata {
  /** Path relative to the ADR folder (e.g. `0001-record-decisions.md`). */
  file: string;
  number: number | null;
  title: string;
  status: AdrStatus;
  /** The status text as written, before normalisation (e.g. "Superseded by [3](0003-x.md)"). */
  rawStatus: string | null;
  supersededBy: number[];
  supersedes: number[];
  /** `YYYY-MM-DD` or null. */
  date: string | null;
  /** Module names from front matter `modules:` or from `### <module>` under `## Module guidance`. */
  modules: string[];
  /** The spec this ADR answers (front matter `spec:`: a path such as `docs/specs/x.md` or `#12`). */
  spec: string | null;
}

/** The full reading of an ADR (remark, in the bounded worker): for ADRs that enter a context, and for lint. */
export interface AdrRecord extends AdrMetadata {
  sections: AdrSection[];
  /** Module name → guidance markdown, from `## Module guidance` / `### <module>`. */
  guidance: Record<string, string>;
  /** The messages of `problems`, for display; never thrown. */
  warnings: string[];
  /** Problems met while reading, with their place in the file. Optional for records built by hand. */
  problems?: AdrProblem[];
}
