import { randomBytes, verify as verifySignature } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { appPayload, installationTokenPayload } from "../../../test/support/fake-github/account-payloads.js";
import { githubTimestamp, type GitHubSite } from "../../../test/support/fake-github/github-site.js";
import { HttpError, notFound, type Result } from "./http-route.js";

/**
 * GitHub App authentication as GitHub checks it: installation tokens only
 * for a valid RS256 JWT signed with the app's key, and one of those tokens
 * on every other request.
 */

export class AppAuth {
  private readonly tokens = new Set<string>();

  constructor(
    private readonly appId: number,
    private readonly installationId: number,
    private readonly appPublicKey: string,
  ) {}

  /** `POST /app/installations/{id}/access_tokens`; `serial` numbers the token, once it is issued. */
  accessToken(req: IncomingMessage, installationId: number, serial: () => number): Result {
    this.checkAppJwt(req);
    if (installationId !== this.installationId) throw notFound();
    const token = `ghs_loopback${serial()}${randomBytes(12).toString("hex")}`;
    this.tokens.add(token);
    return [201, installationTokenPayload(token, githubTimestamp(Date.now() + 3600_000))];
  }

  /** `GET /app`: the app's own record, for the app's JWT only. */
  app(req: IncomingMessage, site: GitHubSite): Result {
    this.checkAppJwt(req);
    return [200, appPayload(site)];
  }

  /** Throws 401 unless the request carries an installation token this fake issued. */
  checkToken(req: IncomingMessage): void {
    const auth = req.headers.authorization ?? "";
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(auth);
    if (!m || !this.tokens.has(m[1]!)) throw new HttpError(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
  }

  /** Verifies the app's JWT (RS256, iss = app id, not expired) as GitHub does. */
  private checkAppJwt(req: IncomingMessage): void {
    const auth = req.headers.authorization ?? "";
    const m = /^bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(auth);
    const fail = (why: string) => new HttpError(401, { message: `A JSON web token could not be decoded (${why})`, documentation_url: "https://docs.github.com/rest", status: "401" });
    if (!m) throw fail("no bearer JWT");
    const [, h, p, s] = m;
    const header = JSON.parse(Buffer.from(h!, "base64url").toString("utf8")) as { alg?: string };
    if (header.alg !== "RS256") throw fail(`alg ${header.alg}`);
    if (!verifySignature("RSA-SHA256", Buffer.from(`${h}.${p}`), this.appPublicKey, Buffer.from(s!, "base64url"))) throw fail("bad signature");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString("utf8")) as { iss?: unknown; exp?: number; iat?: number };
    if (String(claims.iss) !== String(this.appId)) throw fail(`iss ${String(claims.iss)}`);
    const t = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== "number" || claims.exp < t) throw fail("expired");
    if (typeof claims.iat === "number" && claims.iat > t + 60) throw fail("issued in the future");
  }
}
