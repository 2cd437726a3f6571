/** Building context values from files, bytes and plain JavaScript values. */
import { decodeLatent } from '../codec/latent.js'
import { readPngHeader } from '../codec/png.js'
import { DEFAULT_MAX_IMAGE_PIXELS } from '../defaults.js'
import type { ContextValue } from './values.js'

let maxImagePixels = DEFAULT_MAX_IMAGE_PIXELS

/** The largest image (width × height, per frame) a context accepts; set from workflow_context.json's MAX_IMAGE_PIXELS. */
export function setMaxImagePixels(pixels: number): void {
  if (!Number.isInteger(pixels) || pixels < 1) throw new ValueError(`MAX_IMAGE_PIXELS must be a whole number ≥ 1 (got ${pixels}).`)
  maxImagePixels = pixels
}

/** Width and height from the PNG header, refused before any decoding when over the pixel limit. */
function pngSize(bytes: Uint8Array, what: string): { width: number; height: number } {
  let header
  try {
    header = readPngHeader(bytes)
  } catch (e) {
    throw new ValueError(`${what}: ${(e as Error).message}.`)
  }
  if (header.width * header.height > maxImagePixels) {
    throw new ValueError(
      `${what}: the PNG declares ${header.width}×${header.height} pixels, over the limit of ${maxImagePixels.toLocaleString('en')} ` +
        '(MAX_IMAGE_PIXELS in workflow_context.json).',
    )
  }
  return header
}

export class ValueError extends Error {
  override name = 'ValueError'
}

/** An IMAGE from one or more PNG files' bytes (a batch: all frames the same size). */
export function imageFromPngs(frames: Uint8Array[], what = 'image'): ContextValue {
  if (frames.length === 0) throw new ValueError(`${what}: an IMAGE needs at least one PNG frame.`)
  let width = 0
  let height = 0
  frames.forEach((bytes, i) => {
    const png = pngSize(bytes, frames.length > 1 ? `${what}: frame ${i}` : what)
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
  const png = pngSize(bytes, what)
  return { kind: 'mask', png: bytes, width: png.width, height: png.height }
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
