/**
 * Sweeps: many runs of the same workflows, each with its own input values,
 * recorded in the bridge's ledger before they are acknowledged.
 */
import { z } from 'zod/v4'
import { NamedWorkflowSchema, RunFailureSchema } from './runs.js'

import { MAX_SWEEP_ITEMS } from './limits.js'

export { MAX_SWEEP_ITEMS }

const Value = z.union([z.string(), z.number(), z.boolean()])
/** A value a sweep gives an input: a string, a number or a boolean. */
export type SweepValue = z.infer<typeof Value>
/** One item's inputs: key → value. */
export const ItemInputsSchema = z.record(z.string(), Value)
export type ItemInputs = z.infer<typeof ItemInputsSchema>

/**
 * What a sweep is asked to do, the one declaration of a sweep (`POST /api/sweeps`, the CLI, the client).
 * Items: `vary` (a cartesian product over `base`) or `items` (input sets), not both.
 */
export const SweepSpecSchema = z
  .strictObject({
    workflows: z.array(NamedWorkflowSchema).min(1, 'give at least one workflow').max(100),
    /** The master context the items read (through their own receipts); none: an empty one. */
    context: z.string().optional(),
    /** Inputs every item gets. */
    base: ItemInputsSchema.optional(),
    /** Key → the values to try; the items are every combination, in order (the last key varies fastest). */
    vary: z.record(z.string(), z.array(Value).min(1).max(MAX_SWEEP_ITEMS)).optional(),
    /** Input sets, one item each. */
    items: z.array(ItemInputsSchema).min(1).max(MAX_SWEEP_ITEMS).optional(),
    /** Items in flight at once (default: four times the pool's slots plus 16, so it can choose by affinity). */
    concurrency: z.number().int().min(1).max(10_000).optional(),
    /** Attempts per item on different servers when a server fails under it (default 3). */
    attempts: z.number().int().min(1).max(10).optional(),
    /** Also commit each item's outputs into the master context, as `<key>.<item number>`. */
    commitToContext: z.boolean().optional(),
    label: z.string().max(200).optional(),
  })
  .refine((b) => (b.vary ? 1 : 0) + (b.items ? 1 : 0) === 1, {
    message: 'give either "vary" (values per key) or "items" (input sets)',
  })
export type SweepSpec = z.infer<typeof SweepSpecSchema>
/** A sweep's options: its spec without the workflows. */
export type SweepSettings = Omit<SweepSpec, 'workflows'>

export const ItemStatusSchema = z.enum(['pending', 'running', 'done', 'failed'])
export type ItemStatus = z.infer<typeof ItemStatusSchema>

/** Plain outputs (a string, number, boolean or JSON) whose file is at most this large travel with their item. */
export const INLINE_OUTPUT_BYTES = 4096

/** An output of an item: the key, its kind, and the file it is stored in (under the sweep's folder). */
export const ItemOutputSchema = z.object({
  key: z.string(),
  kind: z.string(),
  file: z.string(),
  bytes: z.number(),
  /** The value itself, for a plain one of at most INLINE_OUTPUT_BYTES: the file holds its JSON, no need to fetch it. */
  value: z.unknown().optional(),
})
export type ItemOutput = z.infer<typeof ItemOutputSchema>

export const SweepItemSchema = z.object({
  sweepId: z.string(),
  index: z.number(),
  status: ItemStatusSchema,
  inputs: ItemInputsSchema,
  attempts: z.number(),
  server: z.string().optional(),
  /** Why that server (affinity or load). */
  reason: z.string().optional(),
  outputs: z.array(ItemOutputSchema).optional(),
  error: RunFailureSchema.optional(),
  /** Each failed attempt: on which server, and why. */
  failures: z.array(z.object({ server: z.string(), error: RunFailureSchema })).optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
})
export type SweepItem = z.infer<typeof SweepItemSchema>

export const SweepStatusSchema = z.enum(['running', 'finished', 'cancelled'])

export const SweepViewSchema = z.object({
  id: z.string(),
  label: z.string().optional(),
  status: SweepStatusSchema,
  contextId: z.string(),
  workflows: z.array(z.string()),
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  running: z.number(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  /** Where its outputs and manifest.jsonl are, on the bridge's machine. */
  folder: z.string(),
})
export type SweepView = z.infer<typeof SweepViewSchema>

/** What `GET /api/sweeps/:id/events` streams. */
export const SweepEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('item'), item: SweepItemSchema }),
  z.object({ type: z.literal('sweep'), sweep: SweepViewSchema }),
])
export type SweepEvent = z.infer<typeof SweepEventSchema>
