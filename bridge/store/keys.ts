/** Keys (`unique_id`s) and context ids: what they may be, since each becomes a file name. */
import { randomUUID } from 'node:crypto'
import { KeyFormatError } from './errors.js'

const MAX_KEY_BYTES = 200

/** Keys are `unique_id`s: 1–200 characters, no path separators or control characters. */
export function validateKey(key: unknown, what = 'key'): string {
  if (typeof key !== 'string' || key.length === 0) throw new KeyFormatError(`The ${what} must be a non-empty string.`)
  // Bytes, not characters: it becomes a file name, and file systems count bytes (255 at most).
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new KeyFormatError(`The ${what} "${key.slice(0, 40)}..." is longer than ${MAX_KEY_BYTES} bytes.`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a file name may not hold
  if (/[/\\\x00-\x1f\x7f]/.test(key) || key === '.' || key === '..') {
    throw new KeyFormatError(
      `The ${what} "${key}" may not contain "/", "\\" or control characters, nor be "." or "..".`,
    )
  }
  if (key.trim() !== key) throw new KeyFormatError(`The ${what} "${key}" has leading or trailing spaces.`)
  return key
}

/** A new context id: 48 random bits (from randomUUID, which draws on a pooled entropy buffer). */
export const newContextId = (): string => `ctx-${randomUUID().slice(24)}`
