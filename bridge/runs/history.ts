/**
 * Where a bridge keeps its run history, and how bridges sharing one Redis
 * tell each other about their runs. A lone bridge keeps the history in its
 * SQLite ledger (synchronous calls); bridges on one Redis keep one history
 * there (cluster/redisRunHistory.ts), so the ComfyUI page lists the same runs
 * whichever bridge it talks to.
 */
import type { RunEvent, RunView } from '../../shared/protocol/index.js'

type Maybe<T> = T | Promise<T>

export interface RunHistory {
  /**
   * Record a run, or its new state. `request` is what it takes to run it
   * again (given once, with the first record).
   */
  putRun(view: RunView, request?: string): Maybe<void>
  /** The latest runs (created before `before`, an ISO time, when given), newest first. */
  runs(limit: number, before?: string): Maybe<RunView[]>
  run(id: string): Maybe<RunView | undefined>
  /** What a run was asked to do, if it is still kept. */
  runRequest(id: string): Maybe<string | undefined>
}

/** Runs of the other bridges on one Redis: their changes, and cancelling them from here. */
export interface RunFeed {
  /** Tell the other bridges a run of this one started or ended. */
  tell(run: RunView, event: RunEvent): void
  /** A run of another bridge started or ended. */
  onTold(listener: (run: RunView, event: RunEvent) => void): () => void
  /** Ask the bridge that holds a run to cancel it. */
  askCancel(runId: string): Promise<void>
  onCancelAsked(listener: (runId: string) => void): () => void
}
