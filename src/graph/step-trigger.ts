import type { DiffFile } from "../steps/review/diff-files.js";

/** Where a step's spec comes from: an issue as of the trigger, or a committed file. */
export type SpecRef =
  /** `pinned`: the title and body are the as accepted, from this committed file (see context-store/specs/pinned-spec.ts). */
  | { kind: "issue"; number: number; title: string; body: string; updatedAt: string; url?: string; pinned?: { path: string; sha: string } }
  | { kind: "file"; path: string }
  | { kind: "text"; label: string; text: string };

/**
 * What an event (or a CLI invocation) says about the work: plain data, built
 * at the edge. The graph turns it, with the repository snapshot, into the
 * step's context.
 */
export interface StepTrigger {
  spec?: SpecRef;
  /** ADRs the work explicitly links (numbers, or paths such as `docs/adr/0012-x.md`). */
  linkedAdrs?: (number | string)[];
  /** Paths the work touches (a PR's changed files). */
  changedPaths?: string[];
  /** Modules named explicitly (e.g. the ADR's modules for dev). */
  modules?: string[];
  /**
   * The change under review. `headFiles`: the new side's text of changed
   * files (path → text), read at the head; with it, hunks are extended to
   * their enclosing function or class, and small files are sent whole.
   */
  diff?: { base: string; head: string; files: DiffFile[]; headFiles?: Record<string, string> };
  /** What the edge knows about these inputs that the manifest should say (e.g. which text of the spec was used). */
  notes?: string[];
}
