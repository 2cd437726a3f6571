/**
 * The core nodes the stand-in really executes, on small data, with the same
 * inputs, outputs, `ui` dicts and file names as ComfyUI 0.3.54, plus a
 * test-only model loader pair whose loads are counted.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeLatent, encodeLatent } from '../../bridge/codec/latent.js'
import { decodePng, encodePng, quantise } from '../../bridge/codec/png.js'
import type { NodeDef } from '../../shared/workflow/objectInfo.js'
import type { Folders } from './files.js'
import { pyJsonDumps, pyStr } from './python.js'
import {
  describeTensor,
  image,
  isTensor,
  mask,
  resizeImage,
  resizeSpatial,
  type ImageTensor,
  type LatentValue,
  type MaskTensor,
  type TestModel,
} from './tensors.js'

/** What a node sees of the run it is part of. */
export interface NodeContext {
  folders: Folders
  prompt: Record<string, unknown>
  extraPngInfo: Record<string, unknown> | undefined
  /** Report progress (ComfyUI's ProgressBar): sends `progress` messages. */
  progress(value: number, max: number): void
  /** Throws when the run has been interrupted. */
  checkInterrupted(): void
  /** Test-only counter of model loads. */
  modelLoads: { count: number }
  sleep(ms: number): Promise<void>
}

interface NodeResult {
  outputs: unknown[]
  ui?: Record<string, unknown>
}

/** A Python-side exception, reported as `execution_error`. */
export class NodeException extends Error {
  constructor(
    message: string,
    readonly exceptionType: string,
  ) {
    super(message)
  }
}

export type NodeFn = (inputs: Record<string, unknown>, ctx: NodeContext) => NodeResult | Promise<NodeResult>

const asImage = (v: unknown, name: string): ImageTensor => {
  if (isTensor(v) && v.kind === 'IMAGE') return v
  throw new NodeException(
    `'${typeof v === 'string' ? 'str' : typeof v}' object has no attribute 'shape' (input ${name})`,
    'AttributeError',
  )
}
const asMask = (v: unknown): MaskTensor => {
  if (isTensor(v) && v.kind === 'MASK') return v
  throw new NodeException(`'${typeof v}' object has no attribute 'reshape'`, 'AttributeError')
}
const asLatent = (v: unknown): LatentValue => {
  if (isTensor(v) && v.kind === 'LATENT') return v
  throw new NodeException(`'${typeof v}' object is not subscriptable`, 'TypeError')
}

function metadataText(ctx: NodeContext): Record<string, string> {
  const text: Record<string, string> = { prompt: pyJsonDumps(ctx.prompt) }
  for (const [k, v] of Object.entries(ctx.extraPngInfo ?? {})) text[k] = pyJsonDumps(v)
  return text
}

function imageToPngs(images: ImageTensor): Array<{ width: number; height: number; rgba: Uint8Array; alpha: boolean }> {
  const [b, h, w, c] = images.shape
  const frames = []
  for (let n = 0; n < b; n++) {
    const rgba = new Uint8Array(h * w * 4)
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < 3; k++) rgba[p * 4 + k] = quantise(images.data[(n * h * w + p) * c + Math.min(k, c - 1)]!)
      rgba[p * 4 + 3] = c === 4 ? quantise(images.data[(n * h * w + p) * c + 3]!) : 255
    }
    frames.push({ width: w, height: h, rgba, alpha: c === 4 })
  }
  return frames
}

function saveImages(
  images: ImageTensor,
  prefix: string,
  type: 'output' | 'temp',
  ctx: NodeContext,
): Record<string, unknown> {
  const { folder, filename, counter, subfolder } = ctx.folders.savePath(prefix, type)
  const results = []
  let n = counter
  for (const frame of imageToPngs(images)) {
    const file = `${filename.replace('%batch_num%', String(n - counter))}_${String(n).padStart(5, '0')}_.png`
    writeFileSync(join(folder, file), encodePng(frame, { alpha: frame.alpha, text: metadataText(ctx) }))
    results.push({ filename: file, subfolder, type })
    n += 1
  }
  return { images: results }
}

function loadImageFile(
  name: string,
  ctx: NodeContext,
): { rgba: Uint8Array; width: number; height: number; hasAlpha: boolean } {
  const bytes = readFileSync(ctx.folders.annotatedPath(name))
  try {
    return decodePng(bytes)
  } catch {
    throw new NodeException(
      `cannot identify image file '${ctx.folders.annotatedPath(name)}'`,
      'PIL.UnidentifiedImageError',
    )
  }
}

const randomSuffix = (): string => Array.from(randomBytes(5), (b) => String.fromCharCode(97 + (b % 26))).join('')

export const NODES: Record<string, NodeFn> = {
  EmptyImage({ width, height, batch_size, color }) {
    const out = image(Number(batch_size), Number(height), Number(width))
    const c = Number(color)
    const rgb = [((c >> 16) & 0xff) / 255, ((c >> 8) & 0xff) / 255, (c & 0xff) / 255]
    for (let i = 0; i < out.data.length; i++) out.data[i] = rgb[i % 3]!
    return { outputs: [out] }
  },

  ImageInvert({ image: img }) {
    const src = asImage(img, 'image')
    return { outputs: [{ ...src, data: src.data.map((x) => 1 - x) }] }
  },

  ImageScaleBy({ image: img, scale_by }) {
    const src = asImage(img, 'image')
    const s = Number(scale_by)
    return { outputs: [resizeImage(src, Math.round(src.shape[1] * s), Math.round(src.shape[2] * s))] }
  },

  ImageScaleToMaxDimension({ image: img, largest_size }) {
    const src = asImage(img, 'image')
    const [, height, width] = src.shape
    const largest = Number(largest_size)
    // Python's round(): halves go to the even neighbour.
    const pyRound = (x: number) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x))
    if (height > width) return { outputs: [resizeImage(src, largest, pyRound((width / height) * largest))] }
    if (width > height) return { outputs: [resizeImage(src, pyRound((height / width) * largest), largest)] }
    return { outputs: [resizeImage(src, largest, largest)] }
  },

  ImageBatch({ image1, image2 }) {
    const a = asImage(image1, 'image1')
    let b = asImage(image2, 'image2')
    if (b.shape[1] !== a.shape[1] || b.shape[2] !== a.shape[2]) b = resizeImage(b, a.shape[1], a.shape[2])
    const out = image(a.shape[0] + b.shape[0], a.shape[1], a.shape[2], a.shape[3])
    out.data.set(a.data)
    out.data.set(b.data, a.data.length)
    return { outputs: [out] }
  },

  LoadImage({ image: name }, ctx) {
    const png = loadImageFile(String(name), ctx)
    const out = image(1, png.height, png.width)
    const m = png.hasAlpha ? mask(1, png.height, png.width) : mask(1, 64, 64)
    for (let p = 0; p < png.width * png.height; p++) {
      for (let k = 0; k < 3; k++) out.data[p * 3 + k] = png.rgba[p * 4 + k]! / 255
      if (png.hasAlpha) m.data[p] = 1 - png.rgba[p * 4 + 3]! / 255
    }
    return { outputs: [out, m] }
  },

  LoadImageMask({ image: name, channel }, ctx) {
    const png = loadImageFile(String(name), ctx)
    const index = { red: 0, green: 1, blue: 2, alpha: 3 }[String(channel)] ?? 3
    if (index === 3 && !png.hasAlpha) return { outputs: [mask(1, 64, 64)] }
    const m = mask(1, png.height, png.width)
    for (let p = 0; p < png.width * png.height; p++) {
      const v = png.rgba[p * 4 + index]! / 255
      m.data[p] = index === 3 ? 1 - v : v
    }
    return { outputs: [m] }
  },

  PreviewImage({ images }, ctx) {
    return { outputs: [], ui: saveImages(asImage(images, 'images'), `ComfyUI_temp_${randomSuffix()}`, 'temp', ctx) }
  },

  SaveImage({ images, filename_prefix }, ctx) {
    return {
      outputs: [],
      ui: saveImages(asImage(images, 'images'), String(filename_prefix ?? 'ComfyUI'), 'output', ctx),
    }
  },

  MaskToImage({ mask: m }) {
    const src = asMask(m)
    const [b, h, w] = src.shape
    const out = image(b, h, w)
    for (let i = 0; i < src.data.length; i++) out.data.fill(src.data[i]!, i * 3, i * 3 + 3)
    return { outputs: [out] }
  },

  ImageToMask({ image: img, channel }) {
    const src = asImage(img, 'image')
    const [b, h, w, c] = src.shape
    const index = ['red', 'green', 'blue', 'alpha'].indexOf(String(channel))
    if (index >= c)
      throw new NodeException(`index ${index} is out of bounds for dimension 3 with size ${c}`, 'IndexError')
    const out = mask(b, h, w)
    for (let i = 0; i < out.data.length; i++) out.data[i] = src.data[i * c + index]!
    return { outputs: [out] }
  },

  EmptyLatentImage({ width, height, batch_size }) {
    const shape = [Number(batch_size), 4, Math.floor(Number(height) / 8), Math.floor(Number(width) / 8)]
    return { outputs: [{ kind: 'LATENT', shape, samples: new Float32Array(shape.reduce((a, b) => a * b, 1)) }] }
  },

  LatentUpscaleBy({ samples, scale_by }) {
    const src = asLatent(samples)
    const h = Math.round(src.shape[2]! * Number(scale_by))
    const w = Math.round(src.shape[3]! * Number(scale_by))
    return {
      outputs: [
        {
          kind: 'LATENT',
          shape: [src.shape[0]!, src.shape[1]!, h, w],
          samples: resizeSpatial(src.samples, src.shape, h, w),
        },
      ],
    }
  },

  LoadLatent({ latent }, ctx) {
    const path = ctx.folders.annotatedPath(String(latent))
    try {
      const decoded = decodeLatent(readFileSync(path))
      return { outputs: [{ kind: 'LATENT', shape: decoded.shape, samples: decoded.data }] }
    } catch (e) {
      throw new NodeException(`${(e as Error).message}\n`, 'safetensors._safetensors_rust.SafetensorError')
    }
  },

  SaveLatent({ samples, filename_prefix }, ctx) {
    const src = asLatent(samples)
    const { folder, filename, counter, subfolder } = ctx.folders.savePath(
      String(filename_prefix ?? 'latents/ComfyUI'),
      'output',
    )
    const file = `${filename}_${String(counter).padStart(5, '0')}_.latent`
    writeFileSync(join(folder, file), encodeLatent({ shape: src.shape, data: src.samples }, metadataText(ctx)))
    return { outputs: [], ui: { latents: [{ filename: file, subfolder, type: 'output' }] } }
  },

  PrimitiveString: ({ value }) => ({ outputs: [value] }),
  PrimitiveStringMultiline: ({ value }) => ({ outputs: [value] }),
  PrimitiveInt: ({ value }) => ({ outputs: [value] }),
  PrimitiveFloat: ({ value }) => ({ outputs: [value] }),
  PrimitiveBoolean: ({ value }) => ({ outputs: [value] }),

  StringConcatenate({ string_a, string_b, delimiter }) {
    return { outputs: [`${String(string_a)}${String(delimiter ?? '')}${String(string_b)}`] }
  },

  PreviewAny({ source }) {
    let text: string
    if (typeof source === 'string') text = source
    else if (typeof source === 'number' || typeof source === 'boolean' || source === null) text = pyStr(source)
    else if (isTensor(source)) text = describeTensor(source)
    else if (typeof source === 'object' && source !== null && 'kind' in source)
      text = `<${String((source as TestModel).kind)} ${(source as TestModel).name}>`
    else text = pyJsonDumps(source)
    return { outputs: [], ui: { text: [text] } }
  },

  // --- test-only nodes ---------------------------------------------------------

  DiscomfortTestModelLoader({ model_name }, ctx) {
    ctx.modelLoads.count += 1
    const model: TestModel = { kind: 'MODEL', name: String(model_name), loadNumber: ctx.modelLoads.count }
    return { outputs: [model] }
  },

  DiscomfortTestModelApply({ model, image: img, strength }) {
    const m = model as TestModel
    if (m?.kind !== 'MODEL') throw new NodeException("'NoneType' object has no attribute 'model'", 'AttributeError')
    const src = asImage(img, 'image')
    const s = Number(strength)
    return { outputs: [{ ...src, data: src.data.map((x) => Math.min(1, Math.max(0, x * s))) }] }
  },

  async DiscomfortTestSleep({ value, steps, step_ms }, ctx) {
    const n = Number(steps)
    for (let i = 1; i <= n; i++) {
      await ctx.sleep(Number(step_ms))
      ctx.checkInterrupted()
      ctx.progress(i, n)
    }
    return { outputs: [value] }
  },
}

/** Node definitions of the test-only nodes, added to the stand-in's object_info. */
export const TEST_NODE_DEFS: Record<string, NodeDef> = {
  DiscomfortTestModelLoader: {
    input: { required: { model_name: ['STRING', { default: 'test-model' }] } },
    input_order: { required: ['model_name'] },
    output: ['MODEL'],
    output_is_list: [false],
    output_name: ['MODEL'],
    name: 'DiscomfortTestModelLoader',
    display_name: 'Test Model Loader (stand-in only)',
    description: 'Test-only: yields an opaque MODEL and counts how often it loads.',
    python_module: 'discomfort_test',
    category: '_for_testing',
    output_node: false,
  },
  DiscomfortTestModelApply: {
    input: {
      required: {
        model: ['MODEL', {}],
        image: ['IMAGE', {}],
        strength: ['FLOAT', { default: 1, min: 0, max: 10, step: 0.01 }],
      },
    },
    input_order: { required: ['model', 'image', 'strength'] },
    output: ['IMAGE'],
    output_is_list: [false],
    output_name: ['IMAGE'],
    name: 'DiscomfortTestModelApply',
    display_name: 'Test Model Apply (stand-in only)',
    description: 'Test-only: multiplies an image by strength, needing a MODEL.',
    python_module: 'discomfort_test',
    category: '_for_testing',
    output_node: false,
  },
  DiscomfortTestSleep: {
    input: {
      required: {
        value: ['*', {}],
        steps: ['INT', { default: 5, min: 1, max: 10000 }],
        step_ms: ['INT', { default: 20, min: 0, max: 60000 }],
      },
    },
    input_order: { required: ['value', 'steps', 'step_ms'] },
    output: ['*'],
    output_is_list: [false],
    output_name: ['value'],
    name: 'DiscomfortTestSleep',
    display_name: 'Test Sleep (stand-in only)',
    description: 'Test-only: passes its value through after reporting progress for a while.',
    python_module: 'discomfort_test',
    category: '_for_testing',
    output_node: false,
  },
}
