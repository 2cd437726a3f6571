/** Messages on the bridge's WebSocket (`/api/ws`). */
import { z } from 'zod/v4'
import { ContextSummarySchema } from './context.js'
import { RunEventSchema, RunViewSchema } from './runs.js'
import { SweepViewSchema } from './sweeps.js'

export const HubMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    contexts: z.array(ContextSummarySchema),
    runs: z.array(RunViewSchema),
    /** The latest sweeps (running ones first). */
    sweeps: z.array(SweepViewSchema).optional(),
  }),
  /** A sweep's counts changed (at most a few times a second), or it ended. */
  z.object({ type: z.literal('sweep'), sweep: SweepViewSchema }),
  z.object({ type: z.literal('run-event'), run: RunViewSchema, event: RunEventSchema }),
  z.object({
    type: z.literal('context-changed'),
    context: ContextSummarySchema,
    keys: z.array(z.string()),
    deleted: z.boolean().optional(),
    closed: z.boolean().optional(),
  }),
])
export type HubMessage = z.infer<typeof HubMessageSchema>
