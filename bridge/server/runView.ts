/** A run record as clients see it (see RunView in protocol.ts). */
import type { RunView } from '../../shared/protocol/index.js'
import type { RunRecord } from './runManager.js'

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
  ...(withEvents ? { events: run.events } : {}),
})
