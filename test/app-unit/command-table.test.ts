import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMAND_DOCS, HELP_TEXT, NEEDS_WRITE, parseBatonCommand, renderCommandTable } from "../../src/app/baton-command.js";
import { STEP_COMMAND, STEP_IDS, stepAliasesOf } from "../../src/config/step-names.js";
import { README_PATH } from "../../scripts/write-readme-commands.js";

// One list of `/baton` commands (issue 12: one vocabulary): the parser, the
// `/baton help` reply and the README's table all come from COMMAND_DOCS.

const readme = readFileSync(README_PATH, "utf8");
const commands = Object.entries(COMMAND_DOCS);

describe("the /baton command list", () => {
  it("is the README's command table, word for word", () => {
    const between = /<!-- baton:commands:start -->\n([\s\S]*?)\n<!-- baton:commands:end -->/.exec(readme)?.[1];
    expect(between, "README.md has no baton:commands markers").toBeDefined();
    expect(between, "README.md's command table is stale: run `npm run readme:commands`").toBe(renderCommandTable());
  });

  it("is what /baton help posts, with the commands the knowledge and review work added", () => {
    for (const [, doc] of commands) expect(HELP_TEXT).toContain(`\`${doc.usage.replace(/\|/g, "\\|")}\``);
    for (const name of ["accept", "reject", "trace", "dismiss"]) expect(Object.keys(COMMAND_DOCS)).toContain(name);
    expect(HELP_TEXT).toContain("| `/baton dismiss <id>` | pull request | write access |");
    expect(HELP_TEXT).toContain("| `/baton trace [#issue \\| ADR \\| spec file]` | issue or PR | anyone |");
  });

  it("names only commands the parser knows, each as the command it documents, with the permission the router asks", () => {
    for (const [name, doc] of commands) {
      const parsed = parseBatonCommand(doc.usage.replace(/\s*\[.*$/, "").replace(/<lesson>/, "Always paginate").replace(/<id>/, "0123abcd"));
      expect(parsed?.name, doc.usage).toBe(name);
      expect(renderCommandTable()).toContain(`| ${doc.where} | ${NEEDS_WRITE.has(name as never) ? "write access" : "anyone"} | ${doc.what} |`);
    }
  });

  it("runs a step's command by any name of the step, as /baton context takes them", () => {
    for (const id of STEP_IDS) {
      for (const word of [id, ...stepAliasesOf(id)]) {
        const parsed = parseBatonCommand(`/baton ${word} Always paginate`);
        expect(parsed?.name, word).toBe(STEP_COMMAND[id]);
        expect(parseBatonCommand(`/baton context ${word}`), word).toEqual({ name: "context", step: id === "learning" ? undefined : id });
      }
    }
    expect(parseBatonCommand("/baton learn --module api Always paginate")).toEqual({ name: "remember", lesson: "Always paginate", module: "api" });
    expect(parseBatonCommand("/baton Arch")).toEqual({ name: "architect" });
    expect(renderCommandTable()).toContain("`architecture-review` (or `architecture`, `architect`, `arch`), `dev` (or `develop`), `review`, `learning` (or `learn`, `remember`)");
  });
});
