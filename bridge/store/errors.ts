/** The context store's errors: a key or context that is not there, one that can never be, a closed context. */
import { DiscomfortError } from '../../shared/errors.js'

export class ContextKeyError extends DiscomfortError {
  static override code = 'not_found'
  static override status = 404
  override name = 'ContextKeyError'
}

/** A context lacks a key: say which keys it has (the first 20), so the caller sees the likely typo. */
export function noSuchKey(contextId: string, key: string, keys: string[]): ContextKeyError {
  return new ContextKeyError(
    `Context ${contextId} has no key "${key}"${keys.length ? ` (it has: ${keys.slice(0, 20).join(', ')}${keys.length > 20 ? ', ...' : ''}).` : ' (it is empty).'}`,
  )
}

/** A key or context id that can never exist (empty, too long, a path): the caller's mistake, not a missing entry. */
export class KeyFormatError extends ContextKeyError {
  static override code = 'bad_key'
  static override status = 400
  override name = 'KeyFormatError'
}

export class ContextClosedError extends DiscomfortError {
  static override code = 'context_closed'
  static override status = 409
  override name = 'ContextClosedError'
}
