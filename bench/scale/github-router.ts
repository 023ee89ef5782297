import { request, type IncomingMessage, type ServerResponse } from "node:http";
import { LoopbackListener } from "../../test/support/loopback-listener.js";
import type { FakeGitHubServer } from "../../scripts/loopback/fake-github-server.js";

/**
 * One GitHub Enterprise host for many installations: the loopback fake
 * GitHub serves one repository and installation per server, so this router,
 * on its own port, sends each request to the server of its installation
 * (token requests), repository (REST) or GraphQL `$owner/$name`, after an
 * added latency, as the network between Baton and GitHub would.
 */
export class GitHubRouter {
  private readonly listener = new LoopbackListener((req, res) => void this.handle(req, res));
  /** Requests passed on (all servers). */
  requests = 0;

  constructor(
    private readonly fakes: FakeGitHubServer[],
    private readonly latencyMs: number,
  ) {}

  /** GHE_HOST for the app. */
  get host(): string {
    return `127.0.0.1:${this.listener.port}`;
  }

  async start(): Promise<this> {
    await this.listener.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.listener.stop();
  }

  private target(path: string, body: Buffer): FakeGitHubServer {
    const token = /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (token) return this.fakes.find((f) => f.installationId === Number(token[1])) ?? this.fakes[0]!;
    const repo = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)/.exec(path);
    if (repo) return this.fakes.find((f) => f.owner === decodeURIComponent(repo[1]!) && f.repo === decodeURIComponent(repo[2]!)) ?? this.fakes[0]!;
    if (path === "/api/graphql") {
      try {
        const v = (JSON.parse(body.toString("utf8")) as { variables?: { owner?: string; name?: string } }).variables;
        return this.fakes.find((f) => f.owner === v?.owner && f.repo === v?.name) ?? this.fakes[0]!;
      } catch {
        return this.fakes[0]!;
      }
    }
    return this.fakes[0]!;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? "/").split("?")[0]!;
    const fake = this.target(path, body);
    this.requests++;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const up = request(`http://${fake.host}${req.url ?? "/"}`, { method: req.method, headers: { ...req.headers, host: fake.host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    up.end(body);
  }
}
