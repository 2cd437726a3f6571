/** Request bodies checked against the protocol's schemas: a 400 that names each bad field, or the typed body. */
import type { z } from 'zod/v4'
import { describeIssues } from '../../shared/protocol/index.js'
import { BridgeHttpError } from './httpError.js'

export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body ?? {})
  if (!parsed.success) throw new BridgeHttpError(400, `${what}: ${describeIssues(parsed.error)}.`)
  return parsed.data
}
