import { createHash } from "node:crypto";
import type { BlobContent, RepoSnapshot, TreeEntry } from "../../src/snapshot/repo-snapshot.js";

/** A repository snapshot held in memory, for tests of pure resolution logic. Counts reads. */
export function memorySnapshot(files: Record<string, string>, commit = "c".repeat(40)): RepoSnapshot & { reads: string[][] } {
  const entries: TreeEntry[] = Object.entries(files)
    .map(([path, text]) => ({ path, sha: gitBlobSha(text), size: Buffer.byteLength(text) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const reads: string[][] = [];
  return {
    commit,
    reads,
    async listFiles() {
      return entries;
    },
    async readFiles(paths: string[]) {
      reads.push(paths);
      const out = new Map<string, BlobContent>();
      for (const p of paths) {
        const text = files[p];
        if (text !== undefined) out.set(p, { path: p, sha: gitBlobSha(text), text, size: Buffer.byteLength(text) });
      }
      return out;
    },
  };
}

export function gitBlobSha(text: string): string {
  const body = Buffer.from(text);
  return createHash("sha1").update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body])).digest("hex");
}
