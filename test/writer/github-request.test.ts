import { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { retryDelayMs, createRetryPolicy } from "../../src/jobs/retry-policy.js";
import { bodyWithMarker, describeGitHubError, GitHubWriteError, nextPageUrl, permissionFor, truncateMarkdown } from "../../src/writer/github-request.js";

/** The error Octokit throws for an HTTP failure, as @octokit/request builds it. */
function requestError(status: number, method: string, url: string, data: unknown, headers: Record<string, string> = {}): RequestError {
  return new RequestError(`${(data as { message?: string }).message ?? "error"}`, status, {
    request: { method: method as "GET", url, headers: {} },
    response: { status, url, headers, data },
  });
}

describe("describeGitHubError", () => {
  it("names method, route, status and the missing permission for a 403", () => {
    const e = describeGitHubError(requestError(403, "POST", "https://api.github.com/repos/o/r/git/refs", { message: "Resource not accessible by integration" }));
    expect(e).toBeInstanceOf(GitHubWriteError);
    expect(e.message).toMatch(/^GitHub refused POST \/repos\/o\/r\/git\/refs \(403\): Resource not accessible by integration — the app lacks contents: write on o\/r/);
    expect(e.transient).toBe(false);
    expect(e.details.permission).toBe("contents: write");
  });

  it("treats a secondary rate limit 403 as transient and keeps GitHub's retry-after", () => {
    const e = describeGitHubError(
      requestError(403, "POST", "https://api.github.com/repos/o/r/pulls/1/reviews", { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "60" }),
    );
    expect(e.transient).toBe(true);
    expect(e.retryAfterMs).toBe(60_000);
    expect(e.message).toContain("rate-limiting");
    // The job queue waits as long as GitHub asked.
    expect(retryDelayMs(createRetryPolicy(), 1, e)).toBe(60_000);
  });

  it("treats 429 and 5xx as transient, 404 and 422 as permanent", () => {
    expect(describeGitHubError(requestError(429, "GET", "https://api.github.com/repos/o/r/pulls", { message: "Too Many Requests" })).transient).toBe(true);
    expect(describeGitHubError(requestError(503, "GET", "https://api.github.com/repos/o/r/pulls", { message: "Service Unavailable" })).transient).toBe(true);
    const notFound = describeGitHubError(requestError(404, "GET", "https://api.github.com/repos/o/r/git/commits/abc", { message: "Not Found" }));
    expect(notFound.transient).toBe(false);
    expect(notFound.message).toContain("the app is not installed on o/r or lacks contents: read");
    const invalid = describeGitHubError(
      requestError(422, "POST", "https://api.github.com/repos/o/r/pulls", {
        message: "Validation Failed",
        errors: [{ resource: "PullRequest", code: "custom", message: "No commits between main and baton/x" }],
      }),
    );
    expect(invalid.transient).toBe(false);
    expect(invalid.message).toContain("(422): Validation Failed: No commits between main and baton/x");
  });

  it("reads GitHub Enterprise URLs and encoded refs", () => {
    const e = describeGitHubError(requestError(409, "PATCH", "https://ghe.example.com/api/v3/repos/o/r/git/refs/heads%2Fbaton%2Fx", { message: "Git Repository is empty." }));
    expect(e.message).toMatch(/^GitHub refused PATCH \/repos\/o\/r\/git\/refs\/heads\/baton\/x \(409\)/);
  });

  it("wraps a network failure as transient", () => {
    const e = describeGitHubError(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }));
    expect(e.transient).toBe(true);
    expect(e.status).toBeUndefined();
    expect(e.message).toBe("GitHub request failed: fetch failed");
  });

  it("maps routes to the App permission they need", () => {
    expect(permissionFor("GET", "/repos/o/r/commits/abc/check-runs")).toBe("checks: read");
    expect(permissionFor("POST", "/repos/o/r/pulls/3/reviews")).toBe("pull_requests: write");
    expect(permissionFor("POST", "/repos/o/r/git/blobs")).toBe("contents: write");
  });
});

describe("Markdown limits", () => {
  it("leaves text under the limit alone", () => {
    expect(truncateMarkdown("short", 100)).toBe("short");
  });

  it("cuts at a line end when one is near", () => {
    const lines = Array.from({ length: 20 }, () => "é".repeat(49)); // 99 bytes a line with its newline
    const cut = truncateMarkdown(lines.join("\n"), 1000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1000);
    expect(cut.startsWith(`${lines.slice(0, 8).join("\n")}\n\n_…truncated: `)).toBe(true);
  });

  it("never splits a multi-byte character", () => {
    const cut = truncateMarkdown("€".repeat(1000), 1000); // 3 bytes each
    expect(cut).not.toContain("\uFFFD");
    expect(cut.startsWith(`${"€".repeat(266)}\n\n_…truncated: 2202 of 3000 bytes left out`)).toBe(true);
  });

  it("puts the marker first, where a cut cannot reach it and readers look for it", () => {
    const marker = "<!-- baton:review pr-1@abc -->";
    const body = bodyWithMarker("x".repeat(5000), marker, 1000);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1000);
    expect(body.startsWith(`${marker}\nxxx`)).toBe(true);
    expect(body).toContain("_…truncated:");
    expect(bodyWithMarker(`${marker}\nhello`, marker, 1000)).toBe(`${marker}\nhello`);
    // A marker quoted further down is text, not a marker: defused, and the real one goes first.
    expect(bodyWithMarker(`hello\n${marker}`, marker, 1000)).toBe(`${marker}\nhello\n&lt;!-- baton:review pr-1@abc -->`);
  });

  it("reads the next page from a Link header", () => {
    expect(nextPageUrl('<https://api.github.com/repositories/1/issues/1/comments?page=2>; rel="next", <https://api.github.com/repositories/1/issues/1/comments?page=5>; rel="last"')).toBe(
      "https://api.github.com/repositories/1/issues/1/comments?page=2",
    );
    expect(nextPageUrl('<https://api.github.com/x?page=1>; rel="first"')).toBeUndefined();
    expect(nextPageUrl(undefined)).toBeUndefined();
  });
});
