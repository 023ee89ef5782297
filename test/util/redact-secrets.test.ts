import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../src/util/posted-text.js";

// Planted secrets: shaped like the real thing, never valid.
const GHP = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const GHS = "ghs_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8";
const PAT = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
const ANT = "sk-ant-api03-" + "x".repeat(20) + "_Y-9".repeat(10);
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSJ9.c2lnbmF0dXJlLWJ5dGVz";
const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1x2y3z\nabcDEF+/==\n-----END RSA PRIVATE KEY-----";

const ENV = {
  ANTHROPIC_BASE_URL: "https://baton:hunter2-pass@llm-proxy.corp.internal:8443/v1",
  ANTHROPIC_API_KEY: "custom-key-without-known-shape-1234",
  GHE_HOST: "ghe.corp.internal",
  MY_SERVICE_TOKEN: "opaque-value-42-zzz",
  REDIS_URL: "redis://:redispass99@cache.corp.internal:6379/0",
  HOME: "/home/baton",
  NODE_ENV: "production",
};

const redact = (message: string): string => redactSecrets(message, { env: ENV });

describe("redactSecrets", () => {
  it("removes the configured Anthropic endpoint: its credentials, its host, the whole URL", () => {
    const message = `Connection error: request to ${ENV.ANTHROPIC_BASE_URL}/messages failed, reason: getaddrinfo ENOTFOUND llm-proxy.corp.internal`;
    const out = redact(message);
    expect(out).not.toContain("hunter2");
    expect(out).not.toContain("llm-proxy");
    expect(out).not.toContain("corp.internal");
    expect(out).toContain("Connection error");
    expect(out).toContain("ENOTFOUND");
  });

  it("removes the GHE host and Redis credentials wherever they appear", () => {
    const out = redact("HttpError: connect ECONNREFUSED ghe.corp.internal:443 while redis at redis://:redispass99@cache.corp.internal:6379/0 said NOAUTH");
    expect(out).not.toMatch(/ghe\.corp|redispass99|cache\.corp/);
    expect(out).toContain("ECONNREFUSED");
  });

  it("removes credentials from any URL, configured or not", () => {
    expect(redactSecrets("fetch https://user:p%40ss@example.net/x failed", { env: {} })).toBe("fetch https://[redacted]@example.net/x failed");
    expect(redactSecrets(`git clone https://x-access-token:${GHS}@github.com/o/r`, { env: {} })).not.toContain(GHS.slice(4));
  });

  it("removes tokens by shape", () => {
    for (const secret of [GHP, GHS, PAT, ANT, JWT, "gho_" + "a".repeat(36), "AKIAABCDEFGHIJKLMNOP", "xoxb-123456789012-abcdefghij"]) {
      const out = redactSecrets(`failed with ${secret}.`, { env: {} });
      expect(out, secret).toBe("failed with [redacted].");
    }
  });

  it("removes bearer credentials, secret headers and query parameters, keeping prose about tokens", () => {
    const out = redactSecrets(
      'headers: {"authorization":"Bearer abc123def456ghi","x-api-key":"k3y-value-99"} url=https://h.example/p?api_key=zz99top&ok=1',
      { env: {} },
    );
    expect(out).not.toMatch(/abc123def456ghi|k3y-value-99|zz99top/);
    expect(out).toContain("ok=1");
    expect(redactSecrets("token budget exceeded: 12000 tokens estimated", { env: {} })).toBe("token budget exceeded: 12000 tokens estimated");
  });

  it("removes PEM private keys, terminated or not", () => {
    expect(redactSecrets(`key:\n${PEM}\nend`, { env: {} })).toBe("key:\n[redacted]\nend");
    expect(redactSecrets("x -----BEGIN PRIVATE KEY-----\nMIIabc", { env: {} })).toBe("x [redacted]");
  });

  it("removes the values of secret environment variables, by list and by name", () => {
    const out = redact(`auth with custom-key-without-known-shape-1234 and opaque-value-42-zzz; home /home/baton in production`);
    expect(out).toBe("auth with [redacted] and [redacted]; home /home/baton in production");
    // JSON-escaped and URL-encoded forms too.
    const multiLine = { PRIVATE_KEY: "line one\nline two secret" };
    expect(redactSecrets(JSON.stringify({ e: "line one\nline two secret" }), { env: multiLine })).toBe('{"e":"[redacted]"}');
    expect(redactSecrets("v=a%2Fb%2Bc%3Dsecret", { env: { X_SECRET: "a/b+c=secret" } })).toBe("v=[redacted]");
  });

  it("removes extra secrets it is given, and reads process.env by default", () => {
    expect(redactSecrets("tok v1.abcdefgh0123", { env: {}, secrets: ["v1.abcdefgh0123"] })).toBe("tok [redacted]");
    process.env.WEBHOOK_SECRET = "planted-webhook-secret-77";
    try {
      expect(redactSecrets("sig mismatch for planted-webhook-secret-77")).toBe("sig mismatch for [redacted]");
    } finally {
      delete process.env.WEBHOOK_SECRET;
    }
  });

  it("keeps public hosts and is idempotent", () => {
    const env = { GITHUB_API_URL: "https://api.github.com", ANTHROPIC_BASE_URL: "https://api.anthropic.com" };
    const message = "GET https://api.github.com/repos/o/r 502; POST https://api.anthropic.com/v1/messages 529";
    expect(redactSecrets(message, { env })).toBe(message);
    const once = redact(`x ${GHP} ${ENV.ANTHROPIC_BASE_URL} Bearer abc123def456ghi`);
    expect(redact(once)).toBe(once);
  });

  it("is linear on hostile input", () => {
    const hostile = "eyJ".repeat(30_000) + "https://".repeat(10_000) + "-----BEGIN PRIVATE KEY-----".repeat(2_000) + "Bearer ".repeat(10_000);
    expect(redactSecrets(hostile, { env: ENV }).length).toBeGreaterThan(0);
  });
});

describe("redactSecrets: the edges of each rule", () => {
  const none = { env: {} };

  it("keeps the scheme or header name and its separator, removing only the credential", () => {
    expect(redactSecrets("Authorization: Bearer abc123def456ghi", none)).toBe("Authorization: Bearer [redacted]");
    expect(redactSecrets("git token=abcd1234wxyz", none)).toBe("git token=[redacted]");
    expect(redactSecrets('{"x-api-key":"k3y-value-99","password": "hunter22"}', none)).toBe('{"x-api-key":"[redacted]","password": "[redacted]"}');
    expect(redactSecrets("https://h.example/p?token=zz99&code=abc&ok=1#top", none)).toBe("https://h.example/p?token=[redacted]&code=[redacted]&ok=1#top");
  });

  it("reads each secret header name with a hyphen, an underscore or nothing between its words", () => {
    const names = ["api-key", "apikey", "api_key", "private_key", "privatekey", "private-key", "client-secret", "clientsecret", "access_token", "refresh-token", "refreshtoken"];
    for (const name of names) expect(redactSecrets(`${name}: abcd1234`, none), name).toBe(`${name}: [redacted]`);
    expect(redactSecrets("apiXkey=abcd1245 privateXkey=abcd1246", none)).toBe("apiXkey=abcd1245 privateXkey=abcd1246");
  });

  it("takes a word after Bearer or a secret header for a credential when it holds a digit, or is 24 characters or more", () => {
    expect(redactSecrets("Bearer abcdefg1", none)).toBe("Bearer [redacted]");
    expect(redactSecrets("Bearer abcdefgh", none)).toBe("Bearer abcdefgh");
    expect(redactSecrets(`Bearer ${"a".repeat(23)}`, none)).toBe(`Bearer ${"a".repeat(23)}`);
    expect(redactSecrets(`Bearer ${"a".repeat(24)}`, none)).toBe("Bearer [redacted]");
    expect(redactSecrets("password: abc1", none)).toBe("password: abc1");
    expect(redactSecrets("password: abcdefg1", none)).toBe("password: [redacted]");
  });

  it("removes every PEM key of a message and keeps the text between them", () => {
    const key = (kind: string) => `-----BEGIN ${kind}PRIVATE KEY-----\nMIIabc\n-----END ${kind}PRIVATE KEY-----`;
    expect(redactSecrets(`a ${key("EC ")} b ${key("")} c`, none)).toBe("a [redacted] b [redacted] c");
    // An END line before any BEGIN closes nothing: the key after it is cut to the end, once.
    expect(redactSecrets("-----END RSA PRIVATE KEY----- then -----BEGIN RSA PRIVATE KEY-----\nMIIabc", none)).toBe("-----END RSA PRIVATE KEY----- then [redacted]");
  });

  it("removes a value that contains another secret whole, longest first, and a host with its port", () => {
    const env = { SHORT_TOKEN: "abcdefgh", LONG_TOKEN: "abcdefgh-and-more-secret", GHE_HOST: "https://ghe.corp.internal:8443" };
    expect(redactSecrets("t=abcdefgh-and-more-secret", { env })).toBe("t=[redacted]");
    expect(redactSecrets("connect ghe.corp.internal:8443 then ghe.corp.internal", { env })).toBe("connect [redacted-host] then [redacted-host]");
  });

  it("takes a secret's value with and without the spaces around it, and only from 8 characters", () => {
    expect(redactSecrets("v=secret-value-123.", { env: { APP_TOKEN: "  secret-value-123\n" } })).toBe("v=[redacted].");
    expect(redactSecrets("v=abcdefgh v=abcdefg", { env: { A_TOKEN: "abcdefgh", B_TOKEN: "abcdefg" } })).toBe("v=[redacted] v=abcdefg");
    expect(redactSecrets("k=abcdefgh", { env: {}, secrets: ["abcdefgh", ""] })).toBe("k=[redacted]");
  });

  it("removes the value of every secret Baton and its SDKs read, by its name", () => {
    const names = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "PRIVATE_KEY", "WEBHOOK_SECRET", "GITHUB_TOKEN", "GH_TOKEN", "INPUT_ANTHROPIC_API_KEY", "INPUT_GITHUB_TOKEN", "CLIENT_SECRET", "GITHUB_CLIENT_SECRET", "API_KEY", "DB_PASS", "DB_PASSWD", "GCP_CREDENTIAL", "GCP_CREDENTIALS", "BASIC_AUTH"];
    for (const name of names) expect(redactSecrets("failed: opaque-value-42", { env: { [name]: "opaque-value-42" } }), name).toBe("failed: [redacted]");
  });

  it("reads secret names at word boundaries only", () => {
    const env = { MY_API_KEY: "value-one-1", MONKEY: "value-two-2", TOKENIZER: "value-three-3", DB_PASSWORD_FILE: "value-four-4", APIKEY: "value-five-5" };
    expect(redactSecrets("value-one-1 value-two-2 value-three-3 value-four-4 value-five-5", { env })).toBe("[redacted] value-two-2 value-three-3 [redacted] [redacted]");
  });

  it("reads an endpoint's host as written, in any case, and keeps public ones unless they carry credentials", () => {
    const env = { ANTHROPIC_BASE_URL: "https://LLM-Proxy.Corp.Internal:8443/v1" };
    expect(redactSecrets("ENOTFOUND LLM-Proxy.Corp.Internal and llm-proxy.corp.internal:8443", { env })).toBe("ENOTFOUND [redacted-host] and [redacted-host]");
    const upper = { GITHUB_API_URL: "https://API.GitHub.com" };
    expect(redactSecrets("GET https://API.GitHub.com/x 502", { env: upper })).toBe("GET https://API.GitHub.com/x 502");
    const withCredentials = { GITHUB_API_URL: "https://user:pw12345@api.github.com" };
    expect(redactSecrets("GET https://user:pw12345@api.github.com/x", { env: withCredentials })).toBe("GET [redacted]/x");
  });

  it("removes a configured endpoint whole, spaces around it or not, and a host whose default port the URL drops", () => {
    expect(redactSecrets("POST https://LLM-Proxy.Corp.Internal:8443/v1/messages", { env: { ANTHROPIC_BASE_URL: "https://LLM-Proxy.Corp.Internal:8443/v1" } })).toBe("POST [redacted]/messages");
    expect(redactSecrets("at https://llm.corp.internal/v1/x", { env: { ANTHROPIC_BASE_URL: " https://llm.corp.internal/v1 " } })).toBe("at [redacted]/x");
    expect(redactSecrets("connect ghe.corp.internal:443", { env: { GHE_HOST: "https://ghe.corp.internal:443" } })).toBe("connect [redacted-host]");
  });

  it("ignores endpoint values that name no usable host", () => {
    expect(redactSecrets("a graph of ghosts", { env: { GHE_HOST: "gh" } })).toBe("a graph of ghosts");
    expect(redactSecrets("exa mple at exa", { env: { GHE_HOST: "exa mple" } })).toBe("exa mple at exa");
    expect(redactSecrets("nothing here", { env: { REDIS_URL: "   ", HTTP_PROXY: "", GHE_HOST: undefined, APP_TOKEN: undefined } })).toBe("nothing here");
    expect(redactSecrets("", { env: ENV })).toBe("");
  });
});


describe("redactSecrets: each token shape, scheme, header and parameter at its edges", () => {
  const none = { env: {} };
  const r = (message: string) => redactSecrets(message, none);
  const sixteen = "A1b2C3d4E5f6G7h8";

  it("takes a GitHub token of each kind from 16 characters after its prefix, and not inside a longer word", () => {
    for (const prefix of ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]) {
      expect(r(`t ${prefix}${sixteen} .`), prefix).toBe("t [redacted] .");
      expect(r(`t ${prefix}${sixteen.slice(1)} .`), prefix).toBe(`t ${prefix}${sixteen.slice(1)} .`);
      expect(r(`t x${prefix}${sixteen}`), prefix).toBe(`t x${prefix}${sixteen}`);
    }
    expect(r(`(ghp_${sixteen})`)).toBe("([redacted])");
  });

  it("takes an sk- key from 16 characters, not when the prefix ends another word", () => {
    expect(r(`k=sk-${sixteen}`)).toBe("k=[redacted]");
    expect(r(`k=sk-${sixteen.slice(1)}`)).toBe(`k=sk-${sixteen.slice(1)}`);
    expect(r(`task-${sixteen} disk-${sixteen}`)).toBe(`task-${sixteen} disk-${sixteen}`);
  });

  it("takes a JWT of three dot-separated parts, each of the first two at least 4 characters after eyJ", () => {
    expect(r("jwt eyJabcd.efgh. end")).toBe("jwt [redacted] end");
    expect(r("jwt eyJabcd.efgh.sig-_9 end")).toBe("jwt [redacted] end");
    expect(r("jwt eyJabc.efgh.sig end")).toBe("jwt eyJabc.efgh.sig end");
    expect(r("jwt eyJabcd.efg.sig end")).toBe("jwt eyJabcd.efg.sig end");
    expect(r("jwt xeyJabcd.efgh.sig end")).toBe("jwt xeyJabcd.efgh.sig end");
  });

  it("takes AWS key ids of exactly 20 characters and Slack tokens from 10 characters after their prefix", () => {
    expect(r("id AKIAABCDEFGHIJKLMNOP, ASIAABCDEFGHIJKLMNOP.")).toBe("id [redacted], [redacted].");
    expect(r("id AKIAABCDEFGHIJKLMNOPQ XAKIAABCDEFGHIJKLMNOP AKIAABCDEFGHIJKLMNO")).toBe("id AKIAABCDEFGHIJKLMNOPQ XAKIAABCDEFGHIJKLMNOP AKIAABCDEFGHIJKLMNO");
    for (const kind of ["a", "b", "p", "o", "s", "r"]) expect(r(`s xox${kind}-12345-abcd`), kind).toBe("s [redacted]");
    expect(r("s xoxb-12345-abc xoxc-12345-abcd axoxb-12345-abcd")).toBe("s xoxb-12345-abc xoxc-12345-abcd axoxb-12345-abcd");
  });

  it("reads Basic and token credentials, with a space, a tab, = or a colon, in any case", () => {
    // base64 of `user:pass123` and of `user:pass`: no digit, under 24 characters, yet a credential.
    expect(r("Authorization: Basic dXNlcjpwYXNzMTIz")).toBe("Authorization: Basic [redacted]");
    expect(r("basic=dXNlcjpwYXNz")).toBe("basic=[redacted]");
    expect(r("Basic authentication failed; basic dXNlcnVzZXI= (no colon); Bearer dXNlcjpwYXNz; Basic dXNlcjpwYXN;")).toBe("Basic authentication failed; basic dXNlcnVzZXI= (no colon); Bearer dXNlcjpwYXNz; Basic dXNlcjpwYXN;");
    expect(r("BEARER\tab.c_d~e+f/g=1 next")).toBe("BEARER\t[redacted] next");
    expect(r("token:abcd1234 token: abcd1235 token=abcd1236")).toBe("token:[redacted] token: [redacted] token=[redacted]");
    expect(r("mytoken abcd1234 tokens abcd1234")).toBe("mytoken abcd1234 tokens abcd1234");
  });

  it("ends a secret header's value at a quote, a comma, a semicolon, a brace, an ampersand or a space", () => {
    expect(r("secret=abcdefg1;next password=abcdefg2,b access-token=abcdefg3}c accesstoken=abcdefg4&d SECRET: abcdefg5 e")).toBe(
      "secret=[redacted];next password=[redacted],b access-token=[redacted]}c accesstoken=[redacted]&d SECRET: [redacted] e",
    );
    expect(r('"client_secret" = "abcdefg6"')).toBe('"client_secret" = "[redacted]"');
    expect(r("authorization:\tabcdefg7 x-api-key=abcdefg8")).toBe("authorization:\t[redacted] x-api-key=[redacted]");
  });

  it("takes each secret query parameter up to the next &, space, #, or quote", () => {
    const keys = ["key", "apikey", "api-key", "token", "access_token", "accesstoken", "secret", "password", "sig", "signature", "code", "auth"];
    for (const key of keys) expect(r(`GET /x?${key}=v1&ok=1`), key).toBe(`GET /x?${key}=[redacted]&ok=1`);
    expect(r("/x?a=1&sig=v2#frag /y?code=v3 z \"/w?auth=v4\" '/v?key=v5'")).toBe("/x?a=1&sig=[redacted]#frag /y?code=[redacted] z \"/w?auth=[redacted]\" '/v?key=[redacted]'");
    expect(r("/x?monkey=v1&ok=1 /x?keys=v2")).toBe("/x?monkey=v1&ok=1 /x?keys=v2");
  });

  it("takes a URL's userinfo only from its authority, for any scheme", () => {
    expect(r("git+ssh://git:pw@host.example/r and ws://u@h.example")).toBe("git+ssh://[redacted]@host.example/r and ws://[redacted]@h.example");
    expect(r("https://host.example/path@v2 https://host.example?q=a@b https://host.example#a@b")).toBe("https://host.example/path@v2 https://host.example?q=a@b https://host.example#a@b");
    expect(r('"https://a b@c" <https://x>@y')).toBe('"https://a b@c" <https://x>@y');
  });

  it("removes an OpenSSH or encrypted private key, and keeps a public key", () => {
    expect(r("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY----- after")).toBe("[redacted] after");
    expect(r("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----")).toBe("[redacted]");
    const publicKey = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----";
    expect(r(publicKey)).toBe(publicKey);
  });

  it("removes the host of every endpoint variable Baton and its SDKs read", () => {
    const names = ["ANTHROPIC_BASE_URL", "GHE_HOST", "GITHUB_API_URL", "GITHUB_SERVER_URL", "REDIS_URL", "HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "ALL_PROXY", "WEBHOOK_PROXY_URL"];
    for (const name of names) {
      expect(redactSecrets("connect ECONNREFUSED proxy.corp.internal", { env: { [name]: "http://proxy.corp.internal:3128" } }), name).toBe("connect ECONNREFUSED [redacted-host]");
    }
    expect(redactSecrets("connect proxy.corp.internal", { env: { MY_PROXY: "http://proxy.corp.internal:3128" } })).toBe("connect proxy.corp.internal");
  });

  it("keeps every public host as written", () => {
    for (const host of ["github.com", "api.github.com", "uploads.github.com", "api.anthropic.com", "anthropic.com", "localhost"]) {
      expect(redactSecrets(`GET https://${host}/x 502`, { env: { GHE_HOST: host } }), host).toBe(`GET https://${host}/x 502`);
    }
  });
});
