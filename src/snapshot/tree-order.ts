import type { TreeEntry } from "./repo-snapshot.js";

/**
 * Plain code-unit order by path, used by both snapshot implementations so
 * their listings (and anything derived from them, like manifests) are in
 * the same order. Not git's tree order (which compares a directory name as
 * if it ended in "/"), since a walked listing would not come out in it.
 */
export function byPath(a: TreeEntry, b: TreeEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
