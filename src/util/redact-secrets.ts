/**
 * Error text travels far: an SDK's connection error names the URL it tried,
 * an HTTP error may echo a header, a stack may hold a key. Anything Baton
 * posts (check runs, comments, PR bodies) or prints where others read it
 * goes through {@link redactSecrets} first. It removes:
 *
 * - PEM private keys (terminated or not);
 * - the values of secret environment variables: any variable whose name
 *   says it holds a secret (`ANTHROPIC_API_KEY`, `PRIVATE_KEY`,
 *   `WEBHOOK_SECRET`, `GITHUB_TOKEN`: `*_KEY`, `*TOKEN*`, `*SECRET*`,
 *   `*PASSWORD*`, …), and whatever the caller adds;
 * - configured endpoints: the whole value of `ANTHROPIC_BASE_URL`,
 *   `GHE_HOST`, `REDIS_URL`, … and then their host names wherever they occur
 *   (public hosts such as `api.github.com` are kept: they say nothing);
 * - credentials in any URL (`scheme://user:pass@`), and secret-looking query
 *   parameters (`?api_key=…`, `&token=…`);
 * - tokens by shape: GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`,
 *   `github_pat_`), Anthropic (`sk-ant-…`) and other `sk-…` keys, JWTs,
 *   `Bearer …` / `Basic …` / `token …` credentials, AWS access key ids,
 *   Slack tokens.
 *
 * Every pattern is a plain character-class run anchored on a fixed prefix at
 * a token boundary, so the scan is linear on hostile input.
 */

export const REDACTED = "[redacted]";
export const REDACTED_HOST = "[redacted-host]";

/** Variables naming an endpoint: its credentials and its host are private. */
const ENDPOINT_ENV = ["ANTHROPIC_BASE_URL", "GHE_HOST", "GITHUB_API_URL", "GITHUB_SERVER_URL", "REDIS_URL", "HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "ALL_PROXY", "WEBHOOK_PROXY_URL"];

/**
 * A name that says the variable holds a secret: every secret Baton and its
 * SDKs read (`ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN`, `PRIVATE_KEY`,
 * `WEBHOOK_SECRET`, `GITHUB_TOKEN`, `GH_TOKEN`, `CLIENT_SECRET`, their
 * `INPUT_` forms in the Action) has such a name.
 */
const SECRET_NAME = /(?:^|_)(?:APIKEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|AUTH)(?:_|$)/i;

/** Hosts everyone knows: naming them leaks nothing and keeps errors readable. */
const PUBLIC_HOSTS = new Set(["github.com", "api.github.com", "uploads.github.com", "api.anthropic.com", "anthropic.com", "localhost"]);

/** Shortest value treated as a secret: shorter ones (`1`, `true`) would shred ordinary text. */
const MIN_SECRET_LENGTH = 8;

export interface RedactionOptions {
  /** Environment to read secrets and endpoints from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** More secret values to remove (an installation token, a webhook secret passed as an option). */
  secrets?: readonly string[];
}

const TOKEN_PATTERNS: readonly RegExp[] = [
  // GitHub: classic and fine-grained PATs, OAuth, user-to-server, server-to-server, refresh.
  /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9_]{16,}/g,
  /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{16,}/g,
  // Anthropic (`sk-ant-api03-…`, `sk-ant-admin01-…`) and other `sk-` keys.
  /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{16,}/g,
  // JSON Web Tokens: base64url header starting `{"` = `eyJ`, payload, signature.
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  // AWS access key ids, Slack tokens.
  /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g,
  /(?<![A-Za-z0-9_-])xox[abposr]-[A-Za-z0-9-]{10,}/g,
];

// `Authorization: Bearer x`, `bearer x`, `Basic x`, `token x` (GitHub's
// header form). The scheme word is kept so the message still says what failed.
const AUTH_SCHEME = /\b(Bearer|Basic|token)([ \t]+|=|:[ \t]*)([A-Za-z0-9._~+/=-]{8,})/gi;

/**
 * Whether a word after `Bearer`, `token`, `password:` … is a credential
 * rather than prose (`token budget exceeded`): credentials hold a digit, or
 * are long.
 */
function looksLikeCredential(value: string): boolean {
  return value.length >= 24 || (value.length >= 8 && /[0-9]/.test(value));
}

// `x-api-key: …`, `authorization: …` in a dumped header list or JSON.
const AUTH_HEADER = /\b(x-api-key|authorization|api[_-]?key|private[_-]?key|client[_-]?secret|access[_-]?token|refresh[_-]?token|password|secret)("?[ \t]*[:=][ \t]*"?)([^\s",;}&]{4,})/gi;

// `?key=value` / `&token=value` in URLs.
const SECRET_QUERY = /([?&](?:api[_-]?key|key|token|access[_-]?token|secret|password|sig|signature|code|auth)=)([^&\s#"']+)/gi;

// `scheme://userinfo@` — whatever sits before `@` in a URL's authority is a credential.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,20}:\/\/)([^\s/?#@"'<>]{1,512})@/gi;

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----/;

/** Remove every PEM private key block; an unterminated one is cut to the end. */
function redactPem(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const begin = PEM_BEGIN.exec(rest);
    if (!begin) return out + rest;
    out += rest.slice(0, begin.index) + REDACTED;
    rest = rest.slice(begin.index + begin[0].length);
    const end = PEM_END.exec(rest);
    if (!end) return out;
    rest = rest.slice(end.index + end[0].length);
  }
}

/** Every occurrence of `value` (never empty: secrets are 8 characters or more, hosts 3). */
function replaceAll(text: string, value: string, by: string): string {
  return text.split(value).join(by);
}

/** The host (`example.com`, `example.com:8443`) of an endpoint value, which may lack a scheme (`GHE_HOST`). */
function endpointHosts(value: string): string[] {
  const trimmed = value.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    const hosts = [url.host, url.hostname];
    // `new URL` lower-cases and punycodes the host; the raw spelling may appear in a message too.
    const raw = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/]*@)?([^/?#]+)/i.exec(trimmed)?.[1];
    if (raw) hosts.push(raw, raw.replace(/:\d+$/, ""));
    return [...new Set(hosts)].filter((h) => h.length >= 3 && !PUBLIC_HOSTS.has(h.toLowerCase()));
  } catch {
    return [];
  }
}

interface Secrets {
  values: string[];
  hosts: string[];
}

function collectSecrets(options: RedactionOptions): Secrets {
  const env = options.env ?? process.env;
  const values: string[] = [...(options.secrets ?? [])];
  const hosts: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue; // an empty value names no host and is shorter than any secret
    if (ENDPOINT_ENV.includes(name)) {
      const own = endpointHosts(value);
      // A public endpoint (`https://api.github.com`) is no secret, unless it carries credentials.
      if (own.length > 0 || value.includes("@")) values.push(value.trim());
      hosts.push(...own);
    } else if (SECRET_NAME.test(name)) {
      values.push(value, value.trim());
    }
  }
  const withEncodings = values.flatMap((v) => [v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1)]);
  const unique = [...new Set(withEncodings)].filter((v) => v.length >= MIN_SECRET_LENGTH);
  // Longest first, so a value that contains another is removed whole.
  unique.sort((a, b) => b.length - a.length);
  const uniqueHosts = [...new Set(hosts)].sort((a, b) => b.length - a.length);
  return { values: unique, hosts: uniqueHosts };
}

/**
 * Remove secrets from a message before it is posted or printed. See the
 * module comment for what is removed. Idempotent; safe on any string.
 */
export function redactSecrets(message: string, options: RedactionOptions = {}): string {
  const secrets = collectSecrets(options);
  let text = redactPem(message);
  for (const value of secrets.values) text = replaceAll(text, value, REDACTED);
  text = text.replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`);
  for (const host of secrets.hosts) text = replaceAll(text, host, REDACTED_HOST);
  text = text.replace(SECRET_QUERY, (_m, key: string) => `${key}${REDACTED}`);
  text = text.replace(AUTH_SCHEME, (m, scheme: string, sep: string, value: string) => (looksLikeCredential(value) || isBasicCredential(scheme, value) ? `${scheme}${sep}${REDACTED}` : m));
  text = text.replace(AUTH_HEADER, (m, name: string, sep: string, value: string) => (looksLikeCredential(value) ? `${name}${sep}${REDACTED}` : m));
  for (const pattern of TOKEN_PATTERNS) text = text.replace(pattern, REDACTED);
  return text;
}

/**
 * `Basic` carries base64 of `user:password`, a credential even when short
 * and without a digit (`dXNlcjpwYXNz`); prose after the word (`Basic
 * authentication`) is no such base64.
 */
function isBasicCredential(scheme: string, value: string): boolean {
  return scheme.toLowerCase() === "basic" && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, "base64").toString("latin1").includes(":");
}
