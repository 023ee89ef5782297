import { join } from "node:path";
import type { Command } from "commander";
import { parsePitfalls } from "../../context-store/pitfalls/parse-pitfalls.js";
import { pinnedSpecsFolder } from "../../graph/default-steps.js";
import { runGit } from "../../snapshot/git-process.js";
import { buildTrace, parseTraceQuery, type TraceChange } from "../../trace/build-trace.js";
import { renderTrace } from "../../trace/render-trace.js";
import { knowledgeSources } from "../../trace/trace-sources.js";
import { CliError, type CliIo } from "../cli-io.js";
import { readTextIfExists } from "../working-tree.js";
import { loadWorkingTreeStore } from "../working-tree-store.js";

/** Commits read for links, newest first: enough for a long history, bounded for a huge one. */
const MAX_COMMITS = 5_000;

export function registerTraceCommand(program: Command, io: CliIo): void {
  program
    .command("trace")
    .description("Show the chain from a spec to its ADRs, the changes that cite them and the pitfalls learned (Mermaid graph and table)")
    .argument("<ref>", "a spec file (docs/specs/x.md), an issue (#12) or an ADR number (12, ADR-0012)")
    .action(async (ref: string) => {
      const query = parseTraceQuery(ref);
      if (!query) throw new CliError(`"${ref}" is not a spec file, an issue (#12) or an ADR number (12)`);
      const store = loadWorkingTreeStore(io.cwd);
      const pitfallsFolder = `${store.config.folders.pitfalls.replace(/\/+$/, "")}/`;
      const pinnedFolder = `${pinnedSpecsFolder(store.config)}/`;
      const knowledge = knowledgeSources({
        adrs: store.adrs,
        pitfallFiles: store.paths.filter((p) => p.startsWith(pitfallsFolder) && p.endsWith(".md") && !p.slice(pitfallsFolder.length).includes("/")).map((p) => parsePitfalls(p, readTextIfExists(join(store.root, p)) ?? "")),
        pinnedPaths: store.paths.filter((p) => p.startsWith(pinnedFolder)),
      });
      const trace = buildTrace({ ...knowledge, changes: await commitsWithLinks(store.root) }, query);
      trace.notes.push("a local trace reads commits (their trailers and PR numbers); open findings are on GitHub: comment /baton trace there");
      io.out(renderTrace(trace, { file: () => null, issue: () => null }));
    });
}

/**
 * Commits of HEAD whose message links something (trailers, `ADR 12`,
 * `Closes #N`), each with the pull request it came in by: named by a squash
 * (`Title (#15)`), or by the merge commit (`Merge pull request #15`) that
 * brought it onto the first-parent line.
 */
async function commitsWithLinks(root: string): Promise<TraceChange[]> {
  const log = await runGit(root, ["log", `--max-count=${MAX_COMMITS}`, "--format=%H%x00%P%x00%s%x00%B%x1e", "HEAD"]).catch(() => "");
  const commits = log
    .split("\x1e")
    .map((record) => record.replace(/^\n/, "").split("\x00"))
    .filter((f): f is [string, string, string, string] => f.length >= 4 && /^[0-9a-f]{40,64}$/.test(f[0] ?? ""))
    .map(([sha, parents, subject, body]) => ({ sha, parents: parents.split(" ").filter(Boolean), subject, body }));
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const firstParent = new Set<string>();
  for (let c = commits[0]; c && !firstParent.has(c.sha); c = bySha.get(c.parents[0] ?? "")) firstParent.add(c.sha);
  const prOf = new Map<string, number>();
  for (const c of commits) {
    const squash = /\(#(\d+)\)\s*$/.exec(c.subject)?.[1];
    if (squash) prOf.set(c.sha, Number(squash));
    const merged = /^Merge pull request #(\d+)/.exec(c.subject)?.[1];
    if (!merged || c.parents.length < 2) continue;
    const stack = [c.parents[1]!];
    while (stack.length) {
      const sha = stack.pop()!;
      const inner = bySha.get(sha);
      if (!inner || firstParent.has(sha) || prOf.has(sha)) continue;
      prOf.set(sha, Number(merged));
      stack.push(...inner.parents);
    }
  }
  const out: TraceChange[] = [];
  for (const c of commits) {
    if (!/Baton-(ADR|Spec|Issue):|\bADR[\s-]?\d|\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\s*:?\s+#\d/i.test(c.body)) continue;
    const pr = prOf.get(c.sha);
    out.push({ ref: pr === undefined ? c.sha.slice(0, 7) : `${c.sha.slice(0, 7)} (#${pr})`, ...(pr !== undefined ? { number: pr } : {}), title: c.subject, state: "commit", text: c.body });
  }
  return out;
}
