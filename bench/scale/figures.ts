import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PERFORMANCE_MD = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "performance.md");

/** Rewrites the lines between `<!-- bench:<name>:start -->` and `<!-- bench:<name>:end -->` in docs/performance.md. */
export function writeFigures(name: string, lines: string[]): void {
  const text = readFileSync(PERFORMANCE_MD, "utf8");
  const open = `<!-- bench:${name}:start -->`;
  const close = `<!-- bench:${name}:end -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) {
    console.error(`docs/performance.md has no ${open} … ${close} section: figures printed only`);
    return;
  }
  writeFileSync(PERFORMANCE_MD, `${text.slice(0, start + open.length)}\n${lines.join("\n")}\n${text.slice(end)}`);
}
