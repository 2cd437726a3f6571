/** A run record as clients see it (see RunView in protocol.ts). */
import type { RunProgress, RunView } from '../../shared/protocol/index.js'
import type { RunEvent } from '../run/runner.js'
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
  ...(run.outputs ? { outputs: Object.keys(run.outputs) } : {}),
  progress: lastProgress(run.events),
  ...(withEvents ? { events: run.events } : {}),
})

function lastProgress(events: RunEvent[]): RunProgress {
  let out: RunProgress = { step: 0, totalSteps: 0 }
  for (const e of events) {
    if (e.type === 'run-started') out = { step: 0, totalSteps: e.totalSteps }
    if (e.type === 'workflow-started')
      out = { step: e.step, totalSteps: e.totalSteps, workflow: e.workflow, iteration: e.iteration }
  }
  return out
}
