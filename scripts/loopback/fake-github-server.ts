import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { findRepoRoute } from "../../test/support/fake-github/repo-routes.js";
import { AppAuth } from "./fake-github-server/app-auth.js";
import { checkRunRoutes } from "./fake-github-server/check-run-routes.js";
import { gitDataRoutes } from "./fake-github-server/git-data-routes.js";
import { FakeGitHubState } from "./fake-github-server/github-state.js";
import { HttpError, notFound, type Ctx, type Handlers, type Json, type Result } from "./fake-github-server/http-route.js";
import { issueRoutes } from "./fake-github-server/issue-routes.js";
import { pullRoutes } from "./fake-github-server/pull-routes.js";
import type { FakeGitHubOptions } from "./fake-github-server/records.js";
import { answerGraphql, repositoryRoutes } from "./fake-github-server/repository-routes.js";
import { LoopbackListener } from "../../test/support/loopback-listener.js";

/**
 * A small stateful GitHub (Enterprise) API on 127.0.0.1, for running the
 * real Baton process against: REST under /api/v3 and GraphQL at
 * /api/graphql, as Probot's GHE_HOST / GHE_PROTOCOL settings address them.
 *
 * It keeps real state: git objects (blob, tree and commit ids computed as
 * git computes them), refs, issues, comments, pull requests (head and base
 * follow their branches; files and patches are computed from the trees),
 * reviews and check runs. Every write changes the state, so a second run of
 * the app (redelivery, restart) sees what the first one left, as on GitHub.
 * It checks what GitHub checks where it matters to Baton: the app's JWT
 * (RS256, signed with the app's key) for installation tokens, the token on
 * every other request, review comments only where GitHub places them
 * (`reviewCommentProblem`, shared with the nock fake), one open pull
 * request per head, fast-forward-only ref updates.
 *
 * Every request is recorded. A route it does not know is logged loudly,
 * recorded in `unmatched` and answered 404, so missing coverage is visible.
 *
 * This file is the HTTP side (listening, auth, dispatch); the state and its
 * payloads are in fake-github-server/github-state.ts, the routes by resource
 * in fake-github-server/*-routes.ts, and the shapes and git objects it shares
 * with the nock fake of test/app in test/support/fake-github/.
 */

export type { Census, CheckRunRecord, CommentRecord, CommitRecord, FakeGitHubOptions, IssueRecord, PullRecord, RecordedRequest, ReviewRecord } from "./fake-github-server/records.js";

export class FakeGitHubServer extends FakeGitHubState {
  private readonly auth: AppAuth;
  private readonly trace: boolean;
  private readonly routes: Handlers;
  private readonly listener = new LoopbackListener((req, res) => void this.handle(req, res));

  constructor(options: FakeGitHubOptions) {
    super(options);
    this.auth = new AppAuth(this.appId, this.installationId, options.appPublicKey);
    this.trace = options.trace ?? false;
    this.routes = { ...repositoryRoutes(this), ...gitDataRoutes(this), ...issueRoutes(this), ...pullRoutes(this), ...checkRunRoutes(this) };
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<this> {
    await this.listener.start();
    this.port = this.listener.port;
    return this;
  }

  async stop(): Promise<void> {
    await this.listener.stop();
  }

  // ------------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", `http://${this.host}`);
    const rawPath = url.pathname;
    const path = decodeURIComponent(rawPath.replace(/^\/api\/v3(?=\/)/, ""));
    let body: unknown = undefined;
    let status = 500;
    let payload: unknown;
    const headers: Record<string, string> = {};
    try {
      const text = await readBody(req);
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        throw new HttpError(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest", status: "400" });
      }
      const handler = this.route(method, rawPath, path);
      if (!handler) {
        this.unmatched.push(`${method} ${rawPath}${url.search}`);
        this.log(`[fake-github] UNHANDLED ROUTE ${method} ${rawPath}${url.search} -> 404 (the fake does not cover this request)`);
        throw notFound();
      }
      const appJwtRoute = (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) || (method === "GET" && path === "/app");
      if (!appJwtRoute) this.auth.checkToken(req);
      const result = handler({ query: url.searchParams, body: (body ?? {}) as Json, req, path, rawPath, headers, host: this.host });
      status = result[0];
      payload = result[1];
    } catch (err) {
      if (err instanceof HttpError) {
        status = err.status;
        payload = err.payload;
      } else {
        status = 500;
        payload = { message: `fake-github error: ${err instanceof Error ? err.message : String(err)}` };
        const line = `[fake-github] SERVER ERROR on ${method} ${rawPath}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
        this.serverErrors.push(line);
        this.log(line);
      }
    }
    const text = payload === undefined ? "" : JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-github-api-version-selected": "2022-11-28",
      ...headers,
    });
    res.end(text);
    this.requests.push({ method, path, query: url.searchParams, status, at: performance.now(), body });
    if (this.trace) this.log(`[fake-github] ${method} ${rawPath}${url.search} -> ${status}`);
    this.inFlight--;
  }

  private route(method: string, rawPath: string, path: string): ((ctx: Ctx) => Result) | undefined {
    if (method === "POST" && rawPath === "/api/graphql") return (ctx) => answerGraphql(this, ctx.body);
    const token = method === "POST" ? /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path) : null;
    if (token) return (ctx) => this.auth.accessToken(ctx.req, Number(token[1]), () => ++this.tokensIssued);
    if (method === "GET" && path === "/app") return (ctx) => this.auth.app(ctx.req, this.site);
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(prefix)) {
      if (/^\/repos\/[^/]+\/[^/]+(\/|$)/.test(path)) return () => [404, notFound().payload];
      return undefined;
    }
    return findRepoRoute(this.routes, method, path.slice(prefix.length));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 50 * 1024 * 1024) throw new HttpError(413, { message: "request body too large" });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
