/**
 * PNG frames as ComfyUI sees them: decoded to RGB(A) bytes, encoded from
 * float tensors with ComfyUI's own quantisation (`clip(255·x)` truncated,
 * not rounded, so a round trip through ComfyUI's savers loses < 1/255).
 */
import { createRequire } from 'node:module'
import type { PNG as PngClass } from 'pngjs'
import { DiscomfortError } from '../../shared/errors.js'

/** pngjs, loaded on the first decode or encode: a client that moves no pixels never loads it. */
let pngjs: typeof PngClass | undefined
const PNG = (): typeof PngClass => {
  pngjs ??= (createRequire(import.meta.url)('pngjs') as { PNG: typeof PngClass }).PNG
  return pngjs
}

export interface RgbaImage {
  width: number
  height: number
  /** 4 bytes a pixel, row-major. */
  rgba: Uint8Array
  /** Whether the file carried an alpha channel (colour types 4 and 6, or tRNS). */
  hasAlpha: boolean
}

export class PngError extends DiscomfortError {
  static override code = 'bad_png'
  override name = 'PngError'
}

export interface PngHeader {
  width: number
  height: number
  bitDepth: number
  colorType: number
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/**
 * Size and format from the IHDR chunk, without decoding: enough to check an
 * image and to refuse one whose declared size would take too much memory.
 */
export function readPngHeader(bytes: Uint8Array): PngHeader {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new PngError('not a PNG (no PNG signature)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
    throw new PngError('not a PNG (no IHDR chunk first)')
  const header = { width: view.getUint32(16), height: view.getUint32(20), bitDepth: bytes[24]!, colorType: bytes[25]! }
  if (header.width === 0 || header.height === 0)
    throw new PngError(`not a valid PNG (${header.width}×${header.height})`)
  if (![1, 2, 4, 8, 16].includes(header.bitDepth) || ![0, 2, 3, 4, 6].includes(header.colorType))
    throw new PngError('not a valid PNG (bad bit depth or colour type)')
  return header
}

export function decodePng(bytes: Uint8Array): RgbaImage {
  let png: PngClass
  try {
    png = PNG().sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch (e) {
    throw new PngError(`not a readable PNG: ${(e as Error).message}`)
  }
  const meta = png as unknown as { alpha?: boolean; colorType?: number }
  return {
    width: png.width,
    height: png.height,
    rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
    hasAlpha: meta.alpha === true || meta.colorType === 4 || meta.colorType === 6,
  }
}

export interface EncodeOptions {
  /** Keep the alpha channel (RGBA PNG); otherwise RGB. */
  alpha?: boolean
  /** tEXt chunks, as ComfyUI's SaveImage writes `prompt` and `workflow`. */
  text?: Record<string, string>
}

export function encodePng(
  image: { width: number; height: number; rgba: Uint8Array },
  options: EncodeOptions = {},
): Uint8Array {
  const png = new (PNG())({
    width: image.width,
    height: image.height,
    colorType: options.alpha ? 6 : 2,
    inputHasAlpha: true,
  })
  Buffer.from(image.rgba.buffer, image.rgba.byteOffset, image.rgba.byteLength).copy(png.data)
  let out: Buffer = PNG().sync.write(png, { colorType: options.alpha ? 6 : 2, inputHasAlpha: true })
  if (options.text && Object.keys(options.text).length > 0) out = insertTextChunks(out, options.text)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

/** ComfyUI's float → byte conversion: `np.clip(255 * x, 0, 255).astype(uint8)`. */
export const quantise = (x: number): number => {
  const v = Math.floor(255 * x)
  return v < 0 ? 0 : v > 255 ? 255 : Number.isNaN(v) ? 0 : v
}

// --- tEXt chunks --------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

function insertTextChunks(png: Buffer, text: Record<string, string>): Buffer {
  // IHDR is always first: signature (8) + IHDR chunk (25).
  const head = png.subarray(0, 33)
  const rest = png.subarray(33)
  const chunks = Object.entries(text).map(([k, v]) =>
    chunk('tEXt', Buffer.concat([Buffer.from(k, 'latin1'), Buffer.from([0]), Buffer.from(v, 'latin1')])),
  )
  return Buffer.concat([head, ...chunks, rest])
}
