/**
 * The wire is camelCase. Bodies written for 0.1 of the API used snake_case
 * for some fields (`pass_by`, `client_id`, `max_queued`...): their top-level
 * keys are still read, as the camelCase field of the same name. Only the top
 * level: the values under them (workflows, inputs) are the caller's own data.
 */
import { z } from 'zod/v4'

const camel = (key: string): string => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())

/** An object's snake_case keys as camelCase (a camelCase key given as well wins). */
export function camelCaseKeys(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body
  const entries = Object.entries(body as Record<string, unknown>)
  if (!entries.some(([k]) => k.includes('_'))) return body
  const out: Record<string, unknown> = {}
  for (const [k, v] of entries) if (!k.includes('_')) out[k] = v
  for (const [k, v] of entries) if (k.includes('_') && !(camel(k) in out)) out[camel(k)] = v
  return out
}

/** A body schema that also reads the snake_case spellings of its fields. */
export const readingSnakeCase = <S extends z.ZodType>(schema: S) => z.preprocess(camelCaseKeys, schema)
