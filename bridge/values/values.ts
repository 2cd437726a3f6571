/**
 * The values a context holds, and their byte form on disk.
 *
 * Images and masks are PNG frames (8-bit, as ComfyUI's own savers write them);
 * latents are the bytes of a ComfyUI `.latent` (safetensors, lossless);
 * references are recipes: an API sub-prompt and the output in it that yields
 * the value, so it can be recomputed (or served from ComfyUI's cache).
 */
import { createHash } from 'node:crypto'
import { digestOf } from '../util/digest.js'
import type { ApiLink, ApiPrompt } from '../../shared/workflow/apiPrompt.js'

export type { PassBy } from '../../shared/protocol/index.js'

export type ContextValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; integer: boolean }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'json'; value: unknown }
  | { kind: 'image'; frames: Uint8Array[]; width: number; height: number }
  | { kind: 'mask'; png: Uint8Array; width: number; height: number }
  | { kind: 'latent'; bytes: Uint8Array; shape: number[] }
  | { kind: 'ref'; recipe: Recipe }

export interface Recipe {
  prompt: ApiPrompt
  output: ApiLink
  /** The ComfyUI type the output carries (MODEL, CLIP, ...). */
  type: string
}

export type ContextValueKind = ContextValue['kind']

/** The ComfyUI type a value carries when none is given. */
export function defaultComfyType(value: ContextValue): string {
  switch (value.kind) {
    case 'string':
      return 'STRING'
    case 'number':
      return value.integer ? 'INT' : 'FLOAT'
    case 'boolean':
      return 'BOOLEAN'
    case 'json':
      return Array.isArray(value.value) ? 'LIST' : 'DICT'
    case 'image':
      return 'IMAGE'
    case 'mask':
      return 'MASK'
    case 'latent':
      return 'LATENT'
    case 'ref':
      return value.recipe.type
  }
}

// --- byte envelope ------------------------------------------------------------
// "DCV1", u32 LE header length, JSON header {kind, meta, blobs: [lengths]}, blobs.

const MAGIC = Buffer.from('DCV1')

export function encodeValue(value: ContextValue): Buffer {
  let meta: Record<string, unknown>
  let blobs: Uint8Array[] = []
  switch (value.kind) {
    case 'image':
      meta = { width: value.width, height: value.height }
      blobs = value.frames
      break
    case 'mask':
      meta = { width: value.width, height: value.height }
      blobs = [value.png]
      break
    case 'latent':
      meta = { shape: value.shape }
      blobs = [value.bytes]
      break
    default:
      meta = { ...value } as Record<string, unknown>
      delete meta.kind
  }
  const header = Buffer.from(JSON.stringify({ kind: value.kind, meta, blobs: blobs.map((b) => b.byteLength) }))
  const length = Buffer.alloc(4)
  length.writeUInt32LE(header.length)
  return Buffer.concat([MAGIC, length, header, ...blobs.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength))])
}

export function decodeValue(bytes: Buffer): ContextValue {
  if (!bytes.subarray(0, 4).equals(MAGIC)) throw new Error('not a Discomfort value file')
  const length = bytes.readUInt32LE(4)
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as {
    kind: ContextValueKind
    meta: Record<string, unknown>
    blobs: number[]
  }
  let at = 8 + length
  const blobs = header.blobs.map((n) => {
    const b = new Uint8Array(bytes.subarray(at, at + n))
    at += n
    return b
  })
  switch (header.kind) {
    case 'image':
      return { kind: 'image', frames: blobs, width: Number(header.meta.width), height: Number(header.meta.height) }
    case 'mask':
      return { kind: 'mask', png: blobs[0]!, width: Number(header.meta.width), height: Number(header.meta.height) }
    case 'latent':
      return { kind: 'latent', bytes: blobs[0]!, shape: header.meta.shape as number[] }
    default:
      return { kind: header.kind, ...header.meta } as ContextValue
  }
}

/** Bytes a value takes in RAM (its blobs, or its JSON). */
export function valueSize(value: ContextValue): number {
  switch (value.kind) {
    case 'image':
      return value.frames.reduce((n, f) => n + f.byteLength, 0)
    case 'mask':
      return value.png.byteLength
    case 'latent':
      return value.bytes.byteLength
    default:
      return Buffer.byteLength(JSON.stringify(value))
  }
}

export function valueHash(value: ContextValue): string {
  const h = createHash('sha256')
  h.update(value.kind)
  switch (value.kind) {
    // Bytes by their digest, which the upload to ComfyUI reuses (each buffer is hashed once).
    case 'image':
      for (const f of value.frames) h.update(digestOf(f))
      break
    case 'mask':
      h.update(digestOf(value.png))
      break
    case 'latent':
      h.update(digestOf(value.bytes))
      break
    default:
      h.update(JSON.stringify(value))
  }
  return h.digest('hex')
}

/** A short, human view of a value (sidebar, CLI). */
export function describeValue(value: ContextValue): string {
  switch (value.kind) {
    case 'string':
      return value.value.length > 60 ? `${JSON.stringify(value.value.slice(0, 57))}...` : JSON.stringify(value.value)
    case 'number':
    case 'boolean':
      return String(value.value)
    case 'json': {
      const s = JSON.stringify(value.value)
      return s.length > 60 ? `${s.slice(0, 57)}...` : s
    }
    case 'image':
      return `IMAGE ${value.width}×${value.height}${value.frames.length > 1 ? ` ×${value.frames.length}` : ''}`
    case 'mask':
      return `MASK ${value.width}×${value.height}`
    case 'latent':
      return `LATENT [${value.shape.join(', ')}]`
    case 'ref':
      return `${value.recipe.type} (reference: ${Object.keys(value.recipe.prompt).length} nodes)`
  }
}
