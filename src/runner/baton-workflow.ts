import { parse } from "yaml";

/**
 * The workflow a repository copies to run Baton as a GitHub Action, and to
 * run the dev step's Claude Code session on the Actions runner when the
 * hosted app hands it over (`repository_dispatch` of type `baton-dev`).
 * The README shows the same text (a test keeps them equal).
 */
export const DEV_DISPATCH_TYPE = "baton-dev";

export const BATON_WORKFLOW_PATH = ".github/workflows/baton.yml";

export const BATON_WORKFLOW_YAML = `name: baton
on:
  pull_request:
    types: [opened, synchronize, reopened, ready_for_review, closed]
  pull_request_review:
    types: [submitted]   # an approval accepts an ADR
  push:
    branches: [main]     # your default branch: ADR numbers and "context changed"
  issues:
    types: [labeled]
  issue_comment:
    types: [created]
  repository_dispatch:
    types: [${DEV_DISPATCH_TYPE}]   # the hosted Baton app hands the dev step to this workflow
permissions:
  contents: write
  pull-requests: write
  issues: write
  checks: write
jobs:
  baton:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false   # no token in .git/config for the session's commands to read
      # The dev session runs your tests: install what they need (adapt to your project).
      - if: contains(fromJSON('["issues", "issue_comment", "repository_dispatch"]'), github.event_name)
        uses: actions/setup-node@v4
        with:
          node-version: 20
      - if: contains(fromJSON('["issues", "issue_comment", "repository_dispatch"]'), github.event_name)
        run: npm ci
      - uses: baton-dev/baton@main
        with:
          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}
`;

/**
 * The repository's workflow that takes the dev step from the hosted app:
 * one under .github/workflows that runs on `repository_dispatch` with the
 * type `baton-dev` (or with no types, which takes every type). Read from the
 * trusted commit; a file that does not parse is skipped.
 */
export function findDevWorkflow(files: { path: string; text: string }[]): string | null {
  for (const f of files) {
    if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(f.path)) continue;
    let doc: unknown;
    try {
      doc = parse(f.text, { maxAliasCount: 100 });
    } catch {
      continue;
    }
    const on = doc && typeof doc === "object" ? (doc as Record<string, unknown>).on : undefined;
    if (on === "repository_dispatch" || (Array.isArray(on) && on.includes("repository_dispatch"))) return f.path;
    if (!on || typeof on !== "object" || !("repository_dispatch" in on)) continue;
    const rd = (on as Record<string, unknown>).repository_dispatch;
    const types = rd && typeof rd === "object" ? (rd as { types?: unknown }).types : undefined;
    if (types === undefined || types === null || (Array.isArray(types) && types.includes(DEV_DISPATCH_TYPE)) || types === DEV_DISPATCH_TYPE) return f.path;
  }
  return null;
}
