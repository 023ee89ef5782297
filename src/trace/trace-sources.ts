import type { AdrMetadata } from "../context-store/adr/adr-record.js";
import type { PitfallFile } from "../context-store/pitfalls/pitfall-entry.js";
import type { TraceAdr, TracePitfall, TraceSources } from "./build-trace.js";

/**
 * The repository's side of a trace, the same for a checkout and for GitHub:
 * ADRs as read, pitfall entries with the pull request they were learned in,
 * and the specs pinned at acceptance (`issue-<N>.md` under the pinned folder).
 * Pitfall files come parsed: in the bounded worker on the server, directly
 * in the CLI (a person's own checkout).
 */
export function knowledgeSources(input: { adrs: readonly { path: string; record: AdrMetadata }[]; pitfallFiles: readonly PitfallFile[]; pinnedPaths: readonly string[] }): Omit<TraceSources, "changes"> {
  const adrs: TraceAdr[] = input.adrs.map(({ path, record: r }) => ({ number: r.number, title: r.title, status: r.status, path, spec: r.spec, supersedes: r.supersedes, supersededBy: r.supersededBy }));
  const pitfalls: TracePitfall[] = [];
  for (const file of input.pitfallFiles) {
    for (const e of file.entries) pitfalls.push({ module: file.module, path: file.path, id: e.id, title: e.title, ...(e.source.pr !== undefined ? { pr: e.source.pr } : {}) });
  }
  const pinned = new Map<number, string>();
  for (const p of input.pinnedPaths) {
    const m = /\/issue-(\d+)\.md$/.exec(p);
    if (m) pinned.set(Number(m[1]), p);
  }
  return { adrs, pitfalls, pinned };
}
