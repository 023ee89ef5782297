import { gitBlobSha, gitCommitSha, gitTreeSha, sortTreeEntries, type GitIdentity, type TreeEntry } from "./git-objects.js";
import { unifiedPatch } from "./unified-diff.js";

/**
 * A fake's git object database: blobs, trees and commits under the ids git
 * computes, and refs (`heads/main` → commit sha). It answers what the fake's
 * routes ask of a repository: the files of a commit, ancestry, merge bases,
 * and the files changed between two commits with their patches.
 */

/** A file of a tree: its blob and mode. */
export interface FileEntry {
  sha: string;
  mode: string;
}

export interface CommitRecord {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  /** ISO 8601, UTC, without milliseconds. */
  date: string;
  /**
   * Who made it, when not the store's default author: the git identity and
   * the GitHub account GitHub links it to (the app's bot for commits made
   * through the API with its token, a person for a push).
   */
  author?: CommitAuthor;
}

export interface CommitAuthor extends GitIdentity {
  login: string;
}

/** One file changed between two commits, as pulls/files and compare list it (before URLs). */
export interface ChangedFile {
  sha: string;
  filename: string;
  status: "added" | "removed" | "modified";
  additions: number;
  deletions: number;
  patch?: string;
}

export interface GitObjectStoreOptions {
  /** Author and committer of every commit. */
  author: GitIdentity;
  /** The date a new commit gets. */
  now: () => string;
}

export class GitObjectStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, CommitRecord>();
  readonly refs = new Map<string, string>();

  constructor(private readonly options: GitObjectStoreOptions) {}

  storeBlob(content: Buffer | string): string {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const sha = gitBlobSha(bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  /** Stores path → {sha, mode} as trees; returns the root tree sha. */
  storeTree(files: Map<string, FileEntry>): string {
    type Dir = Map<string, Dir | FileEntry>;
    const root: Dir = new Map();
    for (const [path, file] of files) {
      const parts = path.split("/");
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.get(part);
        if (!(next instanceof Map)) {
          next = new Map();
          dir.set(part, next);
        }
        dir = next;
      }
      dir.set(parts[parts.length - 1]!, file);
    }
    const build = (dir: Dir): string => {
      const entries: TreeEntry[] = [];
      for (const [name, value] of dir) {
        if (value instanceof Map) entries.push({ name, mode: "040000", type: "tree", sha: build(value) });
        else entries.push({ name, mode: value.mode, type: "blob", sha: value.sha });
      }
      const sorted = sortTreeEntries(entries);
      const sha = gitTreeSha(sorted);
      this.trees.set(sha, sorted);
      return sha;
    };
    return build(root);
  }

  /** Stores path → text as blobs (mode 100644) and trees; returns the root tree sha. */
  storeFiles(files: Record<string, string>): string {
    const entries = new Map<string, FileEntry>();
    for (const [path, content] of Object.entries(files)) entries.set(path, { sha: this.storeBlob(content), mode: "100644" });
    return this.storeTree(entries);
  }

  addCommit(tree: string, parents: string[], message: string, author?: CommitAuthor): string {
    const date = this.options.now();
    const sha = gitCommitSha(tree, parents, message, date, author ?? this.options.author);
    this.commits.set(sha, { sha, tree, parents, message, date, ...(author ? { author } : {}) });
    return sha;
  }

  /** A commit of exactly these files; returns its sha. */
  commitFiles(files: Record<string, string>, message: string, parents: string[] = [], author?: CommitAuthor): string {
    return this.addCommit(this.storeFiles(files), parents, message, author);
  }

  /** A commit on top of `parent`: its files with `changes` applied (null deletes a file); returns its sha. */
  commitOnto(parent: string, changes: Record<string, string | null>, message: string, author?: CommitAuthor): string {
    if (!this.commits.has(parent)) throw new Error(`commitOnto: ${parent} is not a commit`);
    const files = this.flatten(parent);
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) files.delete(path);
      else files.set(path, { sha: this.storeBlob(content), mode: "100644" });
    }
    return this.addCommit(this.storeTree(files), [parent], message, author);
  }

  setBranch(name: string, sha: string): void {
    this.refs.set(`heads/${name}`, sha);
  }

  branchSha(name: string): string | undefined {
    return this.refs.get(`heads/${name}`);
  }

  /** A branch name, `heads/x`, `refs/heads/x` or a commit sha → commit sha. */
  resolve(ref: string): string | undefined {
    if (this.commits.has(ref)) return ref;
    return this.refs.get(ref.replace(/^refs\//, "")) ?? this.refs.get(`heads/${ref}`);
  }

  /** path → {sha, mode} of every file of a commit or tree. */
  flatten(treeish: string): Map<string, FileEntry> {
    const root = this.commits.get(treeish)?.tree ?? treeish;
    const out = new Map<string, FileEntry>();
    const walk = (sha: string, prefix: string) => {
      for (const e of this.trees.get(sha) ?? []) {
        if (e.type === "tree") walk(e.sha, `${prefix}${e.name}/`);
        else out.set(`${prefix}${e.name}`, { sha: e.sha, mode: e.mode });
      }
    };
    walk(root, "");
    return out;
  }

  /** path → text of every file of a commit or tree. */
  filesAt(treeish: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [path, f] of this.flatten(treeish)) out[path] = this.text(f.sha);
    return out;
  }

  /** A blob's content as UTF-8 text ("" when unknown). */
  text(sha: string): string {
    return this.blobs.get(sha)?.toString("utf8") ?? "";
  }

  isAncestor(ancestor: string, sha: string, seen = new Set<string>()): boolean {
    if (ancestor === sha) return true;
    if (seen.has(sha)) return false;
    seen.add(sha);
    return (this.commits.get(sha)?.parents ?? []).some((p) => this.isAncestor(ancestor, p, seen));
  }

  /** The commit and every commit it descends from. */
  ancestors(sha: string): Set<string> {
    const out = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (out.has(s) || !this.commits.has(s)) continue;
      out.add(s);
      stack.push(...this.commits.get(s)!.parents);
    }
    return out;
  }

  /** The nearest common ancestor of two commits. */
  mergeBase(a: string, b: string): string | undefined {
    const ofA = this.ancestors(a);
    // Breadth-first from b: the nearest common ancestor.
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length) {
      const s = queue.shift()!;
      if (seen.has(s)) continue;
      seen.add(s);
      if (ofA.has(s)) return s;
      queue.push(...(this.commits.get(s)?.parents ?? []));
    }
    return undefined;
  }

  /** Commits reachable from `head` and not from `base`, walked from `head`. */
  commitsAhead(base: string, head: string): string[] {
    const ofBase = this.ancestors(base);
    return [...this.ancestors(head)].filter((s) => !ofBase.has(s));
  }

  /** Files changed from one commit to another, in path order, with their patches. */
  changedFiles(base: string, head: string): ChangedFile[] {
    const a = this.flatten(base);
    const b = this.flatten(head);
    const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
    const out: ChangedFile[] = [];
    for (const path of paths) {
      const before = a.get(path);
      const after = b.get(path);
      if (before?.sha === after?.sha) continue;
      const status = !before ? "added" : !after ? "removed" : "modified";
      const { patch, additions, deletions } = unifiedPatch(before ? this.text(before.sha) : "", after ? this.text(after.sha) : "");
      out.push({ sha: after?.sha ?? before!.sha, filename: path, status, additions, deletions, ...(patch ? { patch } : {}) });
    }
    return out;
  }
}
