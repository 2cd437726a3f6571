/** `GET /api/health`: what a client checks before using a bridge. */
import { z } from 'zod/v4'

export const HealthSchema = z.object({
  ok: z.boolean(),
  service: z.literal('discomfort-bridge'),
  version: z.string(),
  comfy: z.object({
    url: z.string(),
    reachable: z.boolean(),
    version: z.string().optional(),
    error: z.string().optional(),
  }),
  contexts: z.number(),
})
export type Health = z.infer<typeof HealthSchema>
