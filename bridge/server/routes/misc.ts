/** /api/health, /api/convert, and /api/queue (runs queued from the ComfyUI page). */
import { toApiPrompt } from '../../../shared/convert/toApiPrompt.js'
import { isApiPrompt } from '../../../shared/workflow/apiPrompt.js'
import type { ComfyClient } from '../../comfy/comfyClient.js'
import type { Runner } from '../../runs/runner.js'
import type { ContextStoreApi } from '../../store/contextHandle.js'
import { errorBody } from '../errors.js'
import { findCause, PortError } from '../../../shared/errors.js'
import {
  describeIssues,
  REFUSED,
  refusal,
  routes,
  type Health,
  type PortAtFault,
  type QueueAnswer,
} from '../../../shared/protocol/index.js'
import { bodies, readBody } from '../bodies.js'
import { json, type Router } from '../http.js'
import type { RunManager } from '../../runs/manager.js'
import { VERSION } from '../../version.js'

export function miscRoutes(
  router: Router,
  deps: {
    comfy: ComfyClient
    runner: Runner
    store: ContextStoreApi
    runs: RunManager
  },
): void {
  /** The longest /api/health waits on ComfyUI before answering with what it last knew. */
  const HEALTH_WAIT_MS = 250

  router.on(routes.health, undefined, async (_req, res) => {
    // From what the bridge knows: a fresh look at ComfyUI only if it comes at once.
    const comfy = { url: deps.comfy.url, ...(await deps.comfy.http.status(HEALTH_WAIT_MS)) }
    const health: Health = {
      ok: true,
      service: 'discomfort-bridge',
      version: VERSION,
      comfy,
      contexts: deps.store.list().length,
    }
    json(res, health)
  })

  router.on(routes.convert, bodies.json, async (req, res) => {
    const body = readBody(routes.convert, req.body, 'POST /api/convert {"workflow": {...}}')
    const info = await deps.comfy.http.objectInfo()
    json(res, {
      prompt: toApiPrompt(body.workflow as Parameters<typeof toApiPrompt>[0], info, { name: body.name ?? 'workflow' }),
    })
  })

  /**
   * The queue route the extension uses: an API prompt with ports (from the
   * page's graphToPrompt), the active context and the page's client id.
   * Answers in ComfyUI's /prompt shape; errors too, so the page shows them.
   */
  router.on(routes.queue, bodies.json, async (req, res) => {
    const answer = (status: number, body: QueueAnswer) => json(res, body, status)
    /** Refused as ComfyUI refuses a prompt (shared/protocol/refusal.ts), so the page shows it as its own. */
    const refused = (status: number, type: string, sentence: string, ports: readonly PortAtFault[] = []) =>
      answer(status, refusal(type, sentence, ports))
    const parsed = routes.queue.body.safeParse(req.body ?? {})
    if (!parsed.success) return refused(400, 'invalid_prompt', `${describeIssues(parsed.error)}.`)
    const body = parsed.data
    if (!isApiPrompt(body.prompt)) return refused(400, 'no_prompt', 'The request has no API prompt.')
    if (!body.clientId) return refused(400, 'invalid_prompt', 'The request has no clientId.')
    if (!body.contextId) return refused(400, 'invalid_prompt', 'Choose a context in the Discomfort sidebar first.')
    try {
      const { run, promptId, number } = await deps.runs.submitPage({
        prompt: body.prompt,
        contextId: body.contextId,
        clientId: body.clientId,
        ...(body.extraData ? { extraData: body.extraData } : {}),
        ...(body.front ? { front: true } : {}),
        ...(body.name ? { name: body.name } : {}),
      })
      answer(200, {
        prompt_id: promptId ?? run.id,
        number: number ?? 0,
        node_errors: {},
        discomfort: { runId: run.id, contextId: run.contextId },
      })
    } catch (e) {
      const err = e as Error & { cause?: { nodeErrors?: Record<string, unknown>; error?: { type: string } } }
      const cause = err.cause
      if (cause?.nodeErrors)
        return answer(400, {
          error: {
            type: cause.error?.type ?? 'prompt_outputs_failed_validation',
            message: REFUSED,
            details: err.message,
            extra_info: {},
          },
          node_errors: cause.nodeErrors,
        })
      const { status, body: b } = errorBody(e)
      // Each port at fault is a node error of its own: the page outlines every one.
      return refused(status >= 500 ? status : 400, b.error.type, b.error.message, portsAtFault(e))
    }
  })
}

/** The port nodes an error (or one it wraps) names, each with what is wrong with it. */
function portsAtFault(e: unknown): readonly PortAtFault[] {
  const port = findCause(e, (c) => c.code === PortError.code && typeof (c as { nodeId?: unknown }).nodeId === 'string')
  if (!port) return []
  const { nodeId, ports } = port as PortError
  return ports.length ? ports : [{ nodeId: nodeId!, problem: (port as PortError).message }]
}
