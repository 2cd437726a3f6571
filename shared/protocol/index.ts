/**
 * The wire between the bridge and its clients (the TypeScript client over
 * HTTP, the in-process client, the ComfyUI extension), declared once as zod
 * schemas. The server validates what it receives with them; everyone imports
 * the types inferred from them.
 */
import type { z } from 'zod/v4'

export * from './context.js'
export * from './health.js'
export * from './hub.js'
export * from './runs.js'

/** A schema's complaint as one sentence that names each field: "iterations: at most 100000; …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ')
}
export * from './envelope.js'
export * from './pool.js'
export * from './sweeps.js'
export * from './routes.js'
export * from './casing.js'
export * from './paths.js'
export * from './limits.js'
export * from './refusal.js'
