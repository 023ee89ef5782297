import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { testPrivateKey } from "../app/fixtures/harness.js";

/**
 * `npm start`'s entry point as a process (issue 7, "Edges"): the start-up
 * checks themselves are tested as functions in test/security/edges.test.ts;
 * here, that the process they guard really stops. Slow tier: it starts Node
 * with tsx.
 */

const APP = { APP_ID: "1", PRIVATE_KEY: testPrivateKey() };

describe("the webhook secret", () => {
  it("npm start's entry point exits 1 with the reason in production without it", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/app/server.ts"], {
      env: { PATH: process.env.PATH ?? "", ...APP, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("baton: WEBHOOK_SECRET is not set");
  });
});
