/** /api/runs: submit, list, follow (Server-Sent Events), cancel, and read results. */
import type { ServerResponse } from 'node:http'
import type { InputValue } from '../../values/inputs.js'
import { BridgeHttpError } from '../httpError.js'
import type { RunManager, RunRecord } from '../../runs/manager.js'
import { inputFromClient } from '../wire.js'
import { hasBytes, routes, runIsOpen } from '../../../shared/protocol/index.js'
import { bodies, readBody, readQuery, sendDocument } from '../bodies.js'
import { header, json, type BridgeRequest, type Router } from '../http.js'
import { runView } from '../../runs/record.js'
import { RunNotFoundError } from '../../runs/errors.js'

const inputsFromClient = (raw: Record<string, unknown>): Record<string, InputValue> =>
  Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, inputFromClient(v, `inputs["${k}"]`)]))

export function runRoutes(router: Router, runs: RunManager): void {
  const find = async (req: BridgeRequest): Promise<RunRecord> => {
    const run = await runs.find(String(req.params.id))
    if (!run)
      throw new RunNotFoundError(
        `There is no run "${String(req.params.id)}" in the bridge's history (it keeps the latest 10,000).`,
      )
    return run
  }

  /** The latest runs, oldest first; `?limit=` (default 200, at most 1,000), `?before=` a createdAt to page back from. */
  router.on(routes.listRuns, undefined, async (req, res) => {
    const query = readQuery(routes.listRuns, req.query)
    json(
      res,
      (await runs.list(query.limit, query.before)).map((r) => runView(r)),
    )
  })

  router.on(routes.submitRun, bodies.document, async (req, res) => {
    const { inputs, ...spec } = readBody(routes.submitRun, req.body)
    const run = await runs.submit({ ...spec, ...(inputs ? { inputs: inputsFromClient(inputs) } : {}) })
    if (header(req, 'accept') === 'text/event-stream') {
      // One request for the whole run: its events (all, or with `x-discomfort-events: end`
      // only the last), then the result or the failure.
      streamRun(res, runs, run, true, header(req, 'x-discomfort-events') === 'end')
      return
    }
    json(res, runView(run), 202)
  })

  router.on(routes.run, undefined, async (req, res) => {
    json(res, runView(await find(req), req.query.events === '1'))
  })

  /** The same workflows again, in the same context, with its values as they are now. */
  router.on(routes.rerun, bodies.small, async (req, res) => {
    const body = readBody(routes.rerun, req.body, `POST /api/runs/${String(req.params.id)}/rerun`)
    const run = await runs.rerun(String(req.params.id), body.clientId ? { clientId: body.clientId } : {})
    json(res, runView(run), 202)
  })

  router.on(routes.cancelRun, undefined, async (req, res) => {
    const run = await find(req)
    const cancelled = await runs.cancel(run.id)
    json(res, { ...runView(run), cancelled }, cancelled ? 202 : 409)
  })

  router.on(routes.runWorkflows, undefined, async (req, res) => {
    json(res, await runs.workflowsOf(String(req.params.id)))
  })

  router.on(routes.runResult, undefined, async (req, res) => {
    const run = await find(req)
    if (run.status !== 'succeeded' || !run.outputs) {
      throw new BridgeHttpError(
        409,
        `Run ${run.id} is ${run.status}${run.error ? `: ${run.error.message}` : ''}; it has no result.`,
        `run_${run.status}`,
      )
    }
    sendDocument(req, res, { runId: run.id, contextId: run.contextId, outputs: run.outputs })
  })

  /** Every event of the run so far, then live ones, as Server-Sent Events; ends with the run. */
  router.on(routes.runEvents, undefined, async (req, res) => {
    streamRun(res, runs, await find(req), false)
  })
}

function streamRun(res: ServerResponse, runs: RunManager, run: RunRecord, withResult: boolean, onlyEnd = false): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Discomfort-Run': run.id,
  })
  const send = (type: string, data: unknown) => {
    if (onlyEnd && type !== 'run-failed' && type !== 'run-finished' && type !== 'result') return
    res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`)
  }
  const end = () => {
    if (withResult && run.status === 'succeeded' && run.outputs)
      // Plain values come inline; when any output holds bytes, the client fetches them all
      // from /runs/:id/result, raw (no base64 through the event stream).
      send('result', {
        runId: run.id,
        contextId: run.contextId,
        outputs: Object.keys(run.outputs),
        ...(hasBytes(run.outputs) ? {} : { values: run.outputs }),
      })
    res.end()
  }
  for (const e of run.events) send(e.type, e)
  if (!runIsOpen(run.status)) {
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
  res.on('close', off)
}
