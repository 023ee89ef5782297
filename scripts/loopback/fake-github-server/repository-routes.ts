import { permissionPayload } from "../../../test/support/fake-github/account-payloads.js";
import { contentsPayload } from "../../../test/support/fake-github/git-payloads.js";
import { blobBatchAnswer, isRepositoryQuery, repositoryNotFoundAnswer } from "../../../test/support/fake-github/graphql-blob-batch.js";
import type { FakeGitHubState } from "./github-state.js";
import { contentsRefRefusal } from "../../../test/support/fake-github/commit-refusals.js";
import { notFound, refuse, type Handlers, type Json, type Result } from "./http-route.js";

/** The repository itself, file contents by ref, collaborator permissions, and the GraphQL blob batches. */

export function repositoryRoutes(gh: FakeGitHubState): Handlers {
  return {
    getRepository: () => [200, gh.repositoryPayload()],

    getContents({ query }, [path]) {
      const ref = query.get("ref") ?? gh.defaultBranch;
      refuse(contentsRefRefusal(gh.git, ref));
      const commit = gh.git.resolve(ref);
      const file = commit ? gh.flatten(commit).get(path) : undefined;
      if (!file) throw notFound();
      return [200, contentsPayload(gh.site, { path, ref, sha: file.sha, bytes: gh.blobs.get(file.sha)! })];
    },

    /** Not a collaborator: 404, as GitHub answers. */
    getPermission(_ctx, [login]) {
      const role = gh.permissions.get(login);
      if (!role) throw notFound();
      return [200, permissionPayload(gh.site, login, role)];
    },
  };
}

/** `POST /api/graphql`: only `repository(owner:, name:) { alias: object(oid:) }` queries; anything else is logged and recorded as unmatched. */
export function answerGraphql(gh: FakeGitHubState, body: Json): Result {
  const query = String(body.query ?? "");
  const variables = (body.variables ?? {}) as Record<string, unknown>;
  if (!isRepositoryQuery(query)) {
    gh.unmatched.push(`POST /api/graphql ${query.slice(0, 120)}`);
    gh.log(`[fake-github] UNHANDLED GRAPHQL QUERY: ${query.slice(0, 300)}`);
    return [200, { data: null, errors: [{ message: "the loopback fake only answers repository(owner:, name:) { alias: object(oid:) } queries" }] }];
  }
  if (variables.owner !== gh.owner || variables.name !== gh.repo) return [200, repositoryNotFoundAnswer(variables)];
  return [200, blobBatchAnswer(query, variables, (oid) => gh.blobs.get(oid) ?? (gh.trees.has(oid) || gh.commits.has(oid) ? "other" : undefined))];
}
