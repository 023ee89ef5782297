import { createHash } from "node:crypto";
import { foldRepoPath, normaliseRepoPath } from "../policy/path-policy.js";
import type { CommitIntent } from "./intents.js";
import { outgoingPlain } from "./outgoing-text.js";
import { GitHubWriteError, githubRequest, type OctokitLike } from "./github-request.js";
import type { CommitResult, WriterLogger } from "./write-result.js";

/**
 * One CommitIntent becomes at most one commit, through the Git Data API
 * (blobs, one tree, one commit, one ref write), so a step's files land
 * together or not at all: no working copy, no per-file "contents" commits.
 *
 * Idempotency: the commit is made on the branch tip when the branch exists
 * (baseSha otherwise), and only for files whose content differs there. A
 * redelivered event finds every file already as intended and writes
 * nothing; a branch that moved on (someone pushed a fix) gets one commit on
 * top, fast-forward, so nothing is lost.
 */

export interface CommitTarget {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  log?: WriterLogger | undefined;
}

interface GitRef {
  ref: string;
  object: { type: string; sha: string };
}
interface GitCommit {
  sha: string;
  html_url: string;
  tree: { sha: string };
}
interface GitTreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
}
interface GitTree {
  sha: string;
  tree: GitTreeEntry[];
  truncated: boolean;
}
interface NewTreeEntry {
  path: string;
  mode: string;
  type: "blob";
  sha: string | null;
}

const FULL_SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/** Git's rules for a branch name (git check-ref-format), so a bad name fails before anything is written. */
function branchProblem(branch: string): string | undefined {
  if (!branch) return "the branch name is empty";
  if (branch.startsWith("refs/")) return `give the branch name without "refs/heads/" (${branch})`;
  if (/[\s~^:?*[\\\x00-\x1f\x7f]|\.\.|@\{|\/\/|^[/.-]|[/.]$|\.lock$|\/\./.test(branch) || branch === "@") return `"${branch}" is not a valid branch name`;
  return undefined;
}

/**
 * Problems with a commit intent that GitHub would refuse or that are
 * ambiguous; checked for every intent before anything is written.
 */
export function commitIntentProblems(intent: CommitIntent): string[] {
  const problems: string[] = [];
  const branch = branchProblem(intent.branch);
  if (branch) problems.push(branch);
  if (!FULL_SHA.test(intent.baseSha)) problems.push(`baseSha must be a full commit SHA, not "${intent.baseSha}" (a ref name could move)`);
  if (intent.mergeWith !== undefined && !FULL_SHA.test(intent.mergeWith)) problems.push(`mergeWith must be a full commit SHA, not "${intent.mergeWith}"`);
  if (!intent.message.trim()) problems.push("the commit message is empty");
  if (intent.repository !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(intent.repository)) problems.push(`"${intent.repository}" is not a repository (owner/repo)`);
  // Keyed as a case-insensitive disk sees them: `README.md` and `readme.md` would overwrite each other on checkout.
  const seen = new Map<string, string>();
  for (const file of intent.files) {
    const normal = normaliseRepoPath(file.path);
    if (!normal.ok) {
      problems.push(`${JSON.stringify(file.path)} is not a repository-relative path (${normal.reason})`);
      continue;
    }
    const key = foldRepoPath(normal.path);
    const first = seen.get(key);
    if (first === file.path) problems.push(`${file.path} appears twice in one commit`);
    else if (first !== undefined) problems.push(`${first} and ${file.path} name the same file on a case-insensitive disk`);
    else seen.set(key, file.path);
  }
  return problems.map((p) => `commit to ${intent.branch}: ${p}`);
}

/** The object id Git gives this content as a blob: equal ids mean equal content, no download needed. */
export function gitBlobSha(content: string, algorithm: "sha1" | "sha256" = "sha1"): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** What a path is in a tree: an entry, absent, or unknown (GitHub truncated a huge directory listing). */
type Lookup = GitTreeEntry | "absent" | "unknown";

/**
 * Looks paths up in a tree by walking only the directories on their way
 * (one request per distinct directory, each listing small), instead of the
 * whole recursive tree, which for a large repository is megabytes.
 */
async function lookUp(target: CommitTarget, rootTree: string, paths: string[]): Promise<Map<string, Lookup>> {
  const listings = new Map<string, { entries: Map<string, GitTreeEntry>; truncated: boolean } | null>();
  const { octokit, owner, repo } = target;

  async function listing(dir: string): Promise<{ entries: Map<string, GitTreeEntry>; truncated: boolean } | null> {
    const cached = listings.get(dir);
    if (cached !== undefined) return cached;
    let sha: string | undefined = rootTree;
    if (dir) {
      const slash = dir.lastIndexOf("/");
      const parent = await listing(slash < 0 ? "" : dir.slice(0, slash));
      const entry = parent?.entries.get(dir.slice(slash + 1));
      if (entry && entry.type !== "tree") {
        // A symlink, file or submodule on the way: writing below it would go through a link or into another repository.
        const what = entry.type === "commit" ? "a submodule" : entry.mode === "120000" ? "a symbolic link" : "a file";
        throw new GitHubWriteError(`${dir} is ${what}, not a folder: Baton never writes through it`, { transient: false });
      }
      sha = entry?.sha;
    }
    let result: { entries: Map<string, GitTreeEntry>; truncated: boolean } | null = null;
    if (sha) {
      const { data } = await githubRequest<GitTree>(octokit, "GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { owner, repo, tree_sha: sha });
      result = { entries: new Map(data.tree.map((e) => [e.path, e])), truncated: data.truncated };
    }
    listings.set(dir, result);
    return result;
  }

  const found = new Map<string, Lookup>();
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const dir = await listing(slash < 0 ? "" : path.slice(0, slash));
    const entry = dir?.entries.get(path.slice(slash + 1));
    found.set(path, entry ?? (dir?.truncated ? "unknown" : "absent"));
  }
  return found;
}

async function branchTip(target: CommitTarget, branch: string): Promise<string | undefined> {
  const { octokit, owner, repo } = target;
  try {
    const { data } = await githubRequest<GitRef>(octokit, "GET /repos/{owner}/{repo}/git/ref/{ref}", { owner, repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (err) {
    if (err instanceof GitHubWriteError && err.status === 404) return undefined;
    throw err;
  }
}

/** A 422 on a ref write means someone else moved or created the branch meanwhile: a retry recomputes on the new tip. */
function raceIsTransient(err: unknown, branch: string): never {
  if (err instanceof GitHubWriteError && err.status === 422) {
    throw new GitHubWriteError(`${err.message} (branch ${branch} changed while Baton was writing; a retry will commit on its new tip)`, {
      ...err.details,
      transient: true,
    });
  }
  throw err;
}

export async function writeCommit(target: CommitTarget, intent: CommitIntent): Promise<CommitResult> {
  const { octokit, owner, repo, log } = target;
  const tip = await branchTip(target, intent.branch);
  if (intent.mergeWith && tip === undefined) throw new GitHubWriteError(`commit to ${intent.branch}: a merge needs the branch to exist`, { transient: false });
  const parentSha = tip ?? intent.baseSha;
  const { data: parent } = await githubRequest<GitCommit>(octokit, "GET /repos/{owner}/{repo}/git/commits/{commit_sha}", { owner, repo, commit_sha: parentSha });
  // A merge starts from the merged commit's tree; any other commit from its parent's.
  const start = intent.mergeWith ? (await githubRequest<GitCommit>(octokit, "GET /repos/{owner}/{repo}/git/commits/{commit_sha}", { owner, repo, commit_sha: intent.mergeWith })).data : parent;
  const algorithm = start.tree.sha.length === 64 ? "sha256" : "sha1";
  const existing = await lookUp(target, start.tree.sha, intent.files.map((f) => f.path));

  const changes: { path: string; content: string | null; mode: string }[] = [];
  for (const file of intent.files) {
    const entry = existing.get(file.path) ?? "unknown";
    if (typeof entry === "object" && entry.type !== "blob") {
      // Replacing or deleting a directory would touch paths the capability check never saw.
      throw new GitHubWriteError(`commit to ${intent.branch}: ${file.path} is a ${entry.type === "tree" ? "directory" : "submodule"} at ${parentSha.slice(0, 12)}, not a file`, { transient: false });
    }
    if (file.content === null) {
      if (entry !== "absent") changes.push({ path: file.path, content: null, mode: typeof entry === "object" ? entry.mode : "100644" });
      continue;
    }
    const unchanged = typeof entry === "object" && entry.sha === gitBlobSha(file.content, algorithm);
    // An executable keeps its mode; anything else (new file, symlink replaced by content) is a plain file.
    if (!unchanged) changes.push({ path: file.path, content: file.content, mode: typeof entry === "object" && entry.mode === "100755" ? "100755" : "100644" });
  }

  if (changes.length === 0 && !intent.mergeWith) {
    log?.info({ owner, repo, branch: intent.branch, sha: parentSha, branchExists: tip !== undefined }, "commit: every file already as intended, nothing written");
    return { kind: "commit", branch: intent.branch, sha: parentSha, url: parent.html_url, created: false, action: "unchanged", changedPaths: [], repository: `${owner}/${repo}` };
  }

  // Blobs one after another: GitHub asks integrations not to send mutating requests concurrently.
  const entries: NewTreeEntry[] = [];
  for (const change of changes) {
    if (change.content === null) {
      entries.push({ path: change.path, mode: change.mode, type: "blob", sha: null });
      continue;
    }
    // base64 of the UTF-8 bytes: exactly the bytes gitBlobSha hashed, whatever the text contains.
    const { data: blob } = await githubRequest<{ sha: string }>(octokit, "POST /repos/{owner}/{repo}/git/blobs", {
      owner,
      repo,
      content: Buffer.from(change.content, "utf8").toString("base64"),
      encoding: "base64",
    });
    entries.push({ path: change.path, mode: change.mode, type: "blob", sha: blob.sha });
  }

  const treeSha =
    entries.length === 0
      ? start.tree.sha
      : (await githubRequest<{ sha: string }>(octokit, "POST /repos/{owner}/{repo}/git/trees", { owner, repo, base_tree: start.tree.sha, tree: entries })).data.sha;
  const { data: commit } = await githubRequest<GitCommit>(octokit, "POST /repos/{owner}/{repo}/git/commits", {
    owner,
    repo,
    message: outgoingPlain(intent.message),
    tree: treeSha,
    parents: intent.mergeWith ? [parentSha, intent.mergeWith] : [parentSha],
  });

  try {
    if (tip === undefined) {
      await githubRequest(octokit, "POST /repos/{owner}/{repo}/git/refs", { owner, repo, ref: `refs/heads/${intent.branch}`, sha: commit.sha });
    } else {
      await githubRequest(octokit, "PATCH /repos/{owner}/{repo}/git/refs/{ref}", { owner, repo, ref: `heads/${intent.branch}`, sha: commit.sha, force: false });
    }
  } catch (err) {
    raceIsTransient(err, intent.branch);
  }

  const changedPaths = changes.map((c) => c.path);
  const action = tip === undefined ? "branch-created" : "branch-updated";
  log?.info({ owner, repo, branch: intent.branch, sha: commit.sha, parent: parentSha, changedPaths, action }, "commit written");
  return { kind: "commit", branch: intent.branch, sha: commit.sha, url: commit.html_url, created: true, action, changedPaths, repository: `${owner}/${repo}` };
}
