/**
 * Every route of the bridge's HTTP API, declared once: its method, its path
 * (`:name` for a parameter), and the schemas of what it takes and answers.
 * The server mounts its handlers from this table and every client (the
 * TypeScript client, the page, the CLI) builds its requests from it, so no
 * one spells a path or reads an error answer by hand.
 *
 * The wire is camelCase. Two documents keep other APIs' names field for
 * field: `/api/queue` answers in ComfyUI's own `/prompt` shape (the page
 * shows it as ComfyUI's), and usage and storage info carry the original
 * Discomfort's `get_usage()` / `get_storage_info()` names.
 */
import { z } from 'zod/v4'
import {
  ContextDetailSchema,
  ContextSummarySchema,
  CreateContextBodySchema,
  EntryMetaSchema,
  KeyEntrySchema,
  PutValueBodySchema,
  StorageInfoSchema,
  UsageSchema,
} from './context.js'
import { readingSnakeCase } from './casing.js'
import { HealthSchema } from './health.js'
import { PoolFileSchema, ServerInfoSchema, ServerSpecSchema } from './pool.js'
import {
  ConvertBodySchema,
  QueueAnswerSchema,
  QueueBodySchema,
  RerunBodySchema,
  RunListQuerySchema,
  RunSpecSchema,
  RunViewSchema,
} from './runs.js'
import { SweepItemSchema, SweepSpecSchema, SweepViewSchema } from './sweeps.js'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface Route {
  readonly method: Method
  /** Under the bridge's address; `:name` is a parameter, filled in by `pathOf`. */
  readonly path: string
  /** What it reads: a JSON body (or the binary envelope), or the query for a GET. */
  readonly body?: z.ZodType
  readonly query?: z.ZodType
  /** What it answers on success (absent: no document, a stream or raw bytes). */
  readonly answer?: z.ZodType
  /** How it answers when it is not one JSON document. */
  readonly streams?: 'events' | 'bytes' | 'websocket'
}

const route = <const R extends Route>(r: R): R => r

export const routes = {
  health: route({ method: 'GET', path: '/api/health', answer: HealthSchema }),

  listContexts: route({ method: 'GET', path: '/api/contexts', answer: z.array(ContextSummarySchema) }),
  createContext: route({
    method: 'POST',
    path: '/api/contexts',
    body: readingSnakeCase(CreateContextBodySchema),
    answer: ContextSummarySchema,
  }),
  context: route({ method: 'GET', path: '/api/contexts/:id', answer: ContextDetailSchema }),
  closeContext: route({ method: 'DELETE', path: '/api/contexts/:id' }),
  makeDurable: route({ method: 'POST', path: '/api/contexts/:id/durable', answer: ContextSummarySchema }),
  usage: route({ method: 'GET', path: '/api/contexts/:id/usage', answer: UsageSchema }),
  receipts: route({ method: 'GET', path: '/api/contexts/:id/receipts' }),
  keys: route({ method: 'GET', path: '/api/contexts/:id/keys', answer: z.array(KeyEntrySchema) }),
  storageInfo: route({ method: 'GET', path: '/api/contexts/:id/values/:key/storage', answer: StorageInfoSchema }),
  value: route({ method: 'GET', path: '/api/contexts/:id/values/:key' }),
  thumbnail: route({ method: 'GET', path: '/api/contexts/:id/values/:key/thumbnail', streams: 'bytes' }),
  saveValue: route({
    method: 'PUT',
    path: '/api/contexts/:id/values/:key',
    body: readingSnakeCase(PutValueBodySchema),
    answer: EntryMetaSchema,
  }),
  deleteValue: route({ method: 'DELETE', path: '/api/contexts/:id/values/:key' }),

  listRuns: route({ method: 'GET', path: '/api/runs', query: RunListQuerySchema, answer: z.array(RunViewSchema) }),
  submitRun: route({ method: 'POST', path: '/api/runs', body: readingSnakeCase(RunSpecSchema), answer: RunViewSchema }),
  run: route({ method: 'GET', path: '/api/runs/:id', answer: RunViewSchema }),
  rerun: route({
    method: 'POST',
    path: '/api/runs/:id/rerun',
    body: readingSnakeCase(RerunBodySchema),
    answer: RunViewSchema,
  }),
  cancelRun: route({ method: 'POST', path: '/api/runs/:id/cancel', answer: RunViewSchema }),
  runResult: route({ method: 'GET', path: '/api/runs/:id/result' }),
  runEvents: route({ method: 'GET', path: '/api/runs/:id/events', streams: 'events' }),

  listSweeps: route({ method: 'GET', path: '/api/sweeps', answer: z.array(SweepViewSchema) }),
  submitSweep: route({
    method: 'POST',
    path: '/api/sweeps',
    body: readingSnakeCase(SweepSpecSchema),
    answer: SweepViewSchema,
  }),
  sweep: route({ method: 'GET', path: '/api/sweeps/:id', answer: SweepViewSchema }),
  sweepItems: route({ method: 'GET', path: '/api/sweeps/:id/items', answer: z.array(SweepItemSchema) }),
  cancelSweep: route({ method: 'POST', path: '/api/sweeps/:id/cancel', answer: SweepViewSchema }),
  /** An output file of an item, by the name `item.outputs[].file` gives (`items/<file>`). */
  sweepFile: route({ method: 'GET', path: '/api/sweeps/:id/items/:file', streams: 'bytes' }),
  sweepEvents: route({ method: 'GET', path: '/api/sweeps/:id/events', streams: 'events' }),

  listServers: route({ method: 'GET', path: '/api/servers', answer: z.array(ServerInfoSchema) }),
  /** One server, or several as a pool file's `{servers: [...]}`. */
  addServers: route({
    method: 'POST',
    path: '/api/servers',
    body: z.union([readingSnakeCase(ServerSpecSchema), PoolFileSchema]),
    answer: z.array(ServerInfoSchema),
  }),
  removeServer: route({ method: 'DELETE', path: '/api/servers/:label', answer: z.array(ServerInfoSchema) }),

  convert: route({ method: 'POST', path: '/api/convert', body: ConvertBodySchema }),
  queue: route({
    method: 'POST',
    path: '/api/queue',
    body: readingSnakeCase(QueueBodySchema),
    answer: QueueAnswerSchema,
  }),
  hub: route({ method: 'GET', path: '/api/ws', streams: 'websocket' }),
} as const

export type RouteName = keyof typeof routes

/** The parameter names of a path: "/api/contexts/:id/values/:key" → "id" | "key". */
type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamsOf<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never

export type RouteParams<R extends Route> = Record<ParamsOf<R['path']>, string>

/** A route's path with its parameters filled in (each encoded), and a query when given. */
export function pathOf<R extends Route>(
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
 */
export const ErrorAnswerSchema = z.object({
  error: z.looseObject({ type: z.string(), message: z.string() }),
})
export type ErrorAnswer = z.infer<typeof ErrorAnswerSchema>

/** What went wrong, from an answer that failed: the bridge's code and message, or a sentence about what came instead. */
export function readErrorAnswer(
  status: number,
  body: unknown,
  what: string,
): { code: string; message: string; extra: Record<string, unknown> } {
  const parsed = ErrorAnswerSchema.safeParse(body)
  if (parsed.success) {
    const { type, message, ...extra } = parsed.data.error
    return { code: type, message, extra }
  }
  return { code: 'http', message: `${what} answered ${status}`, extra: {} }
}
