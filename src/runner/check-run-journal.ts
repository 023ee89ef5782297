import type { StepId } from "../config/config-schema.js";
import type { SharedState } from "../state/shared-state.js";
import type { RepoTarget } from "./job-request.js";

/**
 * The check runs Baton has open (queued or in progress), written down
 * outside the process that opened them, so that after a crash the next
 * start can find them: GitHub has no "list this app's open check runs"
 * across repositories, and GitHub will not redeliver an event it got its
 * 200 for. In Redis with REDIS_URL; otherwise in a file (BATON_STATE_DIR).
 */
export interface OpenCheckRun {
  target: RepoTarget;
  checkRunId: number;
  stepId: StepId;
  /** The check run's external id: the job request, without its cause. */
  externalId: string;
  /** What asked for the run (`label-<delivery>`, `recover-<id>`…). */
  cause: string;
  issueNumber?: number;
  openedAt: string;
}

export interface CheckRunJournal {
  opened(run: OpenCheckRun): Promise<void>;
  closed(target: RepoTarget, checkRunId: number): Promise<void>;
  list(): Promise<OpenCheckRun[]>;
}

const SET = "open-check-runs";
const field = (target: RepoTarget, id: number) => `${target.owner}/${target.repo}#${id}`;

export function createCheckRunJournal(state: SharedState): CheckRunJournal {
  return {
    async opened(run) {
      await state.put(SET, field(run.target, run.checkRunId), JSON.stringify(run));
    },
    async closed(target, checkRunId) {
      await state.remove(SET, field(target, checkRunId));
    },
    async list() {
      const out: OpenCheckRun[] = [];
      for (const value of (await state.list(SET)).values()) {
        try {
          out.push(JSON.parse(value) as OpenCheckRun);
        } catch {
          // A damaged record names no check run we could close: skip it.
        }
      }
      return out;
    },
  };
}
