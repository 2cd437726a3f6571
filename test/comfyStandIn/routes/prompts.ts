/** Prompts: queue one (validated like the real server), the queue, interrupt, free, history. */
import { randomUUID } from 'node:crypto'
import express, { type Router } from 'express'
import type { ApiPrompt } from '../../../shared/workflow/apiPrompt.js'
import { validatePrompt } from '../validate.js'
import { MAX_UPLOAD, type StandInState } from '../state.js'

export function promptRoutes(api: Router, state: StandInState): void {
  const { executor, objectInfo, folders } = state
  api.get('/prompt', (_req, res) => {
    res.json({ exec_info: { queue_remaining: executor.queueRemaining } })
  })
  api.post('/prompt', express.raw({ type: () => true, limit: MAX_UPLOAD }), (req, res) => {
    let body: Record<string, unknown>
    try {
      body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '') as Record<string, unknown>
    } catch {
      res.status(500).type('text/plain').send(`500 Internal Server Error\n\nServer got itself in trouble`)
      return
    }
    if (!('prompt' in body)) {
      res.status(400).json({
        error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} },
        node_errors: {},
      })
      return
    }
    const targets = Array.isArray(body.partial_execution_targets)
      ? body.partial_execution_targets.map(String)
      : undefined
    const result = validatePrompt(body.prompt, objectInfo(), folders, targets)
    if (!result.ok) {
      res.status(400).json({ error: result.error, node_errors: result.nodeErrors })
      return
    }
    const number = typeof body.number === 'number' ? body.number : executor.nextNumber(body.front === true)
    const promptId = 'prompt_id' in body && body.prompt_id !== undefined ? String(body.prompt_id) : randomUUID()
    const extraData: Record<string, unknown> = { ...((body.extra_data as Record<string, unknown>) ?? {}) }
    if ('client_id' in body) extraData.client_id = body.client_id
    executor.enqueue({ number, promptId, prompt: result.prompt as ApiPrompt, extraData, outputs: result.outputs })
    res.json({ prompt_id: promptId, number, node_errors: result.nodeErrors })
  })

  api.get('/queue', (_req, res) => {
    res.json(executor.queueState())
  })
  api.post('/queue', express.json(), (req, res) => {
    const body = (req.body ?? {}) as { clear?: boolean; delete?: string[] }
    if (body.clear) executor.clearPending()
    if (Array.isArray(body.delete)) executor.deletePending(body.delete.map(String))
    res.end()
  })
  // With a prompt_id, only that prompt is interrupted, and only while it runs (as ComfyUI 0.3.75 does).
  api.post('/interrupt', express.raw({ type: () => true }), (req, res) => {
    let body: unknown
    try {
      body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '')
    } catch {
      body = {}
    }
    const target = typeof body === 'object' && body !== null && 'prompt_id' in body ? body.prompt_id : undefined
    if (target === undefined || target === executor.runningPromptId) executor.interrupt()
    res.end()
  })
  api.post('/free', express.json(), (req, res) => {
    const body = (req.body ?? {}) as { free_memory?: boolean; unload_models?: boolean }
    if (body.free_memory) executor.freeMemory()
    res.end()
  })
  api.get('/history', (req, res) => {
    const entries = [...executor.history.entries()]
    const max = req.query.max_items === undefined ? undefined : Number(req.query.max_items)
    const chosen = max === undefined ? entries : entries.slice(Math.max(0, entries.length - max))
    res.json(Object.fromEntries(chosen))
  })
  api.get('/history/:id', (req, res) => {
    const entry = executor.history.get(String(req.params.id))
    res.json(entry ? { [String(req.params.id)]: entry } : {})
  })
  api.post('/history', express.json(), (req, res) => {
    const body = (req.body ?? {}) as { clear?: boolean; delete?: string[] }
    if (body.clear) executor.history.clear()
    for (const id of body.delete ?? []) executor.history.delete(String(id))
    res.end()
  })
}
