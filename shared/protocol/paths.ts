/**
 * Where each route of the bridge's HTTP API is: its method and path (`:name`
 * for a parameter). Clients build their requests from this table (it loads
 * nothing, so a client starts like a script); the server mounts the same
 * routes with their schemas (`routes.ts`, which adds what each takes and
 * answers to these entries).
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RoutePath {
  readonly method: Method
  /** Under the bridge's address; `:name` is a parameter, filled in by `pathOf`. */
  readonly path: string
  /** How it answers when it is not one JSON document. */
  readonly streams?: 'events' | 'bytes' | 'websocket'
}

export const routePaths = {
  health: { method: 'GET', path: '/api/health' },
  listContexts: { method: 'GET', path: '/api/contexts' },
  createContext: { method: 'POST', path: '/api/contexts' },
  context: { method: 'GET', path: '/api/contexts/:id' },
  /** Change what can be changed of a context (its name). */
  updateContext: { method: 'PATCH', path: '/api/contexts/:id' },
  closeContext: { method: 'DELETE', path: '/api/contexts/:id' },
  makeDurable: { method: 'POST', path: '/api/contexts/:id/durable' },
  usage: { method: 'GET', path: '/api/contexts/:id/usage' },
  receipts: { method: 'GET', path: '/api/contexts/:id/receipts' },
  keys: { method: 'GET', path: '/api/contexts/:id/keys' },
  storageInfo: { method: 'GET', path: '/api/contexts/:id/values/:key/storage' },
  value: { method: 'GET', path: '/api/contexts/:id/values/:key' },
  thumbnail: { method: 'GET', path: '/api/contexts/:id/values/:key/thumbnail', streams: 'bytes' },
  saveValue: { method: 'PUT', path: '/api/contexts/:id/values/:key' },
  deleteValue: { method: 'DELETE', path: '/api/contexts/:id/values/:key' },
  listRuns: { method: 'GET', path: '/api/runs' },
  submitRun: { method: 'POST', path: '/api/runs' },
  run: { method: 'GET', path: '/api/runs/:id' },
  rerun: { method: 'POST', path: '/api/runs/:id/rerun' },
  /** The workflows a run ran, as it was given them (the page's graph for a page run), to open again. */
  runWorkflows: { method: 'GET', path: '/api/runs/:id/workflows' },
  cancelRun: { method: 'POST', path: '/api/runs/:id/cancel' },
  runResult: { method: 'GET', path: '/api/runs/:id/result' },
  runEvents: { method: 'GET', path: '/api/runs/:id/events', streams: 'events' },
  listSweeps: { method: 'GET', path: '/api/sweeps' },
  submitSweep: { method: 'POST', path: '/api/sweeps' },
  sweep: { method: 'GET', path: '/api/sweeps/:id' },
  sweepItems: { method: 'GET', path: '/api/sweeps/:id/items' },
  cancelSweep: { method: 'POST', path: '/api/sweeps/:id/cancel' },
  /** An output file of an item, by the name `item.outputs[].file` gives (`items/<file>`). */
  sweepFile: { method: 'GET', path: '/api/sweeps/:id/items/:file', streams: 'bytes' },
  sweepEvents: { method: 'GET', path: '/api/sweeps/:id/events', streams: 'events' },
  listServers: { method: 'GET', path: '/api/servers' },
  /** One server, or several as a pool file's `{servers: [...]}`. */
  addServers: { method: 'POST', path: '/api/servers' },
  removeServer: { method: 'DELETE', path: '/api/servers/:label' },
  /** Give a server (or, without a label, every server) no new prompts until resumed; what runs there goes on. */
  pauseServer: { method: 'POST', path: '/api/servers/:label/pause' },
  resumeServer: { method: 'POST', path: '/api/servers/:label/resume' },
  pausePool: { method: 'POST', path: '/api/servers/pause' },
  resumePool: { method: 'POST', path: '/api/servers/resume' },
  convert: { method: 'POST', path: '/api/convert' },
  queue: { method: 'POST', path: '/api/queue' },
  hub: { method: 'GET', path: '/api/ws', streams: 'websocket' },
} as const satisfies Record<string, RoutePath>

export type RouteName = keyof typeof routePaths

/** Every method some route answers to (what a browser page is told it may use). */
export const routeMethods: readonly Method[] = [...new Set(Object.values(routePaths).map((r) => r.method))]

/** The parameter names of a path: "/api/contexts/:id/values/:key" → "id" | "key". */
type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamsOf<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never

export type RouteParams<R extends RoutePath> = Record<ParamsOf<R['path']>, string>

/** A route's path with its parameters filled in (each encoded), and a query when given. */
export function pathOf<R extends RoutePath>(
  r: R,
  params: RouteParams<R>,
  query?: Record<string, string | number | undefined>,
): string {
  const filled = r.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = (params as Record<string, string | undefined>)[name]
    if (value === undefined) throw new Error(`${r.method} ${r.path}: no value for :${name}`)
    return encodeURIComponent(value)
  })
  const q = Object.entries(query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined)
  return q.length ? `${filled}?${q.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')}` : filled
}

/**
 * How the bridge answers a request it refuses: `{"error": {"type", "message", ...}}`
 * with an HTTP status; `type` is the stable code (`not_found`, `storage_full`, ...).
 * (`ErrorAnswerSchema` in routes.ts declares it for validators.)
 */
export interface ErrorAnswer {
  error: { type: string; message: string; [extra: string]: unknown }
}

const isErrorAnswer = (body: unknown): body is ErrorAnswer => {
  const error = (body as { error?: unknown } | null)?.error as { type?: unknown; message?: unknown } | undefined
  return typeof error?.type === 'string' && typeof error.message === 'string'
}

/** What went wrong, from an answer that failed: the bridge's code and message, or a sentence about what came instead. */
export function readErrorAnswer(
  status: number,
  body: unknown,
  what: string,
): { code: string; message: string; extra: Record<string, unknown> } {
  if (isErrorAnswer(body)) {
    const { type, message, ...extra } = body.error
    return { code: type, message, extra }
  }
  return { code: 'http', message: `${what} answered ${status}`, extra: {} }
}
