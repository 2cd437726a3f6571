/**
 * What a user may pass as a run input or a saved value, and its conversion
 * to a context value given the ComfyUI type of the port it feeds.
 */
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { DiscomfortError } from '../../shared/errors.js'
import { checkedContextValue, fromJs, imageFromPngs, latentFromBytes, maskFromPng } from './valueFrom.js'
import type { ContextValue, ContextValueKind } from './values.js'

/** A file on disk to read as the port's type (`.png` → IMAGE, `.latent` → LATENT when the type is unknown). */
export interface FileInput {
  file: string
}

export type InputValue =
  | string
  | number
  | boolean
  | null
  | unknown[]
  | Record<string, unknown>
  | Uint8Array
  | FileInput
  | ContextValue

const KINDS = new Set<ContextValueKind>(['string', 'number', 'boolean', 'json', 'image', 'mask', 'latent', 'ref'])

const isContextValue = (v: unknown): v is ContextValue =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  KINDS.has((v as { kind?: ContextValueKind }).kind as ContextValueKind) &&
  ('value' in v || 'frames' in v || 'png' in v || 'bytes' in v || 'recipe' in v)

export const isFileInput = (v: unknown): v is FileInput =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  typeof (v as FileInput).file === 'string' &&
  Object.keys(v).length === 1

/** What bytes are, from their first ones: a PNG is an IMAGE, a safetensors file (a .latent) a LATENT. */
function sniffedType(bytes: Uint8Array): 'IMAGE' | 'LATENT' | undefined {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (bytes.byteLength >= 8 && png.every((b, i) => bytes[i] === b)) return 'IMAGE'
  // safetensors: a little-endian u64 header length, then the JSON header.
  if (bytes.byteLength > 9 && bytes[8] === 0x7b) return 'LATENT'
  return undefined
}

function fromBytes(bytes: Uint8Array, type: string | undefined, what: string, hint?: string): ContextValue {
  const t = type ?? (hint === '.latent' ? 'LATENT' : hint === '.png' ? 'IMAGE' : sniffedType(bytes))
  if (t === 'IMAGE') return imageFromPngs([bytes], what)
  if (t === 'MASK') return maskFromPng(bytes, what)
  if (t === 'LATENT') return latentFromBytes(bytes, what)
  throw new DiscomfortError(
    `${what}: bytes were given, but the port ${t ? `takes ${t}` : 'has no known type'}; bytes can be an IMAGE, MASK (PNG) or LATENT (.latent).`,
  )
}

export async function toContextValue(raw: InputValue, type: string | undefined, what: string): Promise<ContextValue> {
  if (isContextValue(raw)) return checkedContextValue(raw, what)
  if (raw instanceof Uint8Array) return fromBytes(raw, type, what)
  if (isFileInput(raw)) {
    let bytes: Uint8Array
    try {
      bytes = await readFile(raw.file)
    } catch (e) {
      throw new DiscomfortError(`${what}: cannot read "${raw.file}": ${(e as Error).message}`)
    }
    return fromBytes(bytes, type, what, extname(raw.file).toLowerCase())
  }
  if (type === 'IMAGE' || type === 'MASK' || type === 'LATENT') {
    throw new DiscomfortError(
      `${what} feeds ${type} inputs, but a ${Array.isArray(raw) ? 'list' : typeof raw} was given. ` +
        `Pass ${type === 'LATENT' ? 'a .latent file' : 'a PNG'}: { file: "path" }, its bytes, or d.Tools.open${type === 'LATENT' ? 'Latent' : 'Image'}(path).`,
    )
  }
  if ((type === 'INT' || type === 'FLOAT') && typeof raw === 'string' && /^[+-]?0x[0-9a-f]+$/i.test(raw.trim())) {
    // Hex, as colours are often written (0x204080).
    const t = raw.trim()
    const n = Number.parseInt(t.replace(/^[+-]/, ''), 16) * (t.startsWith('-') ? -1 : 1)
    return toContextValue(n, type, what)
  }
  if (type === 'INT' && typeof raw === 'number' && !Number.isInteger(raw)) {
    throw new DiscomfortError(`${what} feeds INT inputs, but ${raw} is not a whole number.`)
  }
  if ((type === 'INT' || type === 'FLOAT') && typeof raw !== 'number') {
    throw new DiscomfortError(`${what} feeds ${type} inputs, but ${JSON.stringify(raw)} is not a number.`)
  }
  if (type === 'BOOLEAN' && typeof raw !== 'boolean') {
    throw new DiscomfortError(`${what} feeds BOOLEAN inputs, but ${JSON.stringify(raw)} is not true or false.`)
  }
  const value = fromJs(raw, what)
  if (type === 'FLOAT' && value.kind === 'number') return { ...value, integer: false }
  return value
}
