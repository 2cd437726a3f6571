/**
 * Queueing from the page: when the prompt contains DiscomfortPort nodes, it
 * goes to the bridge with the active context and the page's client id; the
 * bridge compiles and queues it, so progress shows in ComfyUI as usual.
 * Without ports, queueing is untouched. If the bridge is down, nothing is
 * queued and a toast says how to start it. An error shows once (see below).
 */
import { BridgeDownError } from './bridgeClient.js'
import { chainMethod } from './chain.js'
import { PORT_TYPE } from './portNode.js'
import type { DiscomfortStore } from './state.js'

interface PromptData {
  output: Record<string, { class_type: string }>
  workflow?: unknown
}

export interface ApiLike {
  clientId?: string
  initialClientId?: string
  queuePrompt(number: number, data: PromptData, ...rest: unknown[]): Promise<unknown>
}

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

export function installQueueHook(
  api: ApiLike,
  store: () => DiscomfortStore,
  toast: (severity: 'error' | 'info', summary: string, detail: string) => void,
  nodes: () => Array<{ widgets?: WidgetLike[] }> = () => [],
): void {
  /** Not queued: said once in a toast; failing nodes marked by the page itself; no dialog. */
  const refused = (message: string, summary: string, nodeErrors: Record<string, unknown> = {}) => {
    toast('error', summary, message)
    keepControlledValues(nodes)
    return { node_errors: nodeErrors }
  }
  chainMethod(api, 'queuePrompt', async (original, number, data, ...rest) => {
    if (!hasPorts(data.output)) return original(number, data, ...rest)
    const s = store()
    const contextId = s.state.activeContext
    if (!contextId)
      return refused(
        'Choose or create a context in the Discomfort sidebar before queueing a workflow with Discomfort ports.',
        'Discomfort',
      )
    let answer: Awaited<ReturnType<typeof s.client.queue>>
    try {
      answer = await s.client.queue({
        prompt: data.output,
        contextId,
        clientId: api.clientId ?? api.initialClientId ?? '',
        extraData: { extra_pnginfo: { workflow: data.workflow } },
      })
    } catch (e) {
      return refused(
        e instanceof BridgeDownError ? e.message : `Discomfort: ${(e as Error).message}`,
        'Discomfort bridge',
      )
    }
    // One surface for an error: this toast, the failing nodes marked on the canvas the way
    // ComfyUI marks its own validation errors (answered as node_errors, not thrown, so the
    // page does not also open its generic "Prompt execution failed" dialog), and the run in
    // the Discomfort panel.
    if (answer.error) return refused(answer.error.message, 'Discomfort', answer.node_errors ?? {})
    return answer
  })
}
