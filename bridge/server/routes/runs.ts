/** /api/runs: submit, list, follow (Server-Sent Events), cancel, and read results. */
import express, { Router, type Request, type Response } from 'express'
import type { InputValue } from '../../run/inputs.js'
import type { RunEvent, WorkflowSpec } from '../../run/runner.js'
import { BridgeHttpError } from '../httpError.js'
import type { RunManager, RunRecord } from '../runManager.js'
import { inputFromClient, toWire } from '../wire.js'
import { MAX_ITERATIONS } from '../../defaults.js'
import { runView } from '../runView.js'


const isWorkflowObject = (w: unknown): w is { name: string; workflow: object } =>
  typeof w === 'object' && w !== null && typeof (w as { name?: unknown }).name === 'string' && typeof (w as { workflow?: unknown }).workflow === 'object'

function inputsFromClient(raw: unknown): Record<string, InputValue> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BridgeHttpError(400, 'inputs must be an object of key → value.')
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, inputFromClient(v, `inputs["${k}"]`)]))
}

export function runsRouter(runs: RunManager, limits: { json: string }): Router {
  const router = Router()
  const find = (req: Request): RunRecord => {
    const run = runs.get(String(req.params.id))
    if (!run) throw new BridgeHttpError(404, `There is no run "${String(req.params.id)}" (runs are kept while the bridge runs).`, 'not_found')
    return run
  }

  router.get('/', (_req, res) => {
    res.json(runs.list().map((r) => runView(r)))
  })

  router.post('/', express.json({ limit: limits.json }), async (req, res) => {
    const body = (req.body ?? {}) as { workflows?: unknown; context?: string; inputs?: unknown; iterations?: unknown; client_id?: string; stitch?: boolean; pass_by?: Record<string, 'val' | 'ref'>; expect_outputs?: unknown }
    for (const [k, v] of Object.entries(body.pass_by ?? {})) {
      if (v !== 'val' && v !== 'ref') throw new BridgeHttpError(400, `pass_by["${k}"] must be "val" or "ref" (got ${JSON.stringify(v)}).`)
    }
    if (!Array.isArray(body.workflows) || body.workflows.length === 0) {
      throw new BridgeHttpError(400, 'POST {"workflows": [{"name": "a.json", "workflow": {...}}, ...]}: give at least one workflow.')
    }
    body.workflows.forEach((w, i) => {
      if (!isWorkflowObject(w)) {
        throw new BridgeHttpError(400, `workflows[${i}] must be {"name": ..., "workflow": {...}}; the bridge does not read files named by HTTP clients.`)
      }
    })
    if (body.iterations !== undefined && (!Number.isInteger(body.iterations) || (body.iterations as number) < 1 || (body.iterations as number) > MAX_ITERATIONS)) {
      throw new BridgeHttpError(400, `iterations must be a whole number from 1 to ${MAX_ITERATIONS} (got ${JSON.stringify(body.iterations)}); for more, submit several runs.`)
    }
    const expectOutputs = body.expect_outputs
    if (expectOutputs !== undefined && (!Array.isArray(expectOutputs) || expectOutputs.length > 1000 || !expectOutputs.every((k) => typeof k === 'string'))) {
      throw new BridgeHttpError(400, 'expect_outputs must be a list of OUTPUT port names (strings).')
    }
    const run = await runs.submit({
      workflows: body.workflows as WorkflowSpec[],
      ...(body.context ? { contextId: body.context } : {}),
      ...(body.inputs ? { inputs: inputsFromClient(body.inputs) } : {}),
      ...(body.iterations ? { iterations: body.iterations as number } : {}),
      ...(body.client_id ? { clientId: body.client_id } : {}),
      ...(body.stitch ? { stitch: true } : {}),
      ...(body.pass_by ? { passBy: body.pass_by } : {}),
      ...(expectOutputs ? { expectOutputs: expectOutputs as string[] } : {}),
    })
    if (req.headers.accept === 'text/event-stream') {
      // One request for the whole run: its events (all, or with `x-discomfort-events: end`
      // only the last), then the result or the failure.
      streamRun(req, res, runs, run, true, req.headers['x-discomfort-events'] === 'end')
      return
    }
    res.status(202).json(runView(run))
  })

  router.get('/:id', (req, res) => {
    res.json(runView(find(req), req.query.events === '1'))
  })

  router.post('/:id/cancel', (req, res) => {
    const run = find(req)
    const cancelled = runs.cancel(run.id)
    res.status(cancelled ? 202 : 409).json({ ...runView(run), cancelled })
  })

  router.get('/:id/result', (req, res) => {
    const run = find(req)
    if (run.status !== 'succeeded' || !run.outputs) {
      throw new BridgeHttpError(409, `Run ${run.id} is ${run.status}${run.error ? `: ${run.error.message}` : ''}; it has no result.`, `run_${run.status}`)
    }
    res.json({ runId: run.id, contextId: run.contextId, outputs: toWire(run.outputs) })
  })

  /** Every event of the run so far, then live ones, as Server-Sent Events; ends with the run. */
  router.get('/:id/events', (req: Request, res: Response) => {
    streamRun(req, res, runs, find(req), false)
  })

  return router
}

function streamRun(req: Request, res: Response, runs: RunManager, run: RunRecord, withResult: boolean, onlyEnd = false): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Discomfort-Run': run.id })
  const send = (type: string, data: unknown) => {
    if (onlyEnd && type !== 'run-failed' && type !== 'run-finished' && type !== 'result') return
    res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`)
  }
  const end = () => {
    if (withResult && run.status === 'succeeded' && run.outputs) send('result', { runId: run.id, contextId: run.contextId, outputs: toWire(run.outputs) })
    res.end()
  }
  for (const e of run.events) send(e.type, e)
  if (run.status !== 'queued' && run.status !== 'running') {
    void runs.finished(run).then(end)
    return
  }
  const off = runs.onEvent((r, e) => {
    if (r.id !== run.id) return
    send(e.type, e)
    if (e.type === 'run-finished' || e.type === 'run-failed') {
      off()
      // The result is set when the run's task ends, right after its last event.
      void runs.finished(run).then(end)
    }
  })
  req.on('close', off)
}
