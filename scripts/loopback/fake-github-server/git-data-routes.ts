import type { FileEntry } from "../../../test/support/fake-github/git-object-store.js";
import { blobPayload, createdBlobPayload, refPayload, treePayload } from "../../../test/support/fake-github/git-payloads.js";
import type { FakeGitHubState } from "./github-state.js";
import { notFound, unprocessable, type Handlers, type Json } from "./http-route.js";

/**
 * The git database API: refs (fast-forward only unless forced), commits,
 * trees (with base_tree, content and deletions; by commit, ref or tree) and
 * blobs.
 */

export function gitDataRoutes(gh: FakeGitHubState): Handlers {
  return {
    getRef(_ctx, [ref]) {
      const sha = gh.refs.get(ref);
      if (!sha) throw notFound();
      return [200, refPayload(gh.site, ref, sha)];
    },

    createRef({ body }) {
      const full = String(body.ref ?? "");
      if (!/^refs\/.+\/.+/.test(full)) throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
      const ref = full.replace(/^refs\//, "");
      const sha = String(body.sha ?? "");
      if (gh.refs.has(ref)) throw unprocessable("Reference already exists");
      if (!gh.commits.has(sha)) throw unprocessable("Object does not exist");
      gh.refs.set(ref, sha);
      return [201, refPayload(gh.site, ref, sha)];
    },

    updateRef({ body }, [ref]) {
      const current = gh.refs.get(ref);
      if (!current) throw unprocessable("Reference does not exist");
      const sha = String(body.sha ?? "");
      if (!gh.commits.has(sha)) throw unprocessable("Object does not exist");
      if (body.force !== true && !gh.git.isAncestor(current, sha)) throw unprocessable("Update is not a fast forward");
      gh.refs.set(ref, sha);
      return [200, refPayload(gh.site, ref, sha)];
    },

    getCommit(_ctx, [sha]) {
      const c = gh.commits.get(sha);
      if (!c) throw notFound();
      return [200, gh.commitPayload(c)];
    },

    createCommit({ body }) {
      const tree = String(body.tree ?? "");
      const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
      if (!gh.trees.has(tree)) throw unprocessable("Tree SHA does not exist");
      for (const p of parents) if (!gh.commits.has(p)) throw unprocessable("Parent SHA does not exist or is not a commit object");
      if (typeof body.message !== "string") throw unprocessable("Invalid request.", ["message is missing"]);
      const sha = gh.git.addCommit(tree, parents, body.message);
      return [201, gh.commitPayload(gh.commits.get(sha)!)];
    },

    getTree({ query }, [treeish]) {
      const commit = gh.git.resolve(treeish);
      const sha = commit ? gh.commits.get(commit)!.tree : treeish;
      if (!gh.trees.has(sha)) throw notFound();
      return [200, treePayload(gh.site, gh.git, sha, ["1", "true"].includes(query.get("recursive") ?? ""))];
    },

    createTree({ body }) {
      const base = typeof body.base_tree === "string" ? body.base_tree : undefined;
      if (base && !gh.trees.has(base)) throw unprocessable("base_tree is not a valid tree oid");
      const files = base ? gh.flatten(base) : new Map<string, FileEntry>();
      for (const entry of Array.isArray(body.tree) ? (body.tree as Json[]) : []) {
        const path = String(entry.path ?? "");
        if (!path || path.startsWith("/") || path.endsWith("/")) throw unprocessable(`tree.path ${JSON.stringify(path)} is invalid`);
        if (entry.type !== undefined && entry.type !== "blob") throw unprocessable(`only blob entries are supported by the loopback fake (got ${String(entry.type)})`);
        if (entry.sha === null) {
          if (!files.delete(path)) throw unprocessable(`tree.path ${path} does not exist in base_tree and cannot be deleted`);
          continue;
        }
        let sha = typeof entry.sha === "string" ? entry.sha : undefined;
        if (typeof entry.content === "string") sha = gh.git.storeBlob(Buffer.from(entry.content, "utf8"));
        if (!sha || !gh.blobs.has(sha)) throw unprocessable(`tree.sha ${String(sha)} is not a valid blob`);
        const mode = String(entry.mode ?? "100644");
        if (!["100644", "100755", "120000"].includes(mode)) throw unprocessable(`tree.mode ${mode} is invalid`);
        // A file replacing a directory (or the other way round) is a conflict git would refuse.
        for (const other of files.keys()) if (other.startsWith(`${path}/`)) throw unprocessable(`tree.path ${path} is a directory`);
        files.set(path, { sha, mode });
      }
      return [201, treePayload(gh.site, gh.git, gh.git.storeTree(files), false)];
    },

    getBlob(_ctx, [sha]) {
      const bytes = gh.blobs.get(sha);
      if (!bytes) throw notFound();
      return [200, blobPayload(gh.site, sha, bytes)];
    },

    createBlob({ body }) {
      if (typeof body.content !== "string") throw unprocessable("Invalid request.", ["content is missing"]);
      const bytes = body.encoding === "base64" ? Buffer.from(body.content, "base64") : Buffer.from(body.content, "utf8");
      return [201, createdBlobPayload(gh.site, gh.git.storeBlob(bytes))];
    },
  };
}
