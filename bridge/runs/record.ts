/** A run as the bridge keeps it while it lives, what it takes to run it again, and how clients see it (RunView in shared/protocol). */
import type { RunFailure, RunProgress, RunSpec, RunStatus, RunView } from '../../shared/protocol/index.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { RunEvent } from './runner.js'
import type { ContextValue } from '../values/values.js'

export interface RunRecord {
  id: string
  status: RunStatus
  contextId: string
  /** A context made for this run only, closed when it ends. */
  temporaryContext: boolean
  workflows: string[]
  iterations: number
  createdAt: string
  finishedAt?: string
  error?: RunFailure
  /** The last KEPT_EVENTS events. */
  events: RunEvent[]
  /** Where the run is, kept as events arrive (not recomputed from them). */
  progress: RunProgress
  outputs?: Record<string, ContextValue>
  /** The OUTPUT keys it wrote (kept in the history; their values are in its context). */
  outputKeys?: string[]
  source: 'script' | 'page'
  /** What it takes to run it again, when it can be (not for a run in a context made for it alone). */
  request?: RunRequest
  /** A run from the history whose request the ledger still keeps. */
  rerunnable?: boolean
  /** How many times a prompt of it was submitted again after ComfyUI lost it. */
  resubmitted?: number
}

/**
 * What a run was asked to do, kept so it can be run again: its workflows and
 * options. Its inputs are not kept: they were saved into its context, and a
 * re-run uses the context's values as they are then (change one, run again).
 */
type RunRequest =
  | ({ kind: 'script' } & Omit<RunSpec, 'inputs' | 'context' | 'clientId'>)
  | { kind: 'page'; prompt: ApiPrompt; extraData?: Record<string, unknown>; name?: string }

export const runView = (run: RunRecord, withEvents = false): RunView => ({
  id: run.id,
  status: run.status,
  source: run.source,
  contextId: run.contextId,
  workflows: run.workflows,
  iterations: run.iterations,
  createdAt: run.createdAt,
  ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
  ...(run.error ? { error: run.error } : {}),
  ...(run.outputs ? { outputs: Object.keys(run.outputs) } : run.outputKeys ? { outputs: run.outputKeys } : {}),
  progress: run.progress,
  ...(run.request || run.rerunnable ? { rerunnable: true } : {}),
  ...(run.resubmitted ? { resubmitted: run.resubmitted } : {}),
  ...(withEvents ? { events: run.events } : {}),
})
