import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "../app/fixtures/fake-claude.js";
import { FakeGitHub, INSTALLATION_ID } from "../app/fixtures/fake-github.js";
import { startApp } from "../app/fixtures/harness.js";
import { ISSUE_12, repositoryFiles, seedRepository, USERS_TS } from "../app/fixtures/repo-state.js";
import { pullRequestEvent } from "../app/fixtures/webhooks.js";
import { deletePrefix, describeWithRedis, uniquePrefix } from "../support/redis.js";
import { deliver, startHttpApp } from "../server/fixtures/http-app.js";

/**
 * Issue 11, pacing: what each push costs in notification-triggering writes
 * (GitHub's secondary limits count those per installation), and Probot's
 * write throttle keyed by installation and shared through Redis.
 */

const PATCH = (line: string) => ["@@ -3,3 +3,5 @@", " export async function getUser(id: string) {", "   return db.users.find(id);", " }", "+", `+${line}`].join("\n");
/** A review with one finding on the line the push added (line 7 of the patch). */
const REVIEW = (code: string) => ({
  summary: "Adds a constant.",
  specCompliance: [],
  adrConformance: [],
  findings: [{ severity: "medium", path: "src/api/users.ts", line: 7, code, confidence: 0.9, title: `Magic number in ${code}`, body: "Name it.", source: "general" }],
});

/** Three pushes: each a real commit on the previous one. */
function pushes(github: FakeGitHub, main: string): string[] {
  const heads: string[] = [];
  for (let i = 1; i <= 3; i++) heads.push(github.commitOnto(heads.at(-1) ?? main, { "src/api/users.ts": `${USERS_TS}\nexport const A = ${i};\n` }, `Push ${i}`));
  return heads;
}

describe("pacing: what a push costs", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let main: string;
  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    main = seedRepository(github, repositoryFiles());
    github.addIssue(ISSUE_12);
  });
  afterEach(() => github.stop());

  it("each push costs at most one review request and one comment write", async () => {
    const app = await startApp();
    const spec = { number: 15, title: "Add a constant", body: "Closes #12", headRef: "feature/c", additions: 30, deletions: 0 };
    const notificationWrites = () =>
      github.writes().filter((w) => (w.method === "POST" && /\/pulls\/15\/reviews$|\/issues\/15\/comments$/.test(w.path)) || (w.method === "PATCH" && /\/issues\/comments\/\d+$/.test(w.path)));
    const HEADS = pushes(github, main);
    const pr = github.addPull({ ...spec, headSha: HEADS[0]!, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch: PATCH("export const A = 1;") }] });
    // Every push brings one new finding, so every push is worth a review: the most a push can cost.
    const perPush: string[][] = [];
    for (const [i, head] of HEADS.entries()) {
      claude.answersWithTool("submit_review", REVIEW(`export const A = ${i + 1};`));
      const before = notificationWrites().length;
      if (i > 0) {
        pr.headSha = head;
        pr.files = [{ filename: "src/api/users.ts", status: "modified", patch: PATCH(`export const A = ${i + 1};`) }];
        github.compares.set(`${HEADS[i - 1]}...${head}`, pr.files);
      }
      await app.deliver("pull_request", pullRequestEvent(i === 0 ? "opened" : "synchronize", { ...spec, headSha: head, baseSha: main }, HEADS[i - 1]));
      perPush.push(notificationWrites().slice(before).map((w) => `${w.method} ${w.path.replace(/\d+$/, "N")}`));
    }
    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    // The first push creates the summary comment; later ones edit it in place.
    expect(perPush).toEqual([
      ["POST /repos/acme/widgets/pulls/15/reviews", "POST /repos/acme/widgets/issues/15/comments"],
      ["POST /repos/acme/widgets/pulls/15/reviews", "PATCH /repos/acme/widgets/issues/comments/N"],
      ["POST /repos/acme/widgets/pulls/15/reviews", "PATCH /repos/acme/widgets/issues/comments/N"],
    ]);
  });
});

describeWithRedis("pacing: Probot's write throttle on Redis", (url) => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let prefix: string;
  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    prefix = uniquePrefix("pacing");
  });
  afterEach(async () => {
    github.stop();
    await deletePrefix(url, prefix);
  });

  it("is keyed by installation and kept in Redis, so every process shares one installation's pace", async () => {
    const main = seedRepository(github, repositoryFiles());
    github.addIssue(ISSUE_12);
    const spec = { number: 15, title: "Add a constant", body: "Closes #12", headRef: "feature/c", headSha: pushes(github, main)[0]!, additions: 30, deletions: 0 };
    github.addPull({ ...spec, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch: PATCH("export const A = 1;") }] });
    claude.answersWithTool("submit_review", REVIEW("export const A = 1;"));
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    // Bottleneck's cluster keys (Probot's throttling) are not under our prefix: clear this installation's first.
    const stale = await redis.keys(`b_octokit-*-${INSTALLATION_ID}_*`);
    if (stale.length) await redis.del(...stale);
    // Probot's own Octokit, throttling on, as `npm start` runs it.
    const app = await startHttpApp({ REDIS_URL: url, BATON_REDIS_PREFIX: prefix }, { Octokit: undefined });
    try {
      expect((await deliver(app.url, "pull_request", pullRequestEvent("opened", { ...spec, baseSha: main }))).status).toBe(200);
      await app.baton.queue.onIdle();
      expect(github.reviews).toHaveLength(1);
      const keys = await redis.keys(`b_octokit-*-${INSTALLATION_ID}_settings`);
      expect(keys).toEqual(expect.arrayContaining([`b_octokit-write-${INSTALLATION_ID}_settings`, `b_octokit-notifications-${INSTALLATION_ID}_settings`]));
    } finally {
      await app.stop();
      redis.disconnect();
    }
  }, 60_000);
});
