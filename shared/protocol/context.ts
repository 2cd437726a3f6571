/** Contexts on the wire: entries, usage, storage info, summaries, and the bodies that create and fill them. */
import { z } from 'zod/v4'

export const PassBySchema = z.enum(['val', 'ref'])
export type PassBy = z.infer<typeof PassBySchema>

export const TierSchema = z.enum(['ram', 'disk', 'redis'])
export type Tier = z.infer<typeof TierSchema>

export const ValueKindSchema = z.enum(['string', 'number', 'boolean', 'json', 'image', 'mask', 'latent', 'ref'])
export type ValueKind = z.infer<typeof ValueKindSchema>

/** One entry of a context, as receipts.json records it. */
export const EntryMetaSchema = z.object({
  key: z.string(),
  comfyType: z.string(),
  passBy: PassBySchema,
  kind: ValueKindSchema,
  tier: TierSchema,
  sizeBytes: z.number(),
  hash: z.string(),
  version: z.number(),
  /** The run that produced it, or "user" for direct saves. */
  producer: z.string(),
  updatedAt: z.string(),
  /** File of this version on disk, if written. */
  file: z.string().optional(),
})
export type EntryMeta = z.infer<typeof EntryMetaSchema>

/** `get_usage()`, with the original's field names. */
export const UsageSchema = z.object({
  ram_usage_gb: z.number(),
  ram_capacity_gb: z.number(),
  temp_disk_usage_mb: z.number(),
  stored_keys_count: z.number(),
  ram_usage_bytes: z.number(),
  ram_capacity_bytes: z.number(),
  disk_usage_bytes: z.number(),
})
export type Usage = z.infer<typeof UsageSchema>

/** `get_storage_info(key)`, with the original's field names. */
export const StorageInfoSchema = z.object({
  key: z.string(),
  storage_type: TierSchema,
  size: z.number(),
  pass_by: PassBySchema,
  comfy_type: z.string(),
  kind: ValueKindSchema,
  version: z.number(),
  hash: z.string(),
  producer: z.string(),
  updated_at: z.string(),
  path: z.string().optional(),
})
export type StorageInfo = z.infer<typeof StorageInfoSchema>

/** A workflow run committed into a context. */
export const CommittedRunSchema = z.object({
  runId: z.string(),
  status: z.literal('committed'),
  read: z.array(z.string()),
  wrote: z.array(z.string()),
  at: z.string(),
})
export type CommittedRun = z.infer<typeof CommittedRunSchema>

export const ContextSummarySchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  durable: z.boolean(),
  keys: z.number(),
  usage: UsageSchema,
})
export type ContextSummary = z.infer<typeof ContextSummarySchema>

/** `GET /api/contexts/:id/keys`: each entry, where its value is now, and a line about it when it is in RAM. */
export const KeyEntrySchema = EntryMetaSchema.extend({ storageType: TierSchema, summary: z.string().optional() })
export type KeyEntry = z.infer<typeof KeyEntrySchema>

/** `GET /api/contexts/:id`. */
export const ContextDetailSchema = ContextSummarySchema.extend({
  entries: z.array(EntryMetaSchema),
  runs: z.array(CommittedRunSchema),
})
export type ContextDetail = z.infer<typeof ContextDetailSchema>

/** `POST /api/contexts`. */
export const CreateContextBodySchema = z.strictObject({
  id: z.string().optional(),
  name: z.string().max(200).optional(),
  durable: z.boolean().optional(),
})
export type CreateContextBody = z.infer<typeof CreateContextBodySchema>

/** `PATCH /api/contexts/:id`: a new name (what people see; the id stays). */
export const UpdateContextBodySchema = z.strictObject({
  name: z.string().trim().min(1, 'a name has at least one character').max(200),
})
export type UpdateContextBody = z.infer<typeof UpdateContextBodySchema>

/** A ComfyUI type name: a short word (IMAGE, INT, MY_TYPE...). */
export const ComfyTypeSchema = z
  .string()
  .regex(/^[A-Za-z0-9_*]{1,64}$/, 'a ComfyUI type is a word of letters, digits and _ (at most 64)')

/** `PUT /api/contexts/:id/values/:key` with a JSON body (raw PNG / .latent bytes are the other form). */
export const PutValueBodySchema = z.strictObject({
  /** A plain value, or a context value in its JSON form (bytes as {"$bytes": base64}). */
  value: z.unknown(),
  comfyType: ComfyTypeSchema.optional(),
  passBy: PassBySchema.optional(),
})
export type PutValueBody = z.infer<typeof PutValueBodySchema>
/** How a value is saved: its ComfyUI type and pass-by, when not the key's or the rules'. */
export type SaveValueOptions = Omit<PutValueBody, 'value'>
