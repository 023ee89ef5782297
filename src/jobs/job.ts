/**
 * Jobs are how webhook handlers hand model work to the background: a handler
 * validates the event, builds a Job and enqueues it, then answers GitHub at
 * once. Everything that may take minutes (model calls, many API calls) runs
 * from the queue.
 */

export interface Job<P = unknown> {
  /**
   * Deterministic id, the idempotency key, e.g. "review:owner/repo#15@<headsha>".
   * A redelivered webhook builds the same id, and the queue refuses it.
   */
  id: string;
  /**
   * Serialisation key: at most one job runs at a time per key, in arrival
   * order, e.g. "owner/repo#15" so two reviews of one PR never interleave.
   */
  key: string;
  kind: string;
  payload: P;
  /**
   * Fairness group, normally the GitHub installation: free slots go to the
   * groups in turn, so one installation's backlog cannot hold back another's
   * first job, and a rate-limit pause of one installation stops only its jobs.
   */
  group?: string;
  /**
   * On enqueue: attempts already made elsewhere (normally absent).
   * When the handler is called: the 1-based number of the current attempt.
   */
  attempts?: number;
}

export interface EnqueueResult {
  accepted: boolean;
  /**
   * "duplicate": the id is queued, running, or completed within the retention window.
   * "closed": the queue no longer accepts jobs. "full": `maxQueued` jobs are waiting.
   */
  reason?: "duplicate" | "closed" | "full";
}

export interface EnqueueOptions {
  /**
   * Work that an accepted job fans out into (a routed event's steps): taken
   * even when the queue is full or draining, so nothing admitted is dropped
   * halfway. Jobs from the edge (false, the default) are refused instead, and
   * the edge says so.
   */
  fanOut?: boolean;
}

export interface JobContext {
  /** Aborted when the queue is closed: long handlers should stop at the next safe point. */
  signal: AbortSignal;
}

export type JobHandler = (job: Job, context: JobContext) => Promise<void>;

/** Called once per job that will not run to success: final failure, permanent error, or queue closed. */
export type JobFailureHook = (job: Job, error: unknown) => void | Promise<void>;

export interface JobQueue {
  enqueue(job: Job, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Resolves when nothing is queued, running or waiting to retry (tests use it instead of sleeps). */
  onIdle(): Promise<void>;
  /**
   * SIGTERM: stops accepting jobs and resolves once this process's work is
   * done: the in-process queue runs everything it accepted; a BullMQ worker
   * finishes its running jobs and leaves the rest in Redis for other workers.
   */
  drain(): Promise<void>;
  /** Whether the job is queued, running or waiting to retry (somewhere, for a shared queue). */
  isPending(id: string): Promise<boolean>;
  /** Jobs waiting (queued, delayed or waiting to retry) and running, for the metrics endpoint. */
  counts(): Promise<{ waiting: number; running: number }>;
  /** Stops accepting jobs, abandons queued ones (reported through the failure hook), waits for running handlers. */
  close(): Promise<void>;
}

/** The subset of Probot's pino logger the queues use. */
export interface QueueLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** The edge's answer when the queue is full: GitHub shows the delivery as failed, and it can be redelivered. */
export class QueueFullError extends Error {
  readonly transient = true;
  constructor(readonly limit: number) {
    super(`Baton's job queue is full (${limit} jobs waiting), so this event was not accepted. Redeliver it from the app's advanced settings once the queue has drained, or raise BATON_QUEUE_LIMIT.`);
    this.name = "QueueFullError";
  }
}

/** Given to the failure hook for jobs abandoned because the queue closed. */
export class QueueClosedError extends Error {
  readonly transient = false;
  constructor(message = "the job queue was closed before the job could run") {
    super(message);
    this.name = "QueueClosedError";
  }
}

/** Throws on a job the queue cannot safely key or deduplicate. */
export function assertValidJob(job: Job): void {
  if (typeof job.id !== "string" || job.id.length === 0) throw new TypeError("job.id must be a non-empty string");
  if (typeof job.key !== "string" || job.key.length === 0) throw new TypeError("job.key must be a non-empty string");
  if (typeof job.kind !== "string" || job.kind.length === 0) throw new TypeError("job.kind must be a non-empty string");
}
