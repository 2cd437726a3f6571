/**
 * JSON form of context values for the HTTP API: bytes travel as
 * `{"$bytes": "<base64>"}`, everything else as is.
 */
import { isFileInput, type InputValue } from '../run/inputs.js'
import { BridgeHttpError } from './httpError.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../store/valueFrom.js'

export function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
  if (Array.isArray(value)) return value.map(toWire)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]))
  }
  return value
}

export function fromWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return value
  if (Array.isArray(value)) return value.map(fromWire)
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>
    if (typeof o.$bytes === 'string' && Object.keys(o).length === 1)
      return new Uint8Array(Buffer.from(o.$bytes, 'base64'))
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fromWire(v)]))
  }
  return value
}

/**
 * A value sent by an HTTP client, as the bridge may use it: bytes or JSON,
 * never a path. Files are read only for callers in this process (the CLI and
 * the in-process client), for the caller's own files.
 */
export function inputFromClient(raw: unknown, where: string): InputValue {
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH + 2))
    throw new BridgeHttpError(400, `${where}: JSON nested deeper than ${MAX_JSON_DEPTH} levels is not stored.`)
  const value = fromWire(raw)
  if (isFileInput(value)) {
    throw new BridgeHttpError(
      400,
      `${where}: the bridge does not read files named by HTTP clients. Send the file's bytes instead ({"$bytes": "<base64>"}, or PUT the raw PNG / .latent).`,
    )
  }
  return value as InputValue
}
