import type { IncomingMessage } from "node:http";
import { notFoundPayload, type Json } from "../../../test/support/fake-github/github-site.js";
import { paginate } from "../../../test/support/fake-github/link-pagination.js";
import type { RouteHandlers } from "../../../test/support/fake-github/repo-routes.js";

/** How the loopback fake GitHub's routes are declared and answer: a status and a body, or a thrown HttpError. */

export type { Json };
export type Result = [number, unknown];

export interface Ctx {
  query: URLSearchParams;
  body: Json;
  req: IncomingMessage;
  /** Decoded, without /api/v3. */
  path: string;
  rawPath: string;
  /** Response headers to add (Link). */
  headers: Record<string, string>;
  /** `127.0.0.1:<port>`, for Link URLs. */
  host: string;
}

/** Handlers of repository routes, by route name (test/support/fake-github/repo-routes.ts). */
export type Handlers = RouteHandlers<Ctx, Result>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly payload: Json,
  ) {
    super(String(payload.message ?? status));
  }
}

/** A refusal of the shared core (test/support/fake-github/commit-refusals.ts), thrown. */
export function refuse(refusal: [number, Json] | undefined): void {
  if (refusal) throw new HttpError(refusal[0], refusal[1]);
}

export const notFound = () => new HttpError(404, notFoundPayload());
export const unprocessable = (message: string, errors?: unknown[]) =>
  new HttpError(422, { message, ...(errors ? { errors } : {}), documentation_url: "https://docs.github.com/rest", status: "422" });

/** One page of a list (per_page, page), with its Link header. */
export function page<T>(ctx: Ctx, items: T[], map: (item: T) => unknown): unknown[] {
  const { items: slice, link } = paginate(items, ctx.query, (q) => `http://${ctx.host}${ctx.rawPath}?${q.toString()}`);
  if (link) ctx.headers.link = link;
  return slice.map(map);
}
