import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import type { AdrMetadata } from "../../context-store/adr/adr-record.js";
import { adrFileName, nextAdrNumber } from "../../context-store/adr/adr-numbering.js";
import { sortAdrRecords } from "../../context-store/adr/adr-index.js";
import { updateAdrIndexFile } from "../../context-store/adr/adr-index-file.js";
import { inAdrFolder } from "../../context-store/adr/adr-folder.js";
import { adrFileVerdict } from "../../context-store/adr/adr-file-names.js";
import { readAdrMetadata } from "../../context-store/adr/read-adr-metadata.js";
import { gitRoot, listMarkdownFiles, readTextIfExists } from "../working-tree.js";
import { isReportedSkip, loadWorkingTreeStore, readWorkingTreeAdr, type WorkingTreeStore } from "../working-tree-store.js";
import { CliError, type CliIo } from "../cli-io.js";

/** The fields `adr list --json` prints: the same shape as the ADR corpus's expected reading. */
export function listEntry(r: AdrMetadata) {
  return { file: r.file, number: r.number, title: r.title, status: r.status, supersededBy: r.supersededBy, supersedes: r.supersedes, date: r.date };
}

/** The ADRs of a folder given with --dir (and one level of subfolders), with the files that were skipped and why. */
export function readAdrDir(dir: string): { records: AdrMetadata[]; skipped: WorkingTreeStore["skipped"] } {
  const records: AdrMetadata[] = [];
  const skipped: WorkingTreeStore["skipped"] = [];
  for (const file of listMarkdownFiles(dir)) {
    const verdict = adrFileVerdict(file);
    if (!verdict.adr) {
      if (isReportedSkip(file.split("/").pop() ?? file)) skipped.push({ path: file, reason: verdict.reason });
      continue;
    }
    const read = readWorkingTreeAdr(file, file, readFileSync(join(dir, file), "utf8"));
    if ("record" in read) records.push(read.record);
    else skipped.push(read);
  }
  return { records: sortAdrRecords(records), skipped };
}

/** "1 ADR", "2 ADRs": counts as a person writes them. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function registerAdrCommands(program: Command, io: CliIo): void {
  const adr = program.command("adr").description("Read and write Architecture Decision Records");

  adr
    .command("list")
    .description("List the ADRs of the repository (or of --dir)")
    .option("--dir <dir>", "ADR folder to read (default: discovered from config and the usual places)")
    .option("--json", "print JSON: [{ file, number, title, status, supersededBy, supersedes, date }]")
    .action((opts: { dir?: string; json?: boolean }) => {
      let records: AdrMetadata[];
      let skipped: WorkingTreeStore["skipped"];
      if (opts.dir) {
        ({ records, skipped } = readAdrDir(resolve(io.cwd, opts.dir)));
      } else {
        const store = loadWorkingTreeStore(io.cwd);
        if (store.adrFolder === null) throw new CliError(`no ADR folder found (${store.adrFolderReason}). Create one with "baton adr new <title>" or pass --dir.`);
        records = sortAdrRecords(store.adrs.map((a) => a.record));
        skipped = store.skipped;
      }
      for (const s of skipped) io.err(`baton: skipped ${s.path}: ${s.reason}`);
      if (opts.json) {
        io.out(JSON.stringify(records.map(listEntry), null, 2));
        return;
      }
      for (const r of records) {
        const links = [r.supersedes.length ? `supersedes ${r.supersedes.join(", ")}` : "", r.supersededBy.length ? `superseded by ${r.supersededBy.join(", ")}` : ""].filter(Boolean).join("; ");
        io.out(`${String(r.number ?? "-").padStart(4)}  ${r.status.padEnd(10)} ${r.date ?? "          "}  ${r.title}${links ? `  (${links})` : ""}`);
      }
      io.err(plural(records.length, "ADR"));
    });

  adr
    .command("new")
    .description("Write a new proposed ADR (MADR with front matter) and update the index; --supersedes records the intent, applied on acceptance")
    .argument("<title>", "the decision's title")
    .option("--modules <list>", "comma-separated module names", "")
    .option("--supersedes <n>", "number of the ADR this one supersedes (marked superseded when this one is accepted)")
    .option("--spec <ref>", "the spec it answers (docs/specs/x.md or #12)")
    .action(async (title: string, opts: { modules: string; supersedes?: string; spec?: string }) => {
      // The writers load the markdown parser: only for the command that writes.
      const { renderAdr } = await import("../../context-store/adr/write-adr.js");
      const { indexChange } = await import("../../context-store/adr/decide-adrs.js");
      const store = loadWorkingTreeStore(io.cwd);
      const folder = store.adrFolder ?? store.config.folders.adr ?? "docs/adr";
      const existing = store.adrs.map((a) => a.record);
      const number = nextAdrNumber(existing);
      const file = adrFileName(number, title, existing.map((r) => r.file));
      const modules = opts.modules.split(",").map((m) => m.trim()).filter(Boolean);
      const supersedes = opts.supersedes ? [parseAdrNumber(opts.supersedes)] : [];
      if (supersedes.length && !store.adrs.some((a) => a.record.number === supersedes[0])) throw new CliError(`--supersedes ${opts.supersedes}: no ADR with that number in ${folder}`);
      const text = renderAdr({
        number,
        title,
        status: "proposed",
        date: io.today(),
        modules,
        spec: opts.spec ?? null,
        supersedes,
        supersededBy: [],
        context: "What is the issue that motivates this decision?",
        options: [],
        decision: "What is the change being proposed?",
        consequences: [],
        guidance: Object.fromEntries(modules.map((m) => [m, "What must code in this module do (or avoid) under this decision?"])),
      });
      const path = inAdrFolder(folder, file);
      const writes: { path: string; content: string }[] = [{ path, content: text }];
      const index = indexChange(folder, [...existing, readAdrMetadata(file, text).metadata], readTextIfExists(join(store.root, inAdrFolder(folder, "README.md"))));
      if (index.change) writes.push({ path: index.change.path, content: index.change.content ?? "" });
      if (index.note) io.err(`baton: note: ${index.note}`);
      writeFiles(io, store.root, writes);
      if (supersedes.length) io.err(`ADR ${supersedes[0]} is marked superseded when this one is accepted ("baton adr accept ${number}")`);
      io.out(path);
    });

  for (const [name, decision] of [["accept", "accepted"], ["reject", "rejected"]] as const) {
    adr
      .command(name)
      .description(
        decision === "accepted"
          ? "Accept a proposed ADR: status and date, the ADRs it supersedes marked superseded, the index regenerated"
          : "Reject a proposed ADR: status and date, the index regenerated",
      )
      .argument("<number>", "the ADR's number (7, 0007 or ADR-0007)")
      .action(async (numberText: string) => {
        const { decideAdrs } = await import("../../context-store/adr/decide-adrs.js");
        const store = loadWorkingTreeStore(io.cwd);
        if (!store.adrFolder) throw new CliError(`no ADR folder found (${store.adrFolderReason})`);
        const n = parseAdrNumber(numberText);
        const target = store.adrs.find((a) => a.record.number === n);
        if (!target) throw new CliError(`no ADR ${n} in ${store.adrFolder}`);
        if (target.record.status !== "proposed" && target.record.status !== decision) throw new CliError(`ADR ${n} is ${target.record.status}, not proposed: only a proposed ADR is ${decision}`);
        const plan = decideAdrs({ folder: store.adrFolder, adrs: store.adrs, index: readTextIfExists(join(store.root, inAdrFolder(store.adrFolder, "README.md"))), targets: [target.path], decision, date: io.today() });
        for (const note of plan.notes) io.err(note);
        writeFiles(io, store.root, plan.files.map((f) => ({ path: f.path, content: f.content ?? "" })));
        for (const s of plan.superseded) io.err(`ADR ${s.number} is marked superseded by ADR ${s.by}`);
        io.out(`${target.path}: ${decision}`);
      });
  }

  adr
    .command("index")
    .description("Write the ADR index into README.md in the ADR folder (a table and a Mermaid supersession graph); a README written by hand gets it between markers")
    .option("--dir <dir>", "ADR folder (default: discovered from config and the usual places)")
    .action((opts: { dir?: string }) => {
      const store = loadWorkingTreeStore(io.cwd, { adrDir: opts.dir ? relative(gitRoot(io.cwd), resolve(io.cwd, opts.dir)).split("\\").join("/") : undefined });
      if (store.adrFolder === null) throw new CliError(`no ADR folder found (${store.adrFolderReason}); pass --dir`);
      for (const s of store.skipped) io.err(`baton: skipped ${s.path}: ${s.reason}`);
      const path = inAdrFolder(store.adrFolder, "README.md");
      const index = updateAdrIndexFile(readTextIfExists(join(store.root, path)), store.adrs.map((a) => a.record), { path, appendToHandWritten: true });
      if (index.kind === "write") {
        writeFileSync(join(store.root, path), index.content);
        io.err(`baton: ${index.how}: ${path}`);
      } else if (index.kind === "unchanged") io.err(`baton: ${path} is up to date`);
      io.out(path);
    });
}

function writeFiles(io: CliIo, root: string, writes: { path: string; content: string }[]): void {
  for (const w of writes) {
    mkdirSync(dirname(join(root, w.path)), { recursive: true });
    writeFileSync(join(root, w.path), w.content);
    io.err(`wrote ${w.path}`);
  }
}

export function parseAdrNumber(text: string): number {
  const n = Number(/(\d+)/.exec(text)?.[1]);
  if (!Number.isInteger(n)) throw new CliError(`"${text}" is not an ADR number (e.g. 7 or ADR-0007)`);
  return n;
}
