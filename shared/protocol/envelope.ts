/**
 * Bytes on the wire without base64: a JSON document whose binary values
 * (PNG frames, masks, .latent files) travel as raw parts after it.
 *
 * Layout: "DCE1" · uint32 (big-endian) length of the JSON header · the JSON
 * header `{"doc": ..., "parts": [byte lengths]}` · the parts, back to back.
 * In `doc`, each Uint8Array is replaced by `{"$part": index}`. Decoding
 * gives the parts back as views of the received bytes (no copy).
 */

import { DiscomfortError } from '../errors.js'

export const ENVELOPE_TYPE = 'application/vnd.discomfort.envelope'

// Every runtime the core targets (browsers, Node, Deno) has these; the core's own lib (ES2023) does not declare them.
const runtime = globalThis as unknown as {
  TextEncoder: new () => { encode(text: string): Uint8Array }
  TextDecoder: new () => { decode(bytes: Uint8Array): string }
}
const utf8 = { encoder: new runtime.TextEncoder(), decoder: new runtime.TextDecoder() }

const MAGIC = [0x44, 0x43, 0x45, 0x31] // "DCE1"
/** Deeper documents are refused rather than walked (they would overflow the stack). */
const MAX_DEPTH = 128

export class EnvelopeError extends DiscomfortError {
  static override code = 'bad_envelope'
  override name = 'EnvelopeError'
}

function replace(value: unknown, visit: (v: unknown) => unknown | undefined, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new EnvelopeError(`the document nests deeper than ${MAX_DEPTH} levels`)
  const swapped = visit(value)
  if (swapped !== undefined) return swapped
  if (Array.isArray(value)) return value.map((v) => replace(v, visit, depth + 1))
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, visit, depth + 1)]))
  }
  return value
}

/** Whether a document holds any bytes (else plain JSON does). */
export function hasBytes(doc: unknown): boolean {
  let found = false
  replace(doc, (v) => {
    if (v instanceof Uint8Array) found = true
    return undefined
  })
  return found
}

/** The envelope as chunks to send one after the other: the header, then each part as it is. */
export function encodeEnvelope(doc: unknown): Uint8Array[] {
  const parts: Uint8Array[] = []
  const json = replace(doc, (v) => {
    if (!(v instanceof Uint8Array)) return undefined
    parts.push(v)
    return { $part: parts.length - 1 }
  })
  const header = utf8.encoder.encode(JSON.stringify({ doc: json, parts: parts.map((p) => p.byteLength) }))
  const head = new Uint8Array(8 + header.byteLength)
  head.set(MAGIC, 0)
  new DataView(head.buffer).setUint32(4, header.byteLength)
  head.set(header, 8)
  return [head, ...parts]
}

export function decodeEnvelope(bytes: Uint8Array): unknown {
  if (bytes.byteLength < 8 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new EnvelopeError('not a Discomfort envelope (no DCE1 mark)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = view.getUint32(4)
  if (8 + headerLength > bytes.byteLength)
    throw new EnvelopeError('the envelope is cut short (its header is incomplete)')
  let header: { doc?: unknown; parts?: unknown }
  try {
    header = JSON.parse(utf8.decoder.decode(bytes.subarray(8, 8 + headerLength))) as typeof header
  } catch (e) {
    throw new EnvelopeError(`the envelope's header is not JSON (${(e as Error).message})`)
  }
  const lengths = header.parts
  if (!Array.isArray(lengths) || !lengths.every((n) => Number.isInteger(n) && n >= 0))
    throw new EnvelopeError('the envelope header has no list of part lengths')
  const parts: Uint8Array[] = []
  let at = 8 + headerLength
  for (const n of lengths as number[]) {
    if (at + n > bytes.byteLength) throw new EnvelopeError('the envelope is cut short (a part is incomplete)')
    parts.push(bytes.subarray(at, at + n))
    at += n
  }
  if (at !== bytes.byteLength) throw new EnvelopeError('the envelope has bytes after its last part')
  return replace(header.doc, (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined
    const keys = Object.keys(v)
    if (keys.length !== 1 || keys[0] !== '$part') return undefined
    const part = parts[(v as { $part: number }).$part]
    if (!part)
      throw new EnvelopeError(
        `the document refers to part ${String((v as { $part: unknown }).$part)}, which the envelope does not hold`,
      )
    return part
  })
}
