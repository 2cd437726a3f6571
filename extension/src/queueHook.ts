/**
 * Queueing from the page: when the prompt contains DiscomfortPort nodes, it
 * goes to the bridge with the active context and the page's client id; the
 * bridge compiles and queues it, so progress shows in ComfyUI as usual.
 * Without ports, queueing is untouched. When Discomfort refuses a run (the
 * bridge is down, no context is chosen, the context lacks a port's value),
 * nothing is queued and the page shows it exactly as it shows ComfyUI's own
 * refusal of a prompt: the frontend's own queueing is run and answered with
 * the refusal in ComfyUI's /prompt shape, so its own error surface (dialog or
 * errors panel, toast, outlines on each port at fault) is the one message.
 */
import { BridgeDownError } from './bridgeClient.js'
import { chainMethod } from './chain.js'
import { PORT_TYPE } from './portNode.js'
import type { DiscomfortStore } from './state.js'
import { refusal, type Refusal } from '../../shared/protocol/refusal.js'

interface PromptData {
  output: Record<string, { class_type: string }>
  workflow?: unknown
}

export interface ApiLike {
  clientId?: string
  initialClientId?: string
  queuePrompt(number: number, data: PromptData, ...rest: unknown[]): Promise<unknown>
  /** How the frontend's queuePrompt reaches ComfyUI's /prompt (every supported frontend has it). */
  fetchApi?(route: string, options?: RequestInit): Promise<Response>
}

const nameOf = (name: string | undefined) => (name?.trim() ? { name: name.trim().slice(0, 500) } : {})

const hasPorts = (output: PromptData['output']): boolean =>
  Object.values(output ?? {}).some((n) => n?.class_type === PORT_TYPE)

interface WidgetLike {
  value: unknown
  linkedWidgets?: unknown[]
}

/**
 * Nothing was queued, but the page goes on as if it had been (so that it
 * shows no generic dialog): it would then run its "after queued" widget
 * callbacks and move every seed with a control_after_generate. Put those
 * values back once it has.
 */
function keepControlledValues(nodes: () => Array<{ widgets?: WidgetLike[] }>): void {
  const kept: Array<[WidgetLike, unknown]> = []
  for (const node of nodes()) for (const w of node.widgets ?? []) if (w.linkedWidgets?.length) kept.push([w, w.value])
  setTimeout(() => {
    for (const [w, v] of kept) w.value = v
  }, 0)
}

/** What the hook asks of the page. */
export interface QueuePage {
  store: () => DiscomfortStore
  toast: (severity: 'error' | 'info', summary: string, detail: string) => void
  /** The graph's nodes (for the widget values queueing would move). */
  nodes: () => Array<{ widgets?: WidgetLike[] }>
  /** The name of the workflow being queued (its tab), which the run is listed under. */
  workflowName: () => string | undefined
}

export function installQueueHook(api: ApiLike, { store, toast, nodes, workflowName }: QueuePage): void {
  /**
   * Not queued. The frontend's own queuePrompt runs with its request to /prompt answered by
   * the refusal (status 400), so it throws, shows and marks it as it would ComfyUI's own;
   * nothing reaches ComfyUI. A page whose api has no fetchApi gets a toast and the marks.
   */
  const refuse = async (original: ApiLike['queuePrompt'], args: Parameters<ApiLike['queuePrompt']>, body: Refusal) => {
    const fetchApi = api.fetchApi
    if (!fetchApi) {
      toast('error', body.error.message, body.error.details || body.error.message)
      keepControlledValues(nodes)
      return { node_errors: body.node_errors }
    }
    const own = Object.hasOwn(api, 'fetchApi')
    api.fetchApi = (route: string, options?: RequestInit) =>
      route === '/prompt'
        ? Promise.resolve(
            new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } }),
          )
        : fetchApi.call(api, route, options)
    try {
      return await original(...args)
    } finally {
      if (own) api.fetchApi = fetchApi
      else delete api.fetchApi
    }
  }
  chainMethod(api, 'queuePrompt', async (original, number, data, ...rest) => {
    if (!hasPorts(data.output)) return original(number, data, ...rest)
    const args: Parameters<ApiLike['queuePrompt']> = [number, data, ...rest]
    const s = store()
    const contextId = s.state.activeContext
    if (!contextId)
      return refuse(
        original,
        args,
        refusal(
          'discomfort_no_context',
          'Choose or create a context in the Discomfort sidebar before queueing a workflow with Discomfort ports.',
        ),
      )
    let answer: Awaited<ReturnType<typeof s.client.queue>>
    try {
      answer = await s.client.queue({
        prompt: data.output,
        contextId,
        clientId: api.clientId ?? api.initialClientId ?? '',
        extraData: { extra_pnginfo: { workflow: data.workflow } },
        ...nameOf(workflowName()),
      })
    } catch (e) {
      return refuse(
        original,
        args,
        e instanceof BridgeDownError
          ? refusal('discomfort_bridge_down', e.message)
          : refusal('discomfort_bridge_error', (e as Error).message),
      )
    }
    if (answer.error)
      return refuse(original, args, {
        error: { ...answer.error, details: answer.error.details ?? '', extra_info: answer.error.extra_info ?? {} },
        node_errors: answer.node_errors ?? {},
      })
    return answer
  })
}
