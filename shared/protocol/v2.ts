/**
 * The Comfy API v2 as the bridge serves it (`/api/v2`): Comfy-Org's contract
 * for running workflows headlessly, spoken by its official SDKs, here over
 * the bridge's pool and ledger. Its names are the contract's (snake_case,
 * `{"error": {"code", "message", "details"}}`), not the bridge's: an SDK
 * validates every field. Declared once: the routes the server mounts, the
 * documents it answers, the bodies it reads.
 */
import { z } from 'zod/v4'
import type { RoutePath } from './paths.js'

export const v2Paths = {
  health: { method: 'GET', path: '/api/v2/health' },
  submitJob: { method: 'POST', path: '/api/v2/jobs' },
  listJobs: { method: 'GET', path: '/api/v2/jobs' },
  job: { method: 'GET', path: '/api/v2/jobs/:id' },
  cancelJob: { method: 'POST', path: '/api/v2/jobs/:id/cancel' },
  jobEvents: { method: 'GET', path: '/api/v2/jobs/:id/events', streams: 'events' },
  jobWorkflow: { method: 'GET', path: '/api/v2/jobs/:id/workflow' },
  uploadAsset: { method: 'POST', path: '/api/v2/assets' },
  assetFromHash: { method: 'POST', path: '/api/v2/assets/from-hash' },
  /** HEAD: whether the bridge holds these bytes (answered by the GET route, without a body). */
  assetByHash: { method: 'GET', path: '/api/v2/assets/by-hash/:hash' },
  asset: { method: 'GET', path: '/api/v2/assets/:id' },
  deleteAsset: { method: 'DELETE', path: '/api/v2/assets/:id' },
  assetContent: { method: 'GET', path: '/api/v2/assets/:id/content', streams: 'bytes' },
} as const satisfies Record<string, RoutePath>

const JobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'canceling', 'canceled', 'failed', 'expired'])
export type V2JobStatus = z.infer<typeof JobStatusSchema>
export const terminalV2 = (s: V2JobStatus): boolean =>
  s === 'succeeded' || s === 'canceled' || s === 'failed' || s === 'expired'

/** A content hash as the contract writes it. */
const Blake3Schema = z.string().regex(/^blake3:[0-9a-f]{64}$/, 'a hash is blake3:<64 lowercase hex digits>')

const OutputTypeSchema = z.enum(['image', 'video', 'audio', 'text', 'file', 'latent'])

const V2OutputSchema = z.object({
  node_id: z.string(),
  name: z.string(),
  type: OutputTypeSchema,
  content_type: z.string(),
  size_bytes: z.number().int(),
  id: z.string(),
  hash: Blake3Schema.nullable(),
  url: z.url(),
  url_expires_at: z.iso.datetime({ offset: true }),
  job_id: z.string().nullable(),
})
export type V2Output = z.infer<typeof V2OutputSchema>

const V2ProgressSchema = z.object({
  value: z.number().min(0).max(1),
  nodes_done: z.number().int(),
  nodes_total: z.number().int(),
  current_node: z.string().nullable().optional(),
  step: z.number().int().nullable().optional(),
  steps: z.number().int().nullable().optional(),
  message: z.string().nullable().optional(),
})
export type V2Progress = z.infer<typeof V2ProgressSchema>

const V2JobErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  node_id: z.string().nullable().optional(),
  class_type: z.string().nullable().optional(),
  traceback: z.string().nullable().optional(),
})
export type V2JobError = z.infer<typeof V2JobErrorSchema>

const at = z.iso.datetime({ offset: true })

export const V2JobSchema = z.object({
  id: z.string(),
  status: JobStatusSchema,
  created_at: at,
  started_at: at.nullable(),
  completed_at: at.nullable(),
  expires_at: at,
  queue_position: z.number().int().nullable(),
  progress: V2ProgressSchema.nullable(),
  outputs: z.array(V2OutputSchema),
  error: V2JobErrorSchema.nullable(),
  metadata: z.record(z.string(), z.string()),
  urls: z.object({ self: z.url(), events: z.url(), cancel: z.url() }),
  /** Beyond the contract: the bridge's run that carries it (its record in `/api/runs/:id`), and the server. */
  run_id: z.string().nullable(),
  server: z.string().nullable(),
  /** How many times it was started: more than 1 after a bridge restart took it up again. */
  attempts: z.number().int(),
})
export type V2Job = z.infer<typeof V2JobSchema>

export const V2JobListSchema = z.object({ jobs: z.array(V2JobSchema), next_cursor: z.string().nullable() })

/** Bytes of a string in UTF-8 (the core has no TextEncoder in its libraries). */
const utf8Length = (s: string): number => {
  let n = 0
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
  }
  return n
}

/** What the contract refuses in a label value: C0 and C1 controls (tab and newline too), bidi embeddings and isolates. */
const refusedInLabel = (ch: string): boolean => {
  const c = ch.codePointAt(0)!
  return c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
}

/** A label: a key of 1 to 40 of A-Z a-z 0-9 _ - . ; a value of at most 256 bytes with no control or bidi characters. */
const LabelKey = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'a label key is 1 to 40 of A-Z a-z 0-9 _ - .')
const LabelValue = z
  .string()
  .refine((v) => utf8Length(v) <= 256, 'a label value is at most 256 bytes')
  .refine((v) => ![...v].some(refusedInLabel), 'a label value has no control or bidirectional formatting characters')

const MetadataSchema = z.record(LabelKey, LabelValue).refine((m) => Object.keys(m).length <= 16, 'at most 16 labels')

export const SubmitJobBodySchema = z.object({
  /** The API-format workflow: node id → {class_type, inputs}; `core/ASSET` references allowed in inputs. */
  workflow: z.record(z.string(), z.unknown()),
  extra_data: z.strictObject({ api_key_comfy_org: z.string().max(1000).optional() }).optional(),
  metadata: MetadataSchema.optional(),
  /** Advisory: kept, not used to order (the pool orders by arrival and affinity). */
  priority: z.number().int().optional(),
})
export type SubmitJobBody = z.infer<typeof SubmitJobBodySchema>

export const ListJobsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  status: z.string().max(200).optional(),
})

export const V2AssetSchema = z.object({
  id: z.string(),
  hash: Blake3Schema.nullable(),
  size_bytes: z.number().int(),
  content_type: z.string(),
  file_path: z.string().nullable(),
  created_new: z.boolean().optional(),
  created_at: at,
  url: z.url(),
  url_expires_at: at,
  expires_at: at.nullable(),
  job_id: z.string().nullable(),
})
export type V2Asset = z.infer<typeof V2AssetSchema>

export const FromHashBodySchema = z.object({
  hash: Blake3Schema,
  file_path: z.string().min(1).max(500).optional(),
  tags: z.array(z.string()).max(50).optional(),
})

/** What `core/ASSET` references look like in a submitted workflow. */
export const AssetRefSchema = z.object({
  __type: z.literal('core/ASSET'),
  info: z.object({ id: z.string().optional(), hash: z.string().optional(), file_path: z.string().optional() }),
})

export interface V2ErrorAnswer {
  error: { code: string; message: string; details: Record<string, unknown> | null }
}

export const V2HealthSchema = z.object({
  status: z.literal('healthy'),
  service: z.literal('discomfort-bridge'),
  servers: z.array(z.object({ label: z.string(), url: z.string(), up: z.boolean() })),
})

/** The v2 routes with what they read (for the server and for the route fuzzing): their schemas beside their places. */
export const v2Routes = {
  ...v2Paths,
  submitJob: { ...v2Paths.submitJob, body: SubmitJobBodySchema },
  listJobs: { ...v2Paths.listJobs, query: ListJobsQuerySchema },
  assetFromHash: { ...v2Paths.assetFromHash, body: FromHashBodySchema },
} as const
