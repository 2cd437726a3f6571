/**
 * The safetensors container, as far as ComfyUI's `.latent` files need it:
 * an 8-byte little-endian header length, a JSON header (tensor dtype, shape,
 * byte range; optional `__metadata__` of strings), then the raw tensor bytes.
 */
import { DiscomfortError } from '../../shared/errors.js'

type DType = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'U8'

export interface TensorEntry {
  dtype: DType
  shape: number[]
  data: Uint8Array
}

export class SafetensorsError extends DiscomfortError {
  static override code = 'bad_latent'
  override name = 'SafetensorsError'
}

const BYTES: Record<DType, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, U8: 1 }
const MAX_HEADER = 100_000_000

export function encodeSafetensors(tensors: Record<string, TensorEntry>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort()
  const header: Record<string, unknown> = {}
  if (metadata) header.__metadata__ = metadata
  let offset = 0
  for (const name of names) {
    const t = tensors[name]!
    const expected = t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype]
    if (t.data.byteLength !== expected) {
      throw new SafetensorsError(
        `tensor "${name}": ${t.data.byteLength} bytes do not match shape [${t.shape}] of ${t.dtype}`,
      )
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + expected] }
    offset += expected
  }
  let json = JSON.stringify(header)
  const pad = (8 - (Buffer.byteLength(json) % 8)) % 8
  json += ' '.repeat(pad)
  const headerBytes = Buffer.from(json, 'utf8')
  const out = new Uint8Array(8 + headerBytes.byteLength + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true)
  out.set(headerBytes, 8)
  let at = 8 + headerBytes.byteLength
  for (const name of names) {
    out.set(tensors[name]!.data, at)
    at += tensors[name]!.data.byteLength
  }
  return out
}

export interface DecodedSafetensors {
  tensors: Record<string, TensorEntry>
  metadata: Record<string, string>
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.byteLength < 8) throw new SafetensorsError('Error while deserializing header: header too small')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const length = Number(view.getBigUint64(0, true))
  if (length > MAX_HEADER || 8 + length > bytes.byteLength) {
    throw new SafetensorsError('Error while deserializing header: header too large')
  }
  let header: Record<string, unknown>
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8')) as Record<string, unknown>
  } catch {
    throw new SafetensorsError('Error while deserializing header: invalid JSON in header')
  }
  const base = 8 + length
  const tensors: Record<string, TensorEntry> = {}
  let metadata: Record<string, string> = {}
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (value ?? {}) as Record<string, string>
      continue
    }
    const info = value as { dtype: DType; shape: number[]; data_offsets: [number, number] }
    const [start, end] = info.data_offsets
    if (!(info.dtype in BYTES) || start > end || base + end > bytes.byteLength) {
      throw new SafetensorsError(`Error while deserializing header: tensor "${name}" is out of bounds`)
    }
    tensors[name] = { dtype: info.dtype, shape: info.shape, data: bytes.slice(base + start, base + end) }
  }
  return { tensors, metadata }
}
