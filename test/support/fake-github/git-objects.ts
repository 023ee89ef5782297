import { createHash } from "node:crypto";

/**
 * Git object ids, as git computes them, for the fake GitHubs: blob and tree
 * shas are real git object ids (so Baton's own `gitBlobSha` comparison works
 * against them), commit shas are the ids of a commit object with a fixed
 * author line.
 */

export interface TreeEntry {
  name: string;
  mode: string;
  type: "blob" | "tree";
  sha: string;
}

/** Who a fake's commits are by (author and committer alike). */
export interface GitIdentity {
  name: string;
  email: string;
}

/** Git's object id of a blob (text is hashed as UTF-8). */
export function gitBlobSha(content: string | Buffer): string {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** Tree entries in git's order: a tree sorts as "name/". */
export function sortTreeEntries(entries: TreeEntry[]): TreeEntry[] {
  const key = (e: TreeEntry) => (e.type === "tree" ? `${e.name}/` : e.name);
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Git's object id of a tree; entries sorted as git sorts them. */
export function gitTreeSha(entries: TreeEntry[]): string {
  const sorted = sortTreeEntries(entries);
  const body = Buffer.concat(sorted.map((e) => Buffer.concat([Buffer.from(`${e.type === "tree" ? "40000" : e.mode} ${e.name}\0`), Buffer.from(e.sha, "hex")])));
  return createHash("sha1").update(`tree ${body.length}\0`).update(body).digest("hex");
}

/** Git's object id of a commit by `who` at `date` (ISO 8601, UTC), unsigned. */
export function gitCommitSha(tree: string, parents: string[], message: string, date: string, who: GitIdentity): string {
  const line = `${who.name} <${who.email}> ${Math.floor(Date.parse(date) / 1000)} +0000`;
  const text = `tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join("")}author ${line}\ncommitter ${line}\n\n${message}`;
  return createHash("sha1").update(`commit ${Buffer.byteLength(text)}\0`).update(text).digest("hex");
}
