/**
 * The REST routes of the one repository the fakes serve, by name: the
 * method, and the pattern of the path after /repos/{owner}/{repo} (decoded),
 * whose groups are the route's parameters. Each fake gives handlers for the
 * routes it answers; a request no handler takes stays unmatched.
 */

export const REPO_ROUTES = {
  getRepository: ["GET", /^$/],
  getContents: ["GET", /^\/contents\/(.+)$/],
  getPermission: ["GET", /^\/collaborators\/([^/]+)\/permission$/],
  createDispatchEvent: ["POST", /^\/dispatches$/],
  // git data
  getRef: ["GET", /^\/git\/ref\/(.+)$/],
  createRef: ["POST", /^\/git\/refs$/],
  updateRef: ["PATCH", /^\/git\/refs\/(.+)$/],
  getCommit: ["GET", /^\/git\/commits\/([0-9a-f]{40})$/],
  createCommit: ["POST", /^\/git\/commits$/],
  getTree: ["GET", /^\/git\/trees\/(.+)$/],
  createTree: ["POST", /^\/git\/trees$/],
  getBlob: ["GET", /^\/git\/blobs\/([0-9a-f]{40})$/],
  createBlob: ["POST", /^\/git\/blobs$/],
  // issues and comments
  getIssue: ["GET", /^\/issues\/(\d+)$/],
  listComments: ["GET", /^\/issues\/(\d+)\/comments$/],
  createComment: ["POST", /^\/issues\/(\d+)\/comments$/],
  updateComment: ["PATCH", /^\/issues\/comments\/(\d+)$/],
  addLabels: ["POST", /^\/issues\/(\d+)\/labels$/],
  // pulls and reviews
  listPulls: ["GET", /^\/pulls$/],
  createPull: ["POST", /^\/pulls$/],
  getPull: ["GET", /^\/pulls\/(\d+)$/],
  updatePull: ["PATCH", /^\/pulls\/(\d+)$/],
  listPullFiles: ["GET", /^\/pulls\/(\d+)\/files$/],
  listReviews: ["GET", /^\/pulls\/(\d+)\/reviews$/],
  createReview: ["POST", /^\/pulls\/(\d+)\/reviews$/],
  compare: ["GET", /^\/compare\/(.+)\.\.\.(.+)$/],
  // check runs
  listCheckRuns: ["GET", /^\/commits\/([^/]+)\/check-runs$/],
  createCheckRun: ["POST", /^\/check-runs$/],
  getCheckRun: ["GET", /^\/check-runs\/(\d+)$/],
  updateCheckRun: ["PATCH", /^\/check-runs\/(\d+)$/],
} as const satisfies Record<string, readonly [string, RegExp]>;

export type RepoRouteName = keyof typeof REPO_ROUTES;

/** A route's parameters, in order ("" where the route has fewer). */
export type RouteParams = [string, string];

export type RouteHandlers<C, R> = Partial<Record<RepoRouteName, (ctx: C, params: RouteParams) => R>>;

/** The handler for `method` and the path after /repos/{owner}/{repo}, bound to its parameters; undefined when none answers it. */
export function findRepoRoute<C, R>(handlers: RouteHandlers<C, R>, method: string, rest: string): ((ctx: C) => R) | undefined {
  for (const [name, [routeMethod, pattern]] of Object.entries(REPO_ROUTES)) {
    const handle = handlers[name as RepoRouteName];
    const m = handle && routeMethod === method ? pattern.exec(rest) : null;
    if (handle && m) {
      const params: RouteParams = [m[1] ?? "", m[2] ?? ""];
      return (ctx) => handle(ctx, params);
    }
  }
  return undefined;
}
