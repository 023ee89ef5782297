import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A node:http server on 127.0.0.1 at a free port, for the loopback fakes; stopping it drops open connections. */
export class LoopbackListener {
  private server: Server | undefined;
  private listeningOn = 0;

  constructor(private readonly handle: (req: IncomingMessage, res: ServerResponse) => void) {}

  /** The port, once started (0 before). */
  get port(): number {
    return this.listeningOn;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port: 0, host: "127.0.0.1" }, () => resolve());
    });
    this.server = server;
    this.listeningOn = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
