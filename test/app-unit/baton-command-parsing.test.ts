import { describe, expect, it } from "vitest";
import { NEEDS_WRITE, parseBatonCommand, SPENDS_TOKENS } from "../../src/app/baton-command.js";

/**
 * Which command a comment asks for: the first line that starts with
 * `/baton`, outside quotes and code blocks, read the way people type it.
 */

describe("finding the command in a comment", () => {
  it("takes the first /baton line, whatever comes before it and whichever line breaks the comment uses", () => {
    expect(parseBatonCommand("Thanks!\n/baton dev\n/baton review")).toEqual({ name: "dev" });
    expect(parseBatonCommand("Thanks!\r\n/baton review\r\n")).toEqual({ name: "review" });
    expect(parseBatonCommand("   /baton accept   ")).toEqual({ name: "accept" });
    expect(parseBatonCommand("\t/baton\treject")).toEqual({ name: "reject" });
  });

  it("is not fooled by a word that only starts like it, by quotes or by code blocks", () => {
    expect(parseBatonCommand("/batonic dev")).toBeNull();
    expect(parseBatonCommand("see /baton dev")).toBeNull();
    expect(parseBatonCommand("> /baton dev")).toBeNull();
    expect(parseBatonCommand("```\n/baton dev\n```")).toBeNull();
    expect(parseBatonCommand("~~~md\n/baton dev\n~~~")).toBeNull();
    expect(parseBatonCommand("  ```sh\n/baton dev")).toBeNull();
    // A closed block ends the code: the line after it is read.
    expect(parseBatonCommand("```\n/baton dev\n```\n/baton review")).toEqual({ name: "review" });
    expect(parseBatonCommand("~~~\nx\n~~~\n/baton accept")).toEqual({ name: "accept" });
    expect(parseBatonCommand("")).toBeNull();
  });

  it("reads /baton alone, any case, as help", () => {
    expect(parseBatonCommand("/baton")).toEqual({ name: "help" });
    expect(parseBatonCommand("/BATON")).toEqual({ name: "help" });
    expect(parseBatonCommand("/baton   ")).toEqual({ name: "help" });
    expect(parseBatonCommand("/Baton HELP")).toEqual({ name: "help" });
  });

  it("reads the words of commands in any case, and keeps an unknown word as typed", () => {
    expect(parseBatonCommand("/baton ACCEPT")).toEqual({ name: "accept" });
    expect(parseBatonCommand("/baton Reject")).toEqual({ name: "reject" });
    expect(parseBatonCommand("/baton TRACE")).toEqual({ name: "trace" });
    expect(parseBatonCommand("/baton Context")).toEqual({ name: "context", step: undefined });
    expect(parseBatonCommand("/baton Dismiss 0a1b2c3d")).toEqual({ name: "dismiss", ids: ["0a1b2c3d"] });
    expect(parseBatonCommand("/baton DEV")).toEqual({ name: "dev" });
    expect(parseBatonCommand("/baton Review")).toEqual({ name: "review" });
    expect(parseBatonCommand("/baton Frobnicate now")).toEqual({ name: "unknown", word: "Frobnicate" });
  });
});

describe("a command's arguments", () => {
  it("/baton trace takes one reference, cut at 200 characters", () => {
    expect(parseBatonCommand("/baton trace docs/adr/0002-x.md and more")).toEqual({ name: "trace", ref: "docs/adr/0002-x.md" });
    expect(parseBatonCommand(`/baton trace ${"a".repeat(300)}`)).toEqual({ name: "trace", ref: "a".repeat(200) });
    expect(parseBatonCommand("/baton trace    #12")).toEqual({ name: "trace", ref: "#12" });
  });

  it("/baton context takes a step by any of its names; learning, or a word that names no step, means the default", () => {
    expect(parseBatonCommand("/baton context")).toEqual({ name: "context", step: undefined });
    expect(parseBatonCommand("/baton context arch")).toEqual({ name: "context", step: "architecture-review" });
    expect(parseBatonCommand("/baton context dev")).toEqual({ name: "context", step: "dev" });
    expect(parseBatonCommand("/baton context learning")).toEqual({ name: "context", step: undefined });
    expect(parseBatonCommand("/baton context please")).toEqual({ name: "context", step: undefined });
  });

  it("/baton remember takes the rest of the line as the lesson, with an optional module", () => {
    expect(parseBatonCommand("/baton remember   Always paginate  lists ")).toEqual({ name: "remember", lesson: "Always paginate  lists", module: undefined });
    expect(parseBatonCommand("/baton remember --module api Always paginate")).toEqual({ name: "remember", lesson: "Always paginate", module: "api" });
    expect(parseBatonCommand("/baton remember --module=web Escape output")).toEqual({ name: "remember", lesson: "Escape output", module: "web" });
    expect(parseBatonCommand("/baton remember --module  api   Clamp limits")).toEqual({ name: "remember", lesson: "Clamp limits", module: "api" });
    // A module with no lesson after it is not a module: the words are the lesson (which the job then refuses).
    expect(parseBatonCommand("/baton remember --module api")).toEqual({ name: "remember", lesson: "--module api", module: undefined });
    expect(parseBatonCommand("/baton remember")).toEqual({ name: "remember", lesson: "", module: undefined });
    expect(parseBatonCommand("/baton remember the --module flag is optional")).toEqual({ name: "remember", lesson: "the --module flag is optional", module: undefined });
  });

  it("/baton dismiss takes the 8-character finding ids, as shown (in backticks, any case), and drops anything else", () => {
    expect(parseBatonCommand("/baton dismiss `0A1B2C3D` 9f8e7d6c")).toEqual({ name: "dismiss", ids: ["0a1b2c3d", "9f8e7d6c"] });
    expect(parseBatonCommand("/baton dismiss 0a1b2c3 0a1b2c3d4 0a1b2c3g finding")).toEqual({ name: "dismiss", ids: [] });
    expect(parseBatonCommand("/baton dismiss x0a1b2c3d 0a1b2c3dx 0a1b`2c3d")).toEqual({ name: "dismiss", ids: [] });
    expect(parseBatonCommand("/baton dismiss   0a1b2c3d    9f8e7d6c")).toEqual({ name: "dismiss", ids: ["0a1b2c3d", "9f8e7d6c"] });
    expect(parseBatonCommand("/baton dismiss")).toEqual({ name: "dismiss", ids: [] });
  });
});

describe("who may run a command", () => {
  it("write access for every command that calls the model or decides; anyone for help, context and trace", () => {
    expect([...SPENDS_TOKENS].sort()).toEqual(["architect", "dev", "dismiss", "remember", "review"]);
    expect([...NEEDS_WRITE].sort()).toEqual(["accept", "architect", "dev", "dismiss", "reject", "remember", "review"]);
  });
});
