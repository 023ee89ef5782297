import { createHash } from "node:crypto";
import nock from "nock";

export const API = "https://api.github.com";
export const OWNER = "acme";
export const REPO = "widgets";

export interface FakeFile {
  path: string;
  content: string | Buffer;
}

/** Git blob SHA of some content: what GitHub reports in trees. */
export function blobSha(content: string | Buffer): string {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

export function fakeSha(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

interface TreeItem {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
  url?: string;
}

const treeUrl = (sha: string): string => `${API}/repos/${OWNER}/${REPO}/git/trees/${sha}`;
const blobUrl = (sha: string): string => `${API}/repos/${OWNER}/${REPO}/git/blobs/${sha}`;

function blobItem(path: string, content: string | Buffer): TreeItem {
  const sha = blobSha(content);
  const size = typeof content === "string" ? Buffer.byteLength(content) : content.length;
  return { path, mode: "100644", type: "blob", sha, size, url: blobUrl(sha) };
}

/**
 * The payload of `GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1` as
 * GitHub returns it: directories appear as "tree" entries (no size) before
 * their contents, paths are full paths.
 */
export function recursiveTreePayload(treeSha: string, files: FakeFile[], truncated = false): object {
  const tree: TreeItem[] = [];
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (!dirs.has(dir)) {
        dirs.add(dir);
        const sha = fakeSha(`tree:${dir}`);
        tree.push({ path: dir, mode: "040000", type: "tree", sha, url: treeUrl(sha) });
      }
    }
    tree.push(blobItem(f.path, f.content));
  }
  return { sha: treeSha, url: treeUrl(treeSha), tree, truncated };
}

/** The non-recursive payload for one directory (names relative to it), and its subdirectories. */
export function directoryPayload(treeSha: string, dir: string, files: FakeFile[]): { payload: object; subdirs: Map<string, string> } {
  const prefix = dir === "" ? "" : `${dir}/`;
  const tree: TreeItem[] = [];
  const subdirs = new Map<string, string>();
  for (const f of files) {
    if (!f.path.startsWith(prefix)) continue;
    const rest = f.path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash === -1) {
      tree.push(blobItem(rest, f.content));
    } else {
      const name = rest.slice(0, slash);
      const full = prefix + name;
      if (!subdirs.has(full)) {
        const sha = fakeSha(`tree:${full}`);
        subdirs.set(full, sha);
        tree.push({ path: name, mode: "040000", type: "tree", sha, url: treeUrl(sha) });
      }
    }
  }
  return { payload: { sha: treeSha, url: treeUrl(treeSha), tree, truncated: false }, subdirs };
}

export interface GraphqlBody {
  query: string;
  variables: Record<string, string>;
}

/** Object ids a blob batch asked for, in alias order (o0, o1, …). */
export function requestedOids(body: GraphqlBody): string[] {
  return Object.keys(body.variables)
    .filter((k) => /^o\d+$/.test(k))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((k) => body.variables[k] as string);
}

export type BlobNode = { text: string | null; isBinary: boolean; isTruncated: boolean; byteSize: number } | null;

/** GraphQL `Blob` fields for a file, computed the way GitHub reports them. */
export function blobNode(content: string | Buffer): BlobNode {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const isBinary = bytes.subarray(0, 8000).includes(0);
  return { text: isBinary ? null : bytes.toString("utf8"), isBinary, isTruncated: false, byteSize: bytes.length };
}

/**
 * Answer blob batches from a content-addressed store, recording every batch
 * asked for. `nodeFor` can override what GitHub returns for one blob.
 */
export function serveGraphqlBlobs(
  scope: nock.Scope,
  files: FakeFile[],
  times: number,
  opts: { batches?: string[][]; nodeFor?: (sha: string) => BlobNode | undefined; path?: string } = {},
): nock.Scope {
  const bySha = new Map(files.map((f) => [blobSha(f.content), f.content]));
  return scope
    .post(opts.path ?? "/graphql", (body: GraphqlBody) => body.variables?.owner === OWNER && body.variables?.name === REPO)
    .times(times)
    .reply(200, (_uri, body) => {
      const oids = requestedOids(body as GraphqlBody);
      opts.batches?.push(oids);
      const repository: Record<string, BlobNode> = {};
      oids.forEach((oid, i) => {
        const override = opts.nodeFor?.(oid);
        const content = bySha.get(oid);
        repository[`f${i}`] = override !== undefined ? override : content === undefined ? null : blobNode(content);
      });
      return { data: { repository } };
    });
}
