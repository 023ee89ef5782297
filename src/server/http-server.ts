import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** GET /ping answers PONG (health checks, as Probot's server did). */
export const pingRoute: RouteHandler = async (req, res) => {
  if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/ping") return false;
  res.writeHead(200, { "content-type": "text/plain" }).end("PONG");
  return true;
};

export interface HttpListener {
  server: Server;
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
  /** Stops accepting connections; requests in progress finish. */
  close(): Promise<void>;
}

/** A node:http server trying each route in turn; 404 when none answers. */
export async function listen(routes: RouteHandler[], host: string, port: number, log: { error(obj: Record<string, unknown>, msg: string): void }): Promise<HttpListener> {
  const server = createServer((req, res) => {
    void (async () => {
      for (const route of routes) if (await route(req, res)) return;
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
    })().catch((err: unknown) => {
      log.error({ err: err instanceof Error ? err.message : String(err), url: req.url }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(`Port ${port} is already in use: set PORT to another one.`, { cause: err }) : err),
    );
    server.listen({ host, port }, () => resolve());
  });
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
