/** Building context values from files, bytes and plain JavaScript values. */
import { decodeLatent } from '../codec/latent.js'
import { readPngHeader, type PngHeader } from '../codec/png.js'
import { DEFAULT_MAX_IMAGE_PIXELS } from '../defaults.js'
import { defaultComfyType, type ContextValue, type Recipe } from './values.js'
import { DiscomfortError } from '../../shared/errors.js'

let maxImagePixels = DEFAULT_MAX_IMAGE_PIXELS

/** The largest image (width × height, per frame) a context accepts; set from workflow_context.json's MAX_IMAGE_PIXELS. */
export function setMaxImagePixels(pixels: number): void {
  if (!Number.isInteger(pixels) || pixels < 1)
    throw new ValueError(`MAX_IMAGE_PIXELS must be a whole number ≥ 1 (got ${pixels}).`)
  maxImagePixels = pixels
}

/** Width and height from the PNG header, refused before any decoding when over the pixel limit. */
function pngSize(bytes: Uint8Array, what: string): { width: number; height: number } {
  let header: PngHeader
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

export class ValueError extends DiscomfortError {
  static override code = 'bad_value'
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
      throw new ValueError(
        `${what}: frame ${i} is ${png.width}×${png.height}, frame 0 is ${width}×${height}; a batch needs one size.`,
      )
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

/** How deep JSON values may nest (deeper ones are refused, not walked: they would overflow the stack). */
export const MAX_JSON_DEPTH = 100

/** Whether a JSON-like value nests deeper than `max` (measured without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length) {
    const [v, depth] = stack.pop()!
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) continue
    if (depth >= max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1])
  }
  return false
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
    if (nestsDeeperThan(value, MAX_JSON_DEPTH))
      throw new ValueError(`${what}: JSON nested deeper than ${MAX_JSON_DEPTH} levels is not stored.`)
    try {
      return { kind: 'json', value: JSON.parse(JSON.stringify(value)) as unknown }
    } catch (e) {
      throw new ValueError(`${what}: cannot be stored as JSON (${(e as Error).message}).`)
    }
  }
  throw new ValueError(`${what}: a ${typeof value} cannot be stored in a context.`)
}

/**
 * A value that claims to be a context value already (`{kind: ...}`), checked
 * as if it were new, so that whatever is stored can always be read back.
 */
export function checkedContextValue(v: ContextValue, what: string): ContextValue {
  switch (v.kind) {
    case 'string':
    case 'number':
    case 'boolean': {
      const checked = fromJs(v.value, what)
      if (checked.kind !== v.kind) throw new ValueError(`${what}: a "${v.kind}" value holds a ${typeof v.value}.`)
      // JSON cannot tell 1.0 from 1: a number that says it is not an integer stays a FLOAT; one that
      // says it is must be whole.
      if (checked.kind === 'number' && v.kind === 'number' && typeof v.integer === 'boolean') {
        if (v.integer && !checked.integer) throw new ValueError(`${what}: ${checked.value} is not a whole number.`)
        return { ...checked, integer: v.integer }
      }
      return checked
    }
    case 'json': {
      const checked = fromJs(v.value ?? null, what)
      return { kind: 'json', value: checked.kind === 'json' ? checked.value : v.value }
    }
    case 'image':
      if (!Array.isArray(v.frames) || !v.frames.every((f) => f instanceof Uint8Array))
        throw new ValueError(`${what}: an image value needs frames of PNG bytes.`)
      return imageFromPngs(v.frames, what)
    case 'mask':
      if (!(v.png instanceof Uint8Array)) throw new ValueError(`${what}: a mask value needs PNG bytes.`)
      return maskFromPng(v.png, what)
    case 'latent':
      if (!(v.bytes instanceof Uint8Array)) throw new ValueError(`${what}: a latent value needs .latent bytes.`)
      return latentFromBytes(v.bytes, what)
    case 'ref': {
      const r = v.recipe as Partial<Recipe> | undefined
      const output = r?.output
      const ok =
        r !== undefined &&
        typeof r.prompt === 'object' &&
        r.prompt !== null &&
        !Array.isArray(r.prompt) &&
        typeof r.type === 'string' &&
        Array.isArray(output) &&
        output.length === 2 &&
        typeof output[0] === 'string' &&
        typeof output[1] === 'number' &&
        Object.hasOwn(r.prompt, output[0])
      if (!ok)
        throw new ValueError(
          `${what}: a reference needs a recipe {prompt, output: [node id in prompt, output index], type}.`,
        )
      if (nestsDeeperThan(r.prompt, MAX_JSON_DEPTH))
        throw new ValueError(`${what}: the recipe nests deeper than ${MAX_JSON_DEPTH} levels.`)
      return v
    }
    default:
      throw new ValueError(`${what}: unknown value kind "${String((v as { kind: unknown }).kind)}".`)
  }
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

/**
 * The ComfyUI type a saved value takes, and the value as that type. The type
 * given wins; else the key keeps its own (a whole number saved into a FLOAT
 * key stays FLOAT; a fraction is refused by an INT key); else the value's
 * default. So a type changes only when it is given.
 */
export function typedForKey(
  value: ContextValue,
  given: string | undefined,
  existing: string | undefined,
  key: string,
): { comfyType: string; value: ContextValue } {
  const comfyType = given ?? existing ?? defaultComfyType(value)
  if (value.kind !== 'number') return { comfyType, value }
  if (comfyType === 'FLOAT') return { comfyType, value: value.integer ? { ...value, integer: false } : value }
  if (comfyType === 'INT') {
    if (!Number.isInteger(value.value))
      throw new ValueError(
        given
          ? `"${key}": ${value.value} is not a whole number, so it cannot be an INT.`
          : `"${key}" holds an INT, and ${value.value} is not a whole number. To store a FLOAT there, save it with the type FLOAT (a type changes only when it is given).`,
      )
    return { comfyType, value: value.integer ? value : { ...value, integer: true } }
  }
  return { comfyType, value }
}
