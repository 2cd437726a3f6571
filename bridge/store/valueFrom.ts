/** Building context values from files, bytes and plain JavaScript values. */
import { decodeLatent } from '../codec/latent.js'
import { decodePng } from '../codec/png.js'
import type { ContextValue } from './values.js'

export class ValueError extends Error {
  override name = 'ValueError'
}

/** An IMAGE from one or more PNG files' bytes (a batch: all frames the same size). */
export function imageFromPngs(frames: Uint8Array[], what = 'image'): ContextValue {
  if (frames.length === 0) throw new ValueError(`${what}: an IMAGE needs at least one PNG frame.`)
  let width = 0
  let height = 0
  frames.forEach((bytes, i) => {
    let png
    try {
      png = decodePng(bytes)
    } catch (e) {
      throw new ValueError(`${what}: frame ${i} is not a PNG (${(e as Error).message}).`)
    }
    if (i === 0) {
      width = png.width
      height = png.height
    } else if (png.width !== width || png.height !== height) {
      throw new ValueError(`${what}: frame ${i} is ${png.width}×${png.height}, frame 0 is ${width}×${height}; a batch needs one size.`)
    }
  })
  return { kind: 'image', frames, width, height }
}

export function maskFromPng(bytes: Uint8Array, what = 'mask'): ContextValue {
  try {
    const png = decodePng(bytes)
    return { kind: 'mask', png: bytes, width: png.width, height: png.height }
  } catch (e) {
    throw new ValueError(`${what}: not a PNG (${(e as Error).message}).`)
  }
}

export function latentFromBytes(bytes: Uint8Array, what = 'latent'): ContextValue {
  try {
    return { kind: 'latent', bytes, shape: decodeLatent(bytes).shape }
  } catch (e) {
    throw new ValueError(`${what}: not a ComfyUI .latent file (${(e as Error).message}).`)
  }
}

/** A string, number, boolean or JSON value. */
export function fromJs(value: unknown, what = 'value'): ContextValue {
  if (typeof value === 'string') return { kind: 'string', value }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValueError(`${what}: ${value} is not a finite number.`)
    return { kind: 'number', value, integer: Number.isInteger(value) }
  }
  if (typeof value === 'boolean') return { kind: 'boolean', value }
  if (value === null || typeof value === 'object') {
    try {
      return { kind: 'json', value: JSON.parse(JSON.stringify(value)) as unknown }
    } catch (e) {
      throw new ValueError(`${what}: cannot be stored as JSON (${(e as Error).message}).`)
    }
  }
  throw new ValueError(`${what}: a ${typeof value} cannot be stored in a context.`)
}

/** The plain JavaScript form of a primitive or JSON value (undefined for binary and reference values). */
export function toJs(value: ContextValue): unknown {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'json':
      return value.value
    default:
      return undefined
  }
}
