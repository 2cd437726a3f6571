/** Prompts: queue one (validated like the real server), the queue, interrupt, free, history. */
import { randomUUID } from 'node:crypto'
import express, { type Response, type Router } from 'express'
import type { ApiPrompt } from '../../../shared/workflow/apiPrompt.js'
import { isCanonicalUuid } from '../jobs.js'
import { applyReplacements } from '../nodeReplacements.js'
import { validatePrompt } from '../validate.js'
import { MAX_UPLOAD, type StandInState } from '../state.js'

/** aiohttp's answer when a handler raises. */
function serverError(res: Response): void {
  res.status(500).type('text/plain').send(`500 Internal Server Error\n\nServer got itself in trouble`)
}

const NO_PROMPT = {
  error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} },
  node_errors: {},
}

const INVALID_PROMPT_ID = {
  error: {
    type: 'invalid_prompt_id',
    message: 'prompt_id must be a valid UUID',
    details:
      'prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the server generate one',
    extra_info: {},
  },
  node_errors: {},
}

/** extra_data keys the current server keeps out of /queue, history and jobs (SENSITIVE_EXTRA_DATA_KEYS). */
const SENSITIVE_KEYS = ['auth_token_comfy_org', 'api_key_comfy_org']

const pyTruthy = (v: unknown): boolean =>
  !(
    v === false ||
    v === 0 ||
    v === '' ||
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0)
  )

/** Python's int() of a query value, or undefined where it raises. */
const pyIntParam = (text: string): number | undefined =>
  /^\s*[+-]?\d+(_\d+)*\s*$/.test(text) ? Number.parseInt(text.replace(/_/g, ''), 10) : undefined

/**
 * `GET /history?max_items=N&offset=M` as PromptQueue.get_history pages it (oldest first):
 * no offset (or a negative one) with max_items → the last N; offset ≥ 0 → from that index, at
 * most N. Undefined when a value is not an integer (the server answers 500).
 */
function historyPage<T>(entries: T[], params: URLSearchParams): T[] | undefined {
  const maxText = params.get('max_items')
  const offsetText = params.get('offset')
  const max = maxText === null ? undefined : pyIntParam(maxText)
  const offset = offsetText === null ? -1 : pyIntParam(offsetText)
  if ((maxText !== null && max === undefined) || offset === undefined) return undefined
  // The server's loop, literally (max_items 0 still yields one entry from an offset).
  const from = offset < 0 && max !== undefined ? entries.length - max : offset
  const out: T[] = []
  entries.forEach((entry, i) => {
    if (i < from || (max !== undefined && out.length > 0 && out.length >= max)) return
    out.push(entry)
  })
  return out
}

/**
 * `POST /prompt` as the current server handles it: the number is taken first
 * (the counter advances even when the request is then refused), then no_prompt,
 * the prompt_id check, node replacements, validation, and the queue with
 * `extra_data.create_time` and without the sensitive keys.
 */
function queueCurrent(
  state: StandInState,
  body: Record<string, unknown>,
  usageSource: string | undefined,
  res: Response,
): void {
  const { executor, objectInfo, folders } = state
  let number: number
  if ('number' in body) {
    // float(number): a number, a bool or a numeric string; anything else raises.
    const n = body.number
    number =
      typeof n === 'number' || typeof n === 'boolean'
        ? Number(n)
        : typeof n === 'string' && n.trim() !== ''
          ? Number(n)
          : Number.NaN
    if (Number.isNaN(number)) {
      serverError(res)
      return
    }
  } else {
    number = executor.nextNumber(pyTruthy(body.front))
  }
  if (!('prompt' in body)) {
    res.status(400).json(NO_PROMPT)
    return
  }
  let promptId: string
  if (body.prompt_id === undefined || body.prompt_id === null) promptId = randomUUID()
  else if (isCanonicalUuid(body.prompt_id)) promptId = body.prompt_id
  else {
    res.status(400).json(INVALID_PROMPT_ID)
    return
  }
  // A prompt that is not an object makes apply_replacements raise.
  if (typeof body.prompt !== 'object' || body.prompt === null || Array.isArray(body.prompt)) {
    serverError(res)
    return
  }
  const info = objectInfo()
  const prompt = structuredClone(body.prompt) as Record<string, unknown>
  applyReplacements(prompt, info)
  const targets = Array.isArray(body.partial_execution_targets) ? body.partial_execution_targets.map(String) : undefined
  const result = validatePrompt(prompt, info, folders, targets, 'current')
  if (!result.ok) {
    res.status(400).json({ error: result.error, node_errors: result.nodeErrors })
    return
  }
  const given = body.extra_data
  const extraData: Record<string, unknown> =
    typeof given === 'object' && given !== null && !Array.isArray(given) ? { ...given } : {}
  if ('client_id' in body) extraData.client_id = body.client_id
  if (usageSource !== undefined && !('comfy_usage_source' in extraData)) extraData.comfy_usage_source = usageSource
  const sensitive: Record<string, unknown> = {}
  for (const key of SENSITIVE_KEYS) {
    if (key in extraData) {
      sensitive[key] = extraData[key]
      delete extraData[key]
    }
  }
  extraData.create_time = Date.now()
  executor.enqueue({ number, promptId, prompt: result.prompt, extraData, outputs: result.outputs, sensitive })
  res.json({ prompt_id: promptId, number, node_errors: result.nodeErrors })
}

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
      serverError(res)
      return
    }
    if (state.profile === 'current') {
      queueCurrent(state, body, req.get('Comfy-Usage-Source'), res)
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
    if (state.profile === 'current') {
      const page = historyPage(entries, new URL(req.originalUrl, 'http://stand-in').searchParams)
      if (page) res.json(Object.fromEntries(page))
      else serverError(res)
      return
    }
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
