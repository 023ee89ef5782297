import type { IncomingMessage, ServerResponse } from "node:http";
import { verify } from "@octokit/webhooks-methods";
import type { Delivery } from "../app/delivery-job.js";
import type { Acceptance } from "../app/probot-app.js";
import { QueueClosedError, QueueFullError } from "../jobs/job.js";

export interface WebhookEndpointOptions {
  path: string;
  secret: string;
  maxBodyBytes: number;
  /** Enqueues the delivery (no GitHub request); throws QueueFullError / QueueClosedError when it cannot. */
  accept(delivery: Delivery): Promise<Acceptance>;
  log: { info(obj: Record<string, unknown>, msg: string): void; warn(obj: Record<string, unknown>, msg: string): void; error(obj: Record<string, unknown>, msg: string): void };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * GitHub's webhook endpoint. In order: the size (Content-Length, then the
 * bytes as they arrive; past the cap the request is answered 413 and
 * dropped, its signature never computed), the signature (HMAC-SHA256 with
 * WEBHOOK_SECRET), the JSON, then `accept`, which only enqueues. The
 * answer therefore never waits for GitHub or the model.
 */
export function webhookEndpoint(opts: WebhookEndpointOptions): Handler {
  return async (req, res) => {
    // "/" too: Probot's setup page registers the app with `<base URL>/` as its webhook URL.
    const path = (req.url ?? "").split("?")[0];
    if (path !== opts.path && !(path === "/" && req.method === "POST")) return false;
    if (req.method !== "POST") {
      answer(res, 405, "Webhooks are POSTed here.", { allow: "POST" });
      return true;
    }
    const id = header(req, "x-github-delivery");
    const name = header(req, "x-github-event");
    const signature = header(req, "x-hub-signature-256");
    const missing = [!id && "X-GitHub-Delivery", !name && "X-GitHub-Event", !signature && "X-Hub-Signature-256"].filter(Boolean);
    if (missing.length) {
      drop(req, res);
      answer(res, 400, `Missing header${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`);
      return true;
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > opts.maxBodyBytes) {
      tooLarge(req, res, opts, id!, name!);
      return true;
    }
    const body = await readCapped(req, opts.maxBodyBytes);
    if (body === null) {
      tooLarge(req, res, opts, id!, name!);
      return true;
    }
    if (!(await verify(opts.secret, body, signature!).catch(() => false))) {
      opts.log.warn({ delivery: id, event: name }, "webhook refused: the signature does not match WEBHOOK_SECRET");
      answer(res, 401, "The signature does not match this app's webhook secret.");
      return true;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      answer(res, 400, "The body is not JSON.");
      return true;
    }
    try {
      const result = await opts.accept({ id: id!, name: name!, payload });
      answer(res, 200, result.accepted ? `Accepted: ${result.job}` : `Nothing to do: ${result.reason}`);
    } catch (err) {
      if (err instanceof QueueFullError || err instanceof QueueClosedError) {
        opts.log.warn({ delivery: id, event: name }, err.message);
        answer(res, 503, err.message, { "retry-after": "60" });
      } else {
        opts.log.error({ delivery: id, event: name, err: err instanceof Error ? err.message : String(err) }, "webhook could not be queued");
        answer(res, 500, "Baton could not queue this delivery; see its log. Redeliver it once fixed.");
      }
    }
    return true;
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) || undefined;
}

/** The body as text, or null as soon as it passes `max` bytes (the rest is not read). */
function readCapped(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off("data", onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

function tooLarge(req: IncomingMessage, res: ServerResponse, opts: WebhookEndpointOptions, id: string, name: string): void {
  opts.log.warn({ delivery: id, event: name, limit: opts.maxBodyBytes }, "webhook refused before its signature was checked: body over WEBHOOK_MAX_BODY_BYTES");
  drop(req, res);
  answer(res, 413, `The body is larger than ${opts.maxBodyBytes} bytes (WEBHOOK_MAX_BODY_BYTES); it was not read.`, { connection: "close" });
}

/** A request answered before its body was read: nothing more is read, and the connection closes once the answer is out. */
function drop(req: IncomingMessage, res: ServerResponse): void {
  req.pause();
  res.once("finish", () => req.destroy());
}

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers }).end(`${text}\n`);
}
