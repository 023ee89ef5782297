import { decodeBlobText, textLooksBinary } from "./binary-detect.js";
import type { CachedBlob } from "./blob-cache.js";
import { httpStatusOf, messageOf, SnapshotError } from "./snapshot-error.js";

/**
 * The smallest Octokit surface the snapshot needs. Both `new Octokit()` from
 * @octokit/rest and Probot's `context.octokit` satisfy it. `graphql` (not
 * `request("POST /graphql")`) is used on purpose: @octokit/graphql maps a
 * GitHub Enterprise base URL `https://host/api/v3` to `https://host/api/graphql`,
 * which a plain REST request to "/graphql" would get wrong.
 */
export interface OctokitLike {
  request(route: string, params?: Record<string, unknown>): Promise<{ data: unknown }>;
  graphql(query: string, params?: Record<string, unknown>): Promise<unknown>;
}

export interface BlobRequest {
  sha: string;
  /** Size from the tree listing, used to decide what is too large. */
  size: number;
}

export interface BatchTarget {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  commit: string;
  maxTextBytes: number;
  /** Called once per HTTP request made, so the snapshot can count them. */
  onRequest(kind: "graphql" | "rest-blob"): void;
}

interface GraphqlBlob {
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean | null;
  byteSize?: number;
}

// Git object ids (SHA-1, or SHA-256 for repositories that use it). Checked
// before they go into a query, even though they travel as variables.
const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * One GraphQL document fetching `count` blobs by object id, each under an
 * alias (f0, f1, …) so a single request returns them all:
 *   repository(owner:$owner, name:$name) { f0: object(oid:$o0) { ... on Blob { … } } … }
 */
export function buildBlobQuery(count: number): string {
  const vars: string[] = ["$owner: String!", "$name: String!"];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    vars.push(`$o${i}: GitObjectID!`);
    fields.push(`f${i}: object(oid: $o${i}) { ... on Blob { text isBinary isTruncated byteSize } }`);
  }
  return `query BatonBlobs(${vars.join(", ")}) { repository(owner: $owner, name: $name) { ${fields.join(" ")} } }`;
}

/**
 * Fetch one batch of blobs with one GraphQL request. Blobs GitHub could not
 * give as full text (truncated, or text null without being binary, or an
 * object the batch did not resolve) are fetched one by one over REST, but
 * only when they are small enough to be used as text anyway.
 */
export async function fetchBlobBatch(target: BatchTarget, blobs: BlobRequest[]): Promise<Map<string, CachedBlob>> {
  const { octokit, owner, repo } = target;
  const variables: Record<string, unknown> = { owner, name: repo };
  blobs.forEach((b, i) => {
    if (!OID.test(b.sha)) throw new SnapshotError(`Not a git object id: ${JSON.stringify(b.sha)}`);
    variables[`o${i}`] = b.sha;
  });

  target.onRequest("graphql");
  let data: unknown;
  try {
    data = await octokit.graphql(buildBlobQuery(blobs.length), variables);
  } catch (err) {
    // @octokit/graphql throws on any `errors` entry, even when most of the
    // data came back; keep the partial data and re-fetch what is missing.
    data = partialDataOf(err);
    if (data === undefined) throw wrap(target, `GraphQL blob batch (${blobs.length} blobs)`, err);
  }

  const repository = (data as { repository?: Record<string, GraphqlBlob | null> | null } | null)?.repository;
  if (repository === null || repository === undefined) {
    throw new SnapshotError(
      `GitHub snapshot ${owner}/${repo}@${short(target.commit)}: GraphQL returned no repository (not found, or not accessible to this token)`,
    );
  }

  const out = new Map<string, CachedBlob>();
  const viaRest: BlobRequest[] = [];
  blobs.forEach((b, i) => {
    const node = repository[`f${i}`];
    const size = typeof node?.byteSize === "number" ? node.byteSize : b.size;
    if (node === null || node === undefined) {
      viaRest.push(b);
    } else if (node.isBinary === true || size > target.maxTextBytes) {
      out.set(b.sha, { text: null, size });
    } else if (node.isTruncated === true || typeof node.text !== "string") {
      viaRest.push({ sha: b.sha, size });
    } else {
      out.set(b.sha, { text: textLooksBinary(node.text) ? null : node.text, size });
    }
  });

  // Sequential: these are rare (large or odd blobs) and each is one request.
  for (const b of viaRest) {
    out.set(b.sha, b.size > target.maxTextBytes ? { text: null, size: b.size } : await fetchBlobRest(target, b.sha));
  }
  return out;
}

/** `GET /repos/{owner}/{repo}/git/blobs/{sha}`: base64 content, decoded with the shared text rule. */
export async function fetchBlobRest(target: BatchTarget, sha: string): Promise<CachedBlob> {
  const { octokit, owner, repo } = target;
  target.onRequest("rest-blob");
  let data: { content?: string; encoding?: string; size?: number };
  try {
    const res = await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { owner, repo, file_sha: sha });
    data = res.data as typeof data;
  } catch (err) {
    throw wrap(target, `GET git/blobs/${short(sha)}`, err);
  }
  const content = data.content ?? "";
  // Node's base64 decoder skips the newlines GitHub puts in `content`.
  const bytes = data.encoding === "base64" ? Buffer.from(content, "base64") : Buffer.from(content, "utf8");
  const size = typeof data.size === "number" ? data.size : bytes.length;
  return { text: size > target.maxTextBytes ? null : decodeBlobText(bytes), size };
}

export function wrap(target: { owner: string; repo: string; commit: string }, what: string, err: unknown): SnapshotError {
  const status = httpStatusOf(err);
  const statusText = status === undefined ? "" : ` (HTTP ${status})`;
  return new SnapshotError(
    `GitHub snapshot ${target.owner}/${target.repo}@${short(target.commit)}: ${what} failed${statusText}: ${messageOf(err)}`,
    { cause: err, ...(status === undefined ? {} : { status }) },
  );
}

function partialDataOf(err: unknown): unknown {
  if (typeof err === "object" && err !== null && (err as { name?: unknown }).name === "GraphqlResponseError") {
    const data = (err as { data?: unknown }).data;
    if (typeof data === "object" && data !== null) return data;
  }
  return undefined;
}

export function short(sha: string): string {
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha.slice(0, 12) : sha;
}
