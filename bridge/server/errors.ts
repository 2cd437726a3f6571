/** HTTP errors of the bridge: JSON bodies with a message a person can act on. */
import { DiscomfortError } from '../../shared/errors.js'
import { storageError } from '../store/disk.js'
import { BridgeHttpError } from './httpError.js'

export function errorBody(error: unknown): {
  status: number
  body: { error: { type: string; message: string; [k: string]: unknown } }
} {
  // A file-system failure that reached here unconverted: its stable code, never its path.
  const e = storageError(error, 'this request') as Error & {
    status?: number
    type?: string
    extra?: Record<string, unknown>
    expose?: boolean
  }
  if (e instanceof BridgeHttpError)
    return { status: e.status, body: { error: { type: e.code, message: e.message, ...e.extra } } }
  if (e instanceof DiscomfortError) return { status: e.status, body: { error: { type: e.code, message: e.message } } }
  // ioredis gave up on a command: the shared Redis is down or unreachable (the bridge reconnects by itself).
  if (e?.name === 'MaxRetriesPerRequestError' || /^(Connection is closed|connect ECONNREFUSED)/.test(e?.message ?? ''))
    return {
      status: 503,
      body: {
        error: {
          type: 'redis_unavailable',
          message: `The shared Redis does not answer${e.name === 'MaxRetriesPerRequestError' ? '' : ` (${e.message})`}; this request may not have been carried out. The bridge reconnects by itself: try again once Redis is back.`,
        },
      },
    }
  return { status: 500, body: { error: { type: 'internal', message: e?.message ?? String(error) } } }
}
