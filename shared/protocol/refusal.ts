/**
 * A run Discomfort refuses from the ComfyUI page, in the shape ComfyUI's
 * POST /prompt gives its own refusals, so the page shows it where and as it
 * shows those (loads nothing: the extension and the bridge both build them).
 *
 * Worded as ComfyUI words its own. With nodes at fault, each is a node error
 * (`custom_validation_failed`: what is wrong, and how to put it right), and the whole
 * sentence is the error's `details` under a short message: frontends that
 * list node errors show those, older ones show message, details and each
 * node. Without, the sentence is the message (details empty, as ComfyUI's
 * own prompt-level errors): the newest frontend shows only the message there.
 */

export interface PortAtFault {
  nodeId: string
  /** What is wrong with it, a clause: `"seed" is not in the context`. */
  problem: string
  /** How to put it right, a clause: `give it a value with "set value" on this port …`. */
  remedy?: string
}

export interface Refusal {
  error: { type: string; message: string; details: string; extra_info: Record<string, unknown> }
  node_errors: Record<string, unknown>
}

export const REFUSED = 'Discomfort refused the run'

export function refusal(type: string, sentence: string, ports: readonly PortAtFault[] = []): Refusal {
  if (ports.length === 0)
    return { error: { type, message: sentence.replace(/\.$/, ''), details: '', extra_info: {} }, node_errors: {} }
  return {
    error: { type, message: REFUSED, details: sentence, extra_info: {} },
    node_errors: Object.fromEntries(
      ports.map(({ nodeId, problem, remedy }) => [
        nodeId,
        {
          errors: [
            {
              type: 'custom_validation_failed',
              message: problem,
              details: remedy ?? '',
              extra_info: { input_name: 'unique_id' },
            },
          ],
          dependent_outputs: [],
          class_type: 'DiscomfortPort',
        },
      ]),
    ),
  }
}
