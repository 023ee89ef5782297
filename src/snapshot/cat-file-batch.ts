import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { gitEnv } from "./git-process.js";
import { SnapshotError } from "./snapshot-error.js";

interface Pending {
  sha: string;
  done(content: Buffer | null): void;
  fail(err: Error): void;
}

const LF = 0x0a;

/**
 * One long-lived `git cat-file --batch` process. Requests are object ids
 * written one per line; answers come back in the same order as
 *   "<oid> <type> <size>\n<size bytes>\n"   or   "<oid> missing\n".
 * Output is parsed by byte counts over Buffers (never as strings: contents
 * are arbitrary bytes, and a multi-byte character may straddle two chunks),
 * and a large object is joined once, when complete, not chunk by chunk.
 *
 * The process does not keep Node alive while idle (unref), only while
 * answers are awaited; `close()` ends it.
 */
export class CatFileBatch {
  private child: ChildProcessByStdio<Writable, Readable, Readable> | undefined;
  private queue: Pending[] = [];
  private head = 0;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes of the current object's body still expected (content + LF), or null while reading a header. */
  private body: { size: number; need: number } | null = null;
  private stderrTail = "";
  private closed = false;
  /** Set when the output could not be parsed: the rest of it is meaningless. */
  private broken = false;
  /** Processes started, for the snapshot's request count. */
  spawned = 0;

  constructor(private readonly cwd: string) {}

  /** Contents of each object id, or null when git does not have it. */
  read(shas: readonly string[]): Promise<Map<string, Buffer | null>> {
    if (shas.length === 0) return Promise.resolve(new Map());
    if (this.closed) return Promise.reject(new SnapshotError("git cat-file reader is closed"));
    const child = this.ensureChild();
    return new Promise((resolve, reject) => {
      const out = new Map<string, Buffer | null>();
      let left = shas.length;
      let failed = false;
      for (const sha of shas) {
        this.queue.push({
          sha,
          done: (content) => {
            out.set(sha, content);
            if (--left === 0) resolve(out);
          },
          fail: (err) => {
            if (!failed) reject(err);
            failed = true;
          },
        });
      }
      this.setRef(true);
      // One write for the whole request; the pipe buffers what git has not read yet.
      child.stdin.write(`${shas.join("\n")}\n`);
    });
  }

  close(): void {
    this.closed = true;
    this.child?.stdin.end();
  }

  private ensureChild(): ChildProcessByStdio<Writable, Readable, Readable> {
    if (this.child !== undefined) return this.child;
    const child = spawn("git", ["cat-file", "--batch"], { cwd: this.cwd, env: gitEnv(), stdio: ["pipe", "pipe", "pipe"] });
    this.spawned++;
    this.child = child;
    this.broken = false;
    child.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-2000);
    });
    // EPIPE when git died: reported through "close" below with its stderr.
    child.stdin.on("error", () => undefined);
    child.on("error", (err) => this.failAll(new SnapshotError(`git cat-file --batch could not run in ${this.cwd}: ${err.message}`, { cause: err })));
    child.on("close", (code, signal) => {
      if (this.child === child) this.child = undefined;
      this.resetParser();
      const why = signal ? `signal ${signal}` : `exit code ${code}`;
      this.failAll(new SnapshotError(`git cat-file --batch ended (${why}) in ${this.cwd}: ${this.stderrTail.trim()}`));
    });
    return child;
  }

  private onData(chunk: Buffer): void {
    if (this.broken) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.broken) return;
      if (this.body === null) {
        const line = this.takeLine();
        if (line === null) return;
        this.onHeader(line);
      } else {
        if (this.buffered < this.body.need) return;
        const bytes = this.take(this.body.need);
        const size = this.body.size;
        this.body = null;
        this.settle(bytes.subarray(0, size));
      }
    }
  }

  private onHeader(line: string): void {
    // "<oid> <type> <size>" or "<oid> missing" / "<oid> ambiguous".
    const parts = line.split(" ");
    if (parts.length === 3) {
      const size = Number(parts[2]);
      if (!Number.isSafeInteger(size) || size < 0) {
        this.abort(new SnapshotError(`git cat-file --batch: unexpected header ${JSON.stringify(line)}`));
        return;
      }
      this.body = { size, need: size + 1 };
    } else {
      this.settle(null);
    }
  }

  private settle(content: Buffer | null): void {
    const pending = this.queue[this.head];
    if (pending === undefined) {
      this.abort(new SnapshotError("git cat-file --batch answered more than was asked"));
      return;
    }
    this.queue[this.head] = undefined as unknown as Pending;
    this.head++;
    // Compact now and then instead of shift(): O(1) per answer.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.head === this.queue.length) this.setRef(false);
    pending.done(content);
  }

  /** The next LF-terminated line (LF removed), or null when it has not fully arrived. */
  private takeLine(): string | null {
    let offset = 0;
    for (const chunk of this.chunks) {
      const at = chunk.indexOf(LF);
      if (at !== -1) return this.take(offset + at + 1).toString("utf8", 0, offset + at);
      offset += chunk.length;
    }
    return null;
  }

  /** Remove and return the first n buffered bytes, copying only when they span chunks. */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[0];
      if (chunk === undefined) break;
      if (chunk.length <= left) {
        parts.push(chunk);
        this.chunks.shift();
        left -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, left));
        this.chunks[0] = chunk.subarray(left);
        left = 0;
      }
    }
    this.buffered -= n;
    return Buffer.concat(parts, n);
  }

  private setRef(active: boolean): void {
    const child = this.child;
    if (child === undefined) return;
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as Array<{ ref?(): void; unref?(): void }>) {
      if (active) handle.ref?.();
      else handle.unref?.();
    }
  }

  private abort(err: Error): void {
    this.broken = true;
    this.resetParser();
    this.failAll(err);
    this.child?.kill();
  }

  private failAll(err: Error): void {
    const pending = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    for (const p of pending) p.fail(err);
  }

  private resetParser(): void {
    this.chunks = [];
    this.buffered = 0;
    this.body = null;
  }
}
