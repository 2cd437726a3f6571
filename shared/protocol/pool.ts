/** The ComfyUI servers behind a bridge, as `/api/servers` shows and takes them. */
import { z } from 'zod/v4'
import { readingSnakeCase } from './casing.js'

export const ServerSpecSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'a ComfyUI address such as http://127.0.0.1:8188' }),
  label: z.string().min(1).max(100).optional(),
  weight: z.number().positive().max(1000).optional(),
  /** Prompts it may hold queued or running at once (default 1). */
  maxQueued: z.number().int().min(1).max(64).optional(),
})
export type ServerSpecBody = z.infer<typeof ServerSpecSchema>

/** A pool file (`--pool FILE`): the servers, in order. */
export const PoolFileSchema = z.strictObject({
  servers: z.array(readingSnakeCase(ServerSpecSchema)).min(1).max(1000),
})

export const ServerInfoSchema = z.object({
  url: z.string(),
  label: z.string(),
  weight: z.number(),
  maxQueued: z.number(),
  /** false: it stopped answering; it is probed and taken back when it answers. */
  up: z.boolean(),
  /** Paused: it is given no new prompt (those it has go on) until resumed. */
  paused: z.boolean(),
  inflight: z.number(),
  runs: z.number(),
  failures: z.number(),
  /** What its last prompt loaded (the affinity keys its cache holds). */
  holds: z.array(z.string()),
  lastError: z.string().optional(),
})
export type ServerInfo = z.infer<typeof ServerInfoSchema>
