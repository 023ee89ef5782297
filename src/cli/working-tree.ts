import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * The working tree, for commands that author files (adr new, adr index,
 * lint). Context for steps is read from git objects instead (see
 * local-git-snapshot), so manifests pin what was committed.
 */
export function listWorkingTreeFiles(root: string): string[] {
  try {
    const out = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 256 * 1024 * 1024 });
    return out.split("\0").filter((p) => p && existsSync(join(root, p))).sort();
  } catch {
    return walk(root, root, 6);
  }
}

function walk(root: string, dir: string, depth: number): string[] {
  if (depth < 0) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".git")) continue;
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) out.push(...walk(root, full, depth - 1));
    else out.push(relative(root, full).split("\\").join("/"));
  }
  return out.sort();
}

export function readTextIfExists(path: string): string | null {
  return existsSync(path) ? readFileSync(path, "utf8") : null;
}

/** Markdown files directly in `dir`, and one level below (some teams file ADRs by area). */
export function listMarkdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isFile() && /\.(md|markdown)$/i.test(name)) out.push(name);
    else if (st.isDirectory() && !name.startsWith(".") && !/^(templates?|assets|images|img|node_modules)$/i.test(name)) {
      for (const sub of readdirSync(full).sort()) {
        if (/\.(md|markdown)$/i.test(sub) && statSync(join(full, sub)).isFile()) out.push(`${name}/${sub}`);
      }
    }
  }
  return out;
}

export function gitRoot(cwd: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return cwd;
  }
}
