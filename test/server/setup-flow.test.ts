import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { testPrivateKey } from "../app/fixtures/harness.js";
import { freePort } from "../scale/fixtures/free-port.js";

/**
 * A newcomer's first run (`npm run dev` on a fresh clone, no .env): Probot's
 * setup page, whose manifest registers the app with the smee.io channel as
 * its webhook URL (the channel Probot creates with smee-client, or the one
 * in WEBHOOK_PROXY_URL), not a placeholder.
 */
describe("development setup", () => {
  it("serves Probot's setup page, registering the app with the proxy channel and app.yml's permissions", async () => {
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1"));
    const port = await freePort();
    const channel = "https://smee.io/baton-test-channel";
    const child = spawn(process.execPath, ["--import", "tsx", "src/app/server.ts", "--development"], {
      env: { PATH: process.env.PATH ?? "", PORT: String(port), WEBHOOK_PROXY_URL: channel, NO_SMEE_SETUP: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    try {
      let html = "";
      for (let i = 0; i < 900 && !html; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/probot`);
          html = await res.text();
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(out).toContain("starting Probot's setup page");
      // The "Register GitHub App" button posts the manifest to GitHub.
      const manifest = JSON.parse(/name="manifest" id="manifest" value='([^']+)'/.exec(html)?.[1] ?? "{}") as {
        hook_attributes?: { url?: string };
        default_permissions?: Record<string, string>;
        default_events?: string[];
      };
      expect(manifest.hook_attributes?.url).toBe(channel);
      expect(manifest.default_permissions).toMatchObject({ contents: "write", pull_requests: "write", issues: "write", checks: "write" });
      expect(manifest.default_events).toEqual((parse(readFileSync("app.yml", "utf8")) as { default_events: string[] }).default_events);
    } finally {
      child.kill("SIGKILL");
    }
  }, 120_000);

  it("relays the smee.io channel once registered, and keeps serving when the channel cannot be reached", async () => {
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1"));
    const port = await freePort();
    const env = { PATH: process.env.PATH ?? "", PORT: String(port), HOST: "127.0.0.1", APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "s", WEBHOOK_PROXY_URL: "http://127.0.0.1:9/unreachable-channel", BATON_STATE_DIR: "/tmp/baton-setup-flow-test" };
    const child = spawn(process.execPath, ["--import", "tsx", "src/app/server.ts", "--development"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    try {
      for (let i = 0; i < 900 && !out.includes("could not connect to the smee.io channel"); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain("could not connect to the smee.io channel (WEBHOOK_PROXY_URL)");
      expect(await (await fetch(`http://127.0.0.1:${port}/ping`)).text()).toBe("PONG");
    } finally {
      child.kill("SIGKILL");
    }
  }, 120_000);
});
