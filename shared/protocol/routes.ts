/**
 * Every route of the bridge's HTTP API, declared once: its method, its path
 * (`:name` for a parameter), and the schemas of what it takes and answers.
 * Each entry is the route's place (`paths.ts`: method and path, which the
 * clients build their requests from) with its schemas; the server mounts its
 * handlers from this table, so no one spells a path or reads an error answer
 * by hand.
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
  UpdateContextBodySchema,
  EntryMetaSchema,
  KeyEntrySchema,
  PutValueBodySchema,
  StorageInfoSchema,
  UsageSchema,
} from './context.js'
import { readingSnakeCase } from './casing.js'
import { HealthSchema } from './health.js'
import { routePaths, type RouteName, type RoutePath } from './paths.js'
import { PoolFileSchema, ServerInfoSchema, ServerSpecSchema } from './pool.js'
import {
  ConvertBodySchema,
  QueueAnswerSchema,
  QueueBodySchema,
  RerunBodySchema,
  RunListQuerySchema,
  RunSpecSchema,
  RunViewSchema,
  RunWorkflowsSchema,
} from './runs.js'
import { SweepItemSchema, SweepSpecSchema, SweepViewSchema } from './sweeps.js'

/** A route with what it takes and answers. */
export interface Route extends RoutePath {
  /** What it reads: a JSON body (or the binary envelope), or the query for a GET. */
  readonly body?: z.ZodType
  readonly query?: z.ZodType
  /** What it answers on success (absent: no document, a stream or raw bytes). */
  readonly answer?: z.ZodType
}

export const routes = {
  health: { ...routePaths.health, answer: HealthSchema },
  listContexts: { ...routePaths.listContexts, answer: z.array(ContextSummarySchema) },
  createContext: {
    ...routePaths.createContext,
    body: readingSnakeCase(CreateContextBodySchema),
    answer: ContextSummarySchema,
  },
  context: { ...routePaths.context, answer: ContextDetailSchema },
  updateContext: { ...routePaths.updateContext, body: UpdateContextBodySchema, answer: ContextSummarySchema },
  closeContext: { ...routePaths.closeContext },
  makeDurable: { ...routePaths.makeDurable, answer: ContextSummarySchema },
  usage: { ...routePaths.usage, answer: UsageSchema },
  receipts: { ...routePaths.receipts },
  keys: { ...routePaths.keys, answer: z.array(KeyEntrySchema) },
  storageInfo: { ...routePaths.storageInfo, answer: StorageInfoSchema },
  value: { ...routePaths.value },
  thumbnail: { ...routePaths.thumbnail },
  saveValue: { ...routePaths.saveValue, body: readingSnakeCase(PutValueBodySchema), answer: EntryMetaSchema },
  deleteValue: { ...routePaths.deleteValue },
  listRuns: { ...routePaths.listRuns, query: RunListQuerySchema, answer: z.array(RunViewSchema) },
  submitRun: { ...routePaths.submitRun, body: readingSnakeCase(RunSpecSchema), answer: RunViewSchema },
  run: { ...routePaths.run, answer: RunViewSchema },
  rerun: { ...routePaths.rerun, body: readingSnakeCase(RerunBodySchema), answer: RunViewSchema },
  cancelRun: { ...routePaths.cancelRun, answer: RunViewSchema },
  runResult: { ...routePaths.runResult },
  runWorkflows: { ...routePaths.runWorkflows, answer: RunWorkflowsSchema },
  runEvents: { ...routePaths.runEvents },
  listSweeps: { ...routePaths.listSweeps, answer: z.array(SweepViewSchema) },
  submitSweep: { ...routePaths.submitSweep, body: readingSnakeCase(SweepSpecSchema), answer: SweepViewSchema },
  sweep: { ...routePaths.sweep, answer: SweepViewSchema },
  sweepItems: { ...routePaths.sweepItems, answer: z.array(SweepItemSchema) },
  cancelSweep: { ...routePaths.cancelSweep, answer: SweepViewSchema },
  sweepFile: { ...routePaths.sweepFile },
  sweepEvents: { ...routePaths.sweepEvents },
  listServers: { ...routePaths.listServers, answer: z.array(ServerInfoSchema) },
  addServers: {
    ...routePaths.addServers,
    body: z.union([readingSnakeCase(ServerSpecSchema), PoolFileSchema]),
    answer: z.array(ServerInfoSchema),
  },
  removeServer: { ...routePaths.removeServer, answer: z.array(ServerInfoSchema) },
  pauseServer: { ...routePaths.pauseServer, answer: z.array(ServerInfoSchema) },
  resumeServer: { ...routePaths.resumeServer, answer: z.array(ServerInfoSchema) },
  pausePool: { ...routePaths.pausePool, answer: z.array(ServerInfoSchema) },
  resumePool: { ...routePaths.resumePool, answer: z.array(ServerInfoSchema) },
  convert: { ...routePaths.convert, body: ConvertBodySchema },
  queue: { ...routePaths.queue, body: readingSnakeCase(QueueBodySchema), answer: QueueAnswerSchema },
  hub: { ...routePaths.hub },
} as const satisfies Record<RouteName, Route>

/** The error answer (see `ErrorAnswer` in paths.ts), for validators. */
export const ErrorAnswerSchema = z.object({
  error: z.looseObject({ type: z.string(), message: z.string() }),
})
