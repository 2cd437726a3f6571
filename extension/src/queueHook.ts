/**
 * Queueing from the page: when the prompt contains DiscomfortPort nodes, it
 * goes to the bridge with the active context and the page's client id; the
 * bridge compiles and queues it, so progress shows in ComfyUI as usual.
 * Without ports, queueing is untouched. If the bridge is down, nothing is
 * queued and a toast says how to start it.
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

export function installQueueHook(
  api: ApiLike,
  store: () => DiscomfortStore,
  toast: (severity: 'error' | 'info', summary: string, detail: string) => void,
): void {
  chainMethod(api, 'queuePrompt', async (original, number, data, ...rest) => {
    if (!hasPorts(data.output)) return original(number, data, ...rest)
    const s = store()
    const contextId = s.state.activeContext
    if (!contextId) {
      const message =
        'Choose or create a context in the Discomfort sidebar before queueing a workflow with Discomfort ports.'
      toast('error', 'Discomfort', message)
      throw new Error(message)
    }
    let answer: Awaited<ReturnType<typeof s.client.queue>>
    try {
      answer = await s.client.queue({
        prompt: data.output,
        context_id: contextId,
        client_id: api.clientId ?? api.initialClientId ?? '',
        extra_data: { extra_pnginfo: { workflow: data.workflow } },
      })
    } catch (e) {
      const message = e instanceof BridgeDownError ? e.message : `Discomfort: ${(e as Error).message}`
      toast('error', 'Discomfort bridge', message)
      throw e
    }
    if (answer.error) {
      // ComfyUI's shape: the page shows it like its own validation errors.
      const error = new Error(answer.error.message) as Error & { response?: unknown }
      error.response = answer
      toast('error', 'Discomfort', answer.error.message)
      throw error
    }
    return answer
  })
}
