import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm test`: the type-check and the fast test tier at once (docs/testing.md).
 * tsc is single-threaded and vitest leaves a core mostly free on a 2-core
 * machine, so running them side by side hides most of the type-check's
 * time. tsc keeps its incremental state in node_modules/.cache, so a second
 * run re-checks only what changed. Its output is printed after vitest's, so
 * the two never interleave; the run fails if either fails. Arguments go to
 * vitest: `npm test -- test/app`.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const bin = (pkg: string, path: string) => join(dirname(require.resolve(`${pkg}/package.json`)), path);

function run(args: string[], pipe: boolean): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: pipe ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    child.once("error", (err) => done({ code: 1, output: `${output}${err.message}\n` }));
    child.once("exit", (code, signal) => done({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const typecheck = run([bin("typescript", "bin/tsc"), "-p", "tsconfig.json", "--noEmit", "--incremental", "--tsBuildInfoFile", "node_modules/.cache/baton/typecheck.tsbuildinfo"], true);
const tests = run([bin("vitest", "vitest.mjs"), "run", "--project", "fast", ...process.argv.slice(2)], false);

const [checked, tested] = await Promise.all([typecheck, tests]);
if (checked.code !== 0) process.stderr.write(`\nnpm test: the type-check failed (tsc -p tsconfig.json):\n${checked.output}`);
else process.stdout.write("npm test: type-check passed (tsc -p tsconfig.json)\n");
process.exitCode = checked.code !== 0 || tested.code !== 0 ? 1 : 0;
