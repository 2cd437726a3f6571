/**
 * What the MCP tools ask of a bridge: its HTTP API by the route table, so a
 * tool takes the same checks and gives the same errors as the API itself,
 * whether the MCP server is a separate process (`discomfort mcp`, stdio) or
 * mounted on the bridge (`/mcp`, which calls its own bridge on loopback).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { RouteParams, RoutePath } from '../../shared/protocol/paths.js'
import type { BridgeHttp } from '../client/bridgeHttp.js'

type Query = Record<string, string | number | undefined>

export interface BridgeCalls {
  readonly url: string
  call<T>(route: RoutePath, params: RouteParams<RoutePath>, body?: unknown, query?: Query): Promise<T>
  bytes(route: RoutePath, params: RouteParams<RoutePath>, query?: Query): Promise<{ bytes: Buffer; type: string }>
}

export function bridgeCalls(http: BridgeHttp): BridgeCalls {
  return {
    url: http.url,
    call: (route, params, body, query) => http.request(route, params, body, 60_000, query),
    bytes: (route, params, query) => http.bytes(route, params, query),
  }
}

/** The longest a wait goes without telling its client anything. */
const HEARTBEAT_MS = 10_000

/** Where a long call is: what a wait reports as MCP progress. */
export interface Progress {
  progress: number
  total?: number
  message: string
}

/**
 * Ask `look` again (every `everyMs`, a little longer while nothing changes)
 * until it says it is done or `timeoutMs` has passed; each progress that
 * went forward goes to `report` (MCP progress must increase). Bounded by the timeout whatever the bridge does, and stopped by
 * `signal` (the MCP client cancelled the call).
 */
export async function waitUntil<T>(
  look: () => Promise<{ done: boolean; value: T; progress: Progress }>,
  options: { timeoutMs: number; report: (p: Progress) => Promise<void>; signal?: AbortSignal; everyMs?: number },
): Promise<{ value: T; timedOut: boolean; waitedMs: number }> {
  const start = Date.now()
  let last = Number.NEGATIVE_INFINITY
  let saidAt = start
  let pause = options.everyMs ?? 250
  for (;;) {
    const seen = await look()
    if (seen.progress.progress > last) {
      last = seen.progress.progress
      saidAt = Date.now()
      pause = options.everyMs ?? 250
      await options.report(seen.progress).catch(() => {})
    } else {
      pause = Math.min(pause * 1.5, 2000)
      // Nothing moved for a while: a sign of life a hundredth further on (a client that resets its timeout
      // on progress keeps waiting; at most 60 of them in a 600 s wait, less than one real step).
      if (Date.now() - saidAt >= HEARTBEAT_MS) {
        last += 0.01
        saidAt = Date.now()
        await options.report({ ...seen.progress, progress: last }).catch(() => {})
      }
    }
    const waitedMs = Date.now() - start
    if (seen.done) return { value: seen.value, timedOut: false, waitedMs }
    if (waitedMs >= options.timeoutMs || options.signal?.aborted) return { value: seen.value, timedOut: true, waitedMs }
    await sleep(Math.min(pause, options.timeoutMs - waitedMs), undefined, {
      ...(options.signal ? { signal: options.signal } : {}),
    }).catch(() => {})
  }
}
