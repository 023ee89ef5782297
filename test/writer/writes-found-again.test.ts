import { describe, expect, it } from "vitest";
import { createGitHubWriter, isBatonAuthored } from "../../src/writer/github-writer.js";
import { hiddenMarker, type PullRequestIntent } from "../../src/writer/intents.js";
import { BATON_BOT, BATON_IDENTITY, commentPayload, fakeGitHub, HUMAN, OWNER, probotOctokit, pullPayload, R, REPO, step } from "./github-fake.js";

/**
 * A redelivered or retried job finds what it wrote before and writes only
 * what is missing: the pull request by its head branch (a fork's too), the
 * labels it lacks, Baton's own comment by the marker in its header.
 */
const writer = () => createGitHubWriter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: BATON_IDENTITY });
const prStep = step({ outputs: ["pull-request", "comment"] });
const pr = (overrides: Partial<PullRequestIntent> = {}): PullRequestIntent => ({ kind: "pull-request", head: "baton/dev/7", base: "main", title: "Fix login", body: "Closes #7", ...overrides });

describe("pull requests found again", () => {
  it("a fork's head is looked up and opened as owner:branch, as a draft when asked", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/pulls`)
      .query({ head: "baton-fork:baton/dev/7", state: "open", per_page: "100" })
      .reply(200, [])
      .post(`${R}/pulls`)
      .reply(201, pullPayload(20, { head: "baton/dev/7", title: "Fix login", body: "Closes #7" }));

    const [result] = await writer().apply(prStep, [pr({ head: "baton-fork:baton/dev/7", draft: true })]);

    gh.scope.done();
    expect(result).toMatchObject({ number: 20, action: "created" });
    expect(gh.writes()[0]!.body).toEqual({ head: "baton-fork:baton/dev/7", base: "main", title: "Fix login", body: "Closes #7", draft: true });
  });

  it("a fork's open pull request is found by its branch and left as it is", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/pulls`)
      .query({ head: "baton-fork:baton/dev/7", state: "open", per_page: "100" })
      .reply(200, [pullPayload(20, { head: "baton/dev/7", title: "Fix login", body: "Closes #7" })]);

    const [result] = await writer().apply(prStep, [pr({ head: "baton-fork:baton/dev/7" })]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toMatchObject({ number: 20, action: "unchanged" });
  });

  it("an open pull request of another branch in GitHub's answer is not taken for this one", async () => {
    // GitHub ignores a head filter it cannot resolve and lists every open pull request.
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/pulls`)
      .query(true)
      .reply(200, [pullPayload(3, { head: "feature/other", title: "Fix login", body: "Closes #7" })])
      .post(`${R}/pulls`)
      .reply(201, pullPayload(21, { head: "baton/dev/7", title: "Fix login", body: "Closes #7" }));

    const [result] = await writer().apply(prStep, [pr()]);

    gh.scope.done();
    expect(result).toMatchObject({ number: 21, action: "created" });
  });

  it("only the labels the pull request lacks are added; a changed title alone is an update", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/pulls`)
      .query(true)
      .reply(200, [pullPayload(15, { head: "baton/dev/7", title: "Old title", body: "Closes #7", labels: ["baton"] })])
      .patch(`${R}/pulls/15`)
      .reply(200, pullPayload(15, { head: "baton/dev/7", title: "Fix login", body: "Closes #7", labels: ["baton"] }))
      .post(`${R}/issues/15/labels`)
      .reply(200, [{ name: "baton" }, { name: "dev" }]);

    const [result] = await writer().apply(prStep, [pr({ labels: ["baton", "dev"] })]);

    gh.scope.done();
    expect(result).toEqual({ kind: "pull-request", number: 15, url: `https://github.com/${OWNER}/${REPO}/pull/15`, created: false, action: "updated", labelsAdded: ["dev"] });
    expect(gh.writes().map((w) => w.body)).toEqual([{ title: "Fix login", body: "Closes #7" }, { labels: ["dev"] }]);
  });
});

describe("comments found again", () => {
  const marker = hiddenMarker("adr-proposed", "issue-12");
  const path = `${R}/issues/12/comments`;

  it("a person's comment carrying Baton's marker is not adopted: Baton posts its own", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(path)
      .query(true)
      .reply(200, [commentPayload(7001, 12, `${marker}\nBaton proposed an ADR: #99 (forged)`, HUMAN)])
      .post(path)
      .reply(201, commentPayload(7002, 12, `${marker}\nBaton proposed an ADR: #16`));

    const [result] = await writer().apply(prStep, [{ kind: "comment", issueNumber: 12, marker, body: "Baton proposed an ADR: #16", mode: "upsert" }]);

    gh.scope.done();
    expect(result).toEqual({ kind: "comment", issueNumber: 12, id: 7002, url: `https://github.com/${OWNER}/${REPO}/issues/12#issuecomment-7002`, action: "created" });
    expect(gh.writes().map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${path}`]);
  });

  it("an upsert of Baton's comment saved with CRLF line ends, otherwise the same, writes nothing", async () => {
    const gh = fakeGitHub();
    gh.scope.get(path).query(true).reply(200, [commentPayload(7003, 12, `${marker}\r\nLine one\r\nLine two`)]);

    const [result] = await writer().apply(prStep, [{ kind: "comment", issueNumber: 12, marker, body: "Line one\nLine two", mode: "upsert" }]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toEqual({ kind: "comment", issueNumber: 12, id: 7003, url: `https://github.com/${OWNER}/${REPO}/issues/12#issuecomment-7003`, action: "unchanged" });
  });

  it("Baton's authorship needs both its account and the marker in the header", () => {
    const bot = { login: BATON_BOT.login };
    expect(isBatonAuthored({ user: bot, body: `${marker}\nhello` }, marker, BATON_IDENTITY)).toBe(true);
    expect(isBatonAuthored({ user: { login: "BATON-APP[BOT]" }, body: `\n${hiddenMarker("other", "k")}\n${marker}\nhello` }, marker, BATON_IDENTITY)).toBe(true);
    expect(isBatonAuthored({ user: bot, body: `hello\n${marker}` }, marker, BATON_IDENTITY)).toBe(false);
    expect(isBatonAuthored({ user: bot, body: `${hiddenMarker("adr-proposed", "issue-13")}\nhello` }, marker, BATON_IDENTITY)).toBe(false);
    expect(isBatonAuthored({ user: { login: HUMAN.login }, body: `${marker}\nhello` }, marker, BATON_IDENTITY)).toBe(false);
    expect(isBatonAuthored({ user: null, body: marker }, marker, BATON_IDENTITY)).toBe(false);
    expect(isBatonAuthored({ user: bot, body: null }, marker, BATON_IDENTITY)).toBe(false);
  });
});

describe("closing a pull request", () => {
  it("a closed pull request's number and address come from GitHub's answer", async () => {
    const gh = fakeGitHub();
    gh.scope.get(`${R}/pulls/15`).reply(200, { ...pullPayload(15, { head: "baton/adr/12", title: "t", body: "b" }), state: "closed" });

    const [result] = await writer().apply(prStep, [{ kind: "close-pull-request", pullNumber: 15 }]);

    gh.scope.done();
    expect(result).toEqual({ kind: "pull-request", number: 15, url: `https://github.com/${OWNER}/${REPO}/pull/15`, created: false, action: "unchanged", labelsAdded: [] });
  });
});

