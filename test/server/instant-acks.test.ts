import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { QueuedWork } from "../../src/app/probot-app.js";
import { createInProcessQueue } from "../../src/jobs/in-process-queue.js";
import { FakeClaude } from "../app/fixtures/fake-claude.js";
import { FakeGitHub } from "../app/fixtures/fake-github.js";
import { ISSUE_12, repositoryFiles, seedRepository, USERS_TS } from "../app/fixtures/repo-state.js";
import { issueComment, pullRequestEvent } from "../app/fixtures/webhooks.js";
import { deferred } from "../jobs/helpers.js";
import { deliver, startHttpApp, unmatchedGitHub } from "./fixtures/http-app.js";

const PATCH = ["@@ -3,3 +3,5 @@", " export async function getUser(id: string) {", "   return db.users.find(id);", " }", "+", "+export const PAGE = 100;"].join("\n");
const REVIEW = { summary: "Adds a constant.", specCompliance: [], adrConformance: [], findings: [] };

describe("webhook answers", () => {
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

  it("make no GitHub request: the delivery is recorded and queued, routing runs in the worker, and a redelivery is refused exactly", async () => {
    const worker = deferred();
    const routed: string[] = [];
    const app = await startHttpApp(
      {},
      {
        // The app's own in-process queue, its worker held back until the answers are checked.
        queue: async (handler, onFailure) =>
          createInProcessQueue({
            handler: async (job) => {
              await worker.promise;
              const work = job.payload as QueuedWork;
              if (work.kind === "route") routed.push(work.delivery.id);
              await handler(work);
            },
            onFailure: (job, err) => onFailure(job.payload as QueuedWork, err),
          }),
      },
    );
    try {
      const head = github.commitOnto(main, { "src/api/users.ts": `${USERS_TS}\nexport const PAGE = 100;\n` }, "Add a constant");
      const spec = { number: 15, title: "Add user search", body: "Closes #12", headRef: "feature/search", headSha: head, additions: 30, deletions: 0 };
      github.addPull({ ...spec, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch: PATCH }] });
      claude.answersWithTool("submit_review", REVIEW);
      const opened = pullRequestEvent("opened", { ...spec, baseSha: main });

      const first = await deliver(app.url, "pull_request", opened, "delivery-a");
      expect(first).toEqual({ status: 200, text: "Accepted: route:delivery-a\n" });
      // Nothing for Baton, decided from the payload alone: no job at all.
      const chat = await deliver(app.url, "issue_comment", issueComment({ number: 12, body: "Looks good to me", commentId: 77 }), "delivery-b");
      expect(chat).toEqual({ status: 200, text: "Nothing to do: comment without a /baton command\n" });
      const labeled = await deliver(app.url, "pull_request", { ...opened, action: "labeled" }, "delivery-c");
      expect(labeled.text).toBe("Nothing to do: pull_request.labeled is not an event Baton acts on\n");
      // GitHub's Redeliver: the same delivery id, refused while the first is still queued.
      const again = await deliver(app.url, "pull_request", opened, "delivery-a");
      expect(again).toEqual({ status: 200, text: "Nothing to do: already received (a redelivery of a delivery still queued, running or done)\n" });

      expect(github.requests).toEqual([]);
      expect(unmatchedGitHub(github)).toEqual([]);
      expect(claude.requests).toEqual([]);
      expect(await app.baton.queue.counts()).toEqual({ waiting: 0, running: 1 });

      worker.resolve();
      await app.baton.queue.onIdle();
      expect(routed).toEqual(["delivery-a"]);
      // Routing happened in the worker: the config and the review.
      expect(github.requests.some((r) => r.path === "/repos/acme/widgets/contents/.github/baton.yml")).toBe(true);
      expect(github.reviews).toHaveLength(1);
      expect(claude.isDone()).toBe(true);

      // Redelivered after it ran: still refused, nothing new on GitHub.
      const requests = github.requests.length;
      expect((await deliver(app.url, "pull_request", opened, "delivery-a")).status).toBe(200);
      await app.baton.queue.onIdle();
      expect(github.requests.length).toBe(requests);
      expect(unmatchedGitHub(github)).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
