import type { FakeGitHubServer } from "./fake-github-server.js";

/**
 * The repository the loopback run starts from: a small service with two
 * modules, one accepted ADR (answering issue #2, so the dev step can run),
 * the pitfalls of the `api` module, and two open issues.
 */

export const BATON_YML = `# Baton configuration (loopback fixture)
modules:
  api: ["src/api/**"]
  web: ["src/web/**"]
review:
  # A medium finding fails the review check run: it must stay failed however often the event comes.
  failOn: medium
`;

export const ACCEPTED_ADR_PATH = "docs/adr/0001-rate-limit-the-public-api.md";

export const ACCEPTED_ADR = `---
status: accepted
date: 2026-11-10
modules: [api]
spec: "#2"
---
# Rate-limit the public API with a token bucket per client

## Context and Problem Statement

Issue #2: one client can exhaust the API for everyone.

## Considered Options

* Token bucket per client, in process
* A gateway in front of the service

## Decision Outcome

Chosen option: "Token bucket per client, in process", because it needs no new service.

### Consequences

* Good, because one noisy client no longer slows the others.
* Bad, because limits are per process.

## Module guidance

### api

Put the limiter in \`src/api/rate-limit.ts\`; take one token per request; never block, answer 429.
`;

export const PITFALLS_API = `# Pitfalls: api

## Clamp pagination parameters
<!-- baton:pitfall id=pf-0a1b2c3d4e5f -->

Handlers that accept \`limit\` must clamp it: \`?limit=1000000\` once took the database down.

**Why it matters:** an unbounded query is an outage.

**Learned in:** PR #7

**When:** 2026-10-02
`;

export const FILES: Record<string, string> = {
  ".github/baton.yml": BATON_YML,
  "README.md": "# widgets\n\nThe widgets service.\n",
  "package.json": `{ "name": "widgets", "type": "module" }\n`,
  "src/db.ts": "export const db = { users: { find: async (id: string) => ({ id }) } };\n",
  "src/api/users.ts": `import { db } from "../db.js";\n\nexport async function getUser(id: string) {\n  return db.users.find(id);\n}\n`,
  "src/web/app.ts": "export const app = 1;\n",
  [ACCEPTED_ADR_PATH]: ACCEPTED_ADR,
  "docs/pitfalls/api.md": PITFALLS_API,
};

/** The same repository as a team that just installed Baton might have it: no .github/baton.yml, no pitfalls, an ADR with only `status` and `spec`. */
export const MINIMAL_ADR = `---
status: accepted
spec: "#2"
---
# Rate-limit the public API

## Context

One client can exhaust the API for everyone (issue #2).

## Decision

A token bucket per client, in process, in \`src/api/rate-limit.ts\`.

## Consequences

Limits are per process.
`;

export const MINIMAL_FILES: Record<string, string> = Object.fromEntries([
  ...Object.entries(FILES).filter(([path]) => path !== ".github/baton.yml" && path !== ACCEPTED_ADR_PATH && !path.startsWith("docs/pitfalls/")),
  [ACCEPTED_ADR_PATH, MINIMAL_ADR],
]);

export type FixtureVariant = "configured" | "minimal";

export const ISSUE_ARCHITECTURE = {
  number: 1,
  title: "Cache user lookups",
  body: "User lookups hit the database on every request. We need them cached in the api module, with at most a few seconds of staleness.",
};

export const ISSUE_DEV = {
  number: 2,
  title: "Rate-limit the public API",
  body: "One client can exhaust the API for everyone. Rate-limit requests per client in the api module; answer 429 when the limit is reached.",
};

/** Seeds the fake: files on `main`, two issues, who may write. Returns the commit sha of `main`. */
export function seedRepository(github: FakeGitHubServer, variant: FixtureVariant = "configured"): string {
  const sha = github.commitFiles(variant === "minimal" ? MINIMAL_FILES : FILES, "Initial commit");
  github.setBranch(github.defaultBranch, sha);
  github.addIssue({ ...ISSUE_ARCHITECTURE, user: "octocat" });
  github.addIssue({ ...ISSUE_DEV, user: "octocat" });
  github.permissions.set("octocat", "admin");
  // "outsider" is not a collaborator: GitHub answers 404 for their permission.
  return sha;
}
