/**
 * JSON form of context values for the HTTP API: bytes travel as
 * `{"$bytes": "<base64>"}`, everything else as is. Both ends use it: the
 * server to answer in JSON, the client to read a JSON answer.
 */

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
