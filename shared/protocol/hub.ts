/** Messages on the bridge's WebSocket (`/api/ws`). */
import { z } from 'zod/v4'
import { ContextSummarySchema } from './context.js'
import { RunEventSchema, RunViewSchema } from './runs.js'

export const HubMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), contexts: z.array(ContextSummarySchema), runs: z.array(RunViewSchema) }),
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
