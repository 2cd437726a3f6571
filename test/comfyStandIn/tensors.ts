/** The values that flow between the stand-in's nodes: small float tensors, like torch's. */

export interface ImageTensor {
  kind: 'IMAGE'
  /** [batch, height, width, channels] */
  shape: [number, number, number, number]
  data: Float32Array
}

export interface MaskTensor {
  kind: 'MASK'
  /** [batch, height, width] */
  shape: [number, number, number]
  data: Float32Array
}

export interface LatentValue {
  kind: 'LATENT'
  /** [batch, channels, height, width] */
  shape: number[]
  samples: Float32Array
}

/** The opaque MODEL the test-only loader yields. */
export interface TestModel {
  kind: 'MODEL'
  name: string
  loadNumber: number
}

export const isTensor = (v: unknown): v is ImageTensor | MaskTensor | LatentValue =>
  typeof v === 'object' &&
  v !== null &&
  'kind' in v &&
  ['IMAGE', 'MASK', 'LATENT'].includes((v as { kind: string }).kind)

export function image(b: number, h: number, w: number, c = 3): ImageTensor {
  return { kind: 'IMAGE', shape: [b, h, w, c], data: new Float32Array(b * h * w * c) }
}

export function mask(b: number, h: number, w: number): MaskTensor {
  return { kind: 'MASK', shape: [b, h, w], data: new Float32Array(b * h * w) }
}

/** Nearest-neighbour resize of an image batch (what `nearest-exact` does). */
export function resizeImage(src: ImageTensor, height: number, width: number): ImageTensor {
  const [b, h, w, c] = src.shape
  const out = image(b, height, width, c)
  for (let n = 0; n < b; n++)
    for (let y = 0; y < height; y++) {
      const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / height))
      for (let x = 0; x < width; x++) {
        const sx = Math.min(w - 1, Math.floor(((x + 0.5) * w) / width))
        for (let k = 0; k < c; k++)
          out.data[((n * height + y) * width + x) * c + k] = src.data[((n * h + sy) * w + sx) * c + k]!
      }
    }
  return out
}

/** Nearest-neighbour resize of the last two axes of a [..., H, W] tensor. */
export function resizeSpatial(data: Float32Array, shape: number[], height: number, width: number): Float32Array {
  const h = shape[shape.length - 2]!
  const w = shape[shape.length - 1]!
  const planes = data.length / (h * w)
  const out = new Float32Array(planes * height * width)
  for (let p = 0; p < planes; p++)
    for (let y = 0; y < height; y++) {
      const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / height))
      for (let x = 0; x < width; x++) {
        const sx = Math.min(w - 1, Math.floor(((x + 0.5) * w) / width))
        out[(p * height + y) * width + x] = data[(p * h + sy) * w + sx]!
      }
    }
  return out
}

/** A short torch-like description, used where ComfyUI would print a tensor's repr. */
export function describeTensor(v: ImageTensor | MaskTensor | LatentValue): string {
  const data = v.kind === 'LATENT' ? v.samples : v.data
  const head = Array.from(data.slice(0, 3), (x) => `${x.toFixed(4)}`).join(', ')
  return `tensor([${head}${data.length > 3 ? ', ...' : ''}]) shape=[${v.shape.join(', ')}]`
}
