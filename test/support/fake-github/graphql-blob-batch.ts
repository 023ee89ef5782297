import type { Json } from "./github-site.js";

/**
 * GraphQL answers to the snapshot's blob batches:
 *
 *   repository(owner: $owner, name: $name) { f0: object(oid: $o0) { ... on Blob { text isBinary isTruncated byteSize } } … }
 */

/** What an oid names: a blob's bytes, "other" for an object that is not a blob (a tree or commit), undefined for nothing. */
export type ObjectLookup = (oid: string) => Buffer | "other" | undefined;

/** Does the query select `repository(owner: $owner, name: $name)`? */
export function isRepositoryQuery(query: string): boolean {
  return /repository\(\s*owner:\s*\$owner,\s*name:\s*\$name\s*\)/.test(query);
}

/** The answer when $owner/$name is not the served repository. */
export function repositoryNotFoundAnswer(variables: Record<string, unknown>): Json {
  return {
    data: { repository: null },
    errors: [{ type: "NOT_FOUND", path: ["repository"], message: `Could not resolve to a Repository with the name '${String(variables.owner)}/${String(variables.name)}'.` }],
  };
}

/**
 * `{ data: { repository } }` for every `alias: object(oid: $var)` of the query: a blob's
 * Blob fields, `{}` for an object of another type, null for an unknown oid.
 */
export function blobBatchAnswer(query: string, variables: Record<string, unknown>, lookup: ObjectLookup): Json {
  const repository: Json = {};
  for (const m of query.matchAll(/(\w+)\s*:\s*object\(\s*oid:\s*\$(\w+)\s*\)/g)) {
    const found = lookup(String(variables[m[2]!] ?? ""));
    if (found === undefined || found === "other") {
      repository[m[1]!] = found === "other" ? {} : null;
      continue;
    }
    const isBinary = found.subarray(0, 8000).includes(0);
    repository[m[1]!] = { text: isBinary ? null : found.toString("utf8"), isBinary, isTruncated: false, byteSize: found.length };
  }
  return { data: { repository } };
}
