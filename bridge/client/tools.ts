/** `d.Tools`: files in and out of context values. */
import { readFile } from 'node:fs/promises'
import { decodePng, encodePng } from '../codec/png.js'
import { exportValue } from '../values/exportData.js'
import { imageFromPngs, latentFromBytes, maskFromPng } from '../values/valueFrom.js'
import type { ContextValue } from '../values/values.js'

export type ImageValue = Extract<ContextValue, { kind: 'image' }>
export type MaskValue = Extract<ContextValue, { kind: 'mask' }>
export type LatentValue = Extract<ContextValue, { kind: 'latent' }>
export type ReferenceValue = Extract<ContextValue, { kind: 'ref' }>

export const Tools = {
  /** An IMAGE from PNG files (several files make a batch). */
  async openImage(...paths: string[]): Promise<ImageValue> {
    return imageFromPngs(await Promise.all(paths.map((p) => readFile(p))), paths.join(', ')) as ImageValue
  },
  async openMask(path: string): Promise<MaskValue> {
    return maskFromPng(await readFile(path), path) as MaskValue
  },
  async openLatent(path: string): Promise<LatentValue> {
    return latentFromBytes(await readFile(path), path) as LatentValue
  },
  /** Write an IMAGE as PNG (a batch as name.png, name_1.png, ...). Returns the files written. */
  async saveComfyImageToDisk(image: ContextValue, path: string): Promise<string[]> {
    if (image.kind !== 'image' && image.kind !== 'mask')
      throw new Error(`saveComfyImageToDisk needs an IMAGE or MASK, got a ${image.kind}.`)
    return exportValue(image, path)
  },
  /** Pixel size and frame count of an image value. */
  describeImage(image: ImageValue): { width: number; height: number; frames: number } {
    return { width: image.width, height: image.height, frames: image.frames.length }
  },
  /** An IMAGE of one colour, handy for tests and examples. */
  solidImage(width: number, height: number, rgb: [number, number, number]): ImageValue {
    const rgba = new Uint8Array(width * height * 4)
    for (let i = 0; i < width * height; i++) rgba.set([rgb[0], rgb[1], rgb[2], 255], i * 4)
    return { kind: 'image', frames: [encodePng({ width, height, rgba })], width, height }
  },
  /** RGBA bytes of one frame. */
  pixels(image: ImageValue, frame = 0): Uint8Array {
    return decodePng(image.frames[frame]!).rgba
  },
}
