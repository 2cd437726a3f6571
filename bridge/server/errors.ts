/** HTTP errors of the bridge: JSON bodies with a message a person can act on. */
import type { ErrorRequestHandler } from 'express'

export class BridgeHttpError extends Error {
  override name = 'BridgeHttpError'
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'bad_request',
    readonly extra?: Record<string, unknown>,
  ) {
    super(message)
  }
}

/** Errors from the core and the store map to 4xx; anything else is a 500 with its message. */
const STATUS_BY_NAME: Record<string, [number, string]> = {
  UnknownNodeTypesError: [400, 'unknown_node_types'],
  WorkflowFormatError: [400, 'bad_workflow'],
  PortError: [400, 'port_error'],
  KeyFormatError: [400, 'bad_key'],
  ContextKeyError: [404, 'not_found'],
  ContextClosedError: [409, 'context_closed'],
  ValueError: [400, 'bad_value'],
  DiscomfortError: [400, 'bad_request'],
  RunError: [422, 'run_failed'],
  ComfyValidationError: [400, 'comfy_validation'],
  ComfyMissingOutputsError: [400, 'comfy_missing_outputs'],
  ComfyUnreachableError: [502, 'comfy_unreachable'],
  ComfyTimeoutError: [504, 'comfy_timeout'],
  ComfyHttpError: [502, 'comfy_http'],
}

export function errorBody(error: unknown): { status: number; body: { error: { type: string; message: string; [k: string]: unknown } } } {
  const e = error as Error & { status?: number; type?: string; extra?: Record<string, unknown>; expose?: boolean }
  if (e instanceof BridgeHttpError) return { status: e.status, body: { error: { type: e.type, message: e.message, ...e.extra } } }
  // express.json() and raw() errors (too large, bad JSON) carry a status.
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    const message = e.type === 'entity.too.large' ? `The request body is larger than the limit (${e.message}).` : `The request body could not be read: ${e.message}`
    return { status: e.status, body: { error: { type: e.type ?? 'bad_request', message } } }
  }
  const mapped = STATUS_BY_NAME[e?.name ?? '']
  if (mapped) return { status: mapped[0], body: { error: { type: mapped[1], message: e.message } } }
  return { status: 500, body: { error: { type: 'internal', message: e?.message ?? String(error) } } }
}

export const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  const { status, body } = errorBody(error)
  if (status >= 500 && status !== 502 && status !== 504) console.error('[discomfort bridge]', error)
  res.status(status).json(body)
}
