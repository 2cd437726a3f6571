import { readFileSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { decodeLatent, encodeLatent } from '../../bridge/codec/latent.js'
import { decodePng } from '../../bridge/codec/png.js'
import { parseCapturedText, Runner } from '../../bridge/runs/runner.js'
import { ServerPool } from '../../bridge/pool/serverPool.js'
import { loadPassByRules } from '../../bridge/store/config.js'
import type { Context } from '../../bridge/store/context.js'
import { ContextStore } from '../../bridge/store/contextStore.js'
import { fromJs, imageFromPngs, toJs } from '../../bridge/values/valueFrom.js'
import type { ContextValue } from '../../bridge/values/values.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { caught, port, solidPng } from '../helpers/prompts.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'

let comfy: ComfyStandIn
let pool: ServerPool
let runner: Runner
let store: ContextStore
let ctx: Context

beforeAll(async () => {
  comfy = await startComfyStandIn()
  pool = new ServerPool([{ url: comfy.url }], { client: { pollIntervalMs: 50 } })
  runner = new Runner(pool, loadPassByRules())
  store = new ContextStore({ root: mkdtempSync(join(tmpdir(), 'discomfort-run-')), ramCapacityBytes: 50_000_000 })
  await store.init()
})
afterAll(async () => {
  pool.close()
  await store.shutdown()
  await comfy.close()
})
beforeEach(async () => {
  ctx = await store.create()
})

const pixel = (v: ContextValue, frame = 0) => {
  if (v.kind !== 'image') throw new Error(`not an image: ${v.kind}`)
  const png = decodePng(v.frames[frame]!)
  return { w: png.width, h: png.height, rgb: Array.from(png.rgba.subarray(0, 3)) }
}

describe('compile table, end to end on the stand-in', () => {
  it('INPUT STRING literal, OUTPUT STRING through PreviewAny', async () => {
    const w: ApiPrompt = {
      '1': port('prefix'),
      '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: 'world', delimiter: ' ' } },
      '3': port('greeting', ['2', 0]),
    }
    const result = await runner.run([{ name: 'greet.json', workflow: w }], {
      context: ctx,
      inputs: { prefix: 'hello' },
    })
    expect(toJs(result.outputs.greeting!)).toBe('hello world')
    expect(ctx.meta('greeting')).toMatchObject({ comfyType: 'STRING', passBy: 'val', kind: 'string' })
  })

  it('INPUT INT and COMBO literals, FLOAT too; OUTPUT IMAGE through PreviewImage', async () => {
    const w: ApiPrompt = {
      '1': port('width'),
      '2': { class_type: 'EmptyImage', inputs: { width: ['1', 0], height: 8, batch_size: 1, color: 0x00ff00 } },
      '3': port('method'),
      '4': port('scale'),
      '5': { class_type: 'ImageScaleBy', inputs: { image: ['2', 0], upscale_method: ['3', 0], scale_by: ['4', 0] } },
      '6': port('image', ['5', 0]),
    }
    const result = await runner.run([{ name: 'make.json', workflow: w }], {
      context: ctx,
      inputs: { width: 12, method: 'nearest-exact', scale: 0.5 },
    })
    expect(pixel(result.outputs.image!)).toEqual({ w: 6, h: 4, rgb: [0, 255, 0] })
    expect(ctx.meta('width')).toMatchObject({ comfyType: 'INT' })
    expect(ctx.meta('method')).toMatchObject({ comfyType: 'COMBO' })
    expect(ctx.meta('scale')).toMatchObject({ comfyType: 'FLOAT' })
  })

  it('OUTPUT INT, FLOAT and BOOLEAN are parsed back to their types', async () => {
    const w: ApiPrompt = {
      '1': port('flag'),
      '2': { class_type: 'PrimitiveBoolean', inputs: { value: ['1', 0] } },
      '3': port('flag_out', ['2', 0]),
      '4': { class_type: 'PrimitiveInt', inputs: { value: 41 } },
      '5': port('int_out', ['4', 0]),
      '6': { class_type: 'PrimitiveFloat', inputs: { value: 2.5 } },
      '7': port('float_out', ['6', 0]),
    }
    const r = await runner.run([{ name: 'prims.json', workflow: w }], { context: ctx, inputs: { flag: false } })
    expect([toJs(r.outputs.flag_out!), toJs(r.outputs.int_out!), toJs(r.outputs.float_out!)]).toEqual([false, 41, 2.5])
    expect(ctx.meta('int_out')!.comfyType).toBe('INT')
  })

  it('LIST and DICT captures parse the JSON PreviewAny prints', () => {
    expect(toJs(parseCapturedText('[1, 2, "a"]', 'LIST', 'w'))).toEqual([1, 2, 'a'])
    expect(toJs(parseCapturedText('{"a": 1}', 'DICT', 'w'))).toEqual({ a: 1 })
    expect(() => parseCapturedText('abc', 'INT', 'w.json: OUTPUT port "n"')).toThrow(
      /w\.json: OUTPUT port "n": expected an INT/,
    )
  })

  it('INPUT IMAGE (a 2-frame batch) becomes LoadImage + ImageBatch, uploaded once', async () => {
    const w: ApiPrompt = {
      '1': port('in'),
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': port('out', ['2', 0]),
    }
    const a = solidPng(4, 4, [255, 0, 0])
    const b = solidPng(4, 4, [0, 0, 255])
    const r = await runner.run([{ name: 'invert.json', workflow: w }], {
      context: ctx,
      inputs: { in: imageFromPngs([a, b]) },
    })
    const out = r.outputs.out!
    expect(out.kind === 'image' && out.frames.length).toBe(2)
    expect(pixel(out, 0).rgb).toEqual([0, 255, 255])
    expect(pixel(out, 1).rgb).toEqual([255, 255, 0])
  })

  it('INPUT MASK becomes LoadImageMask; OUTPUT MASK goes through MaskToImage', async () => {
    const w: ApiPrompt = {
      '1': port('m'),
      '2': { class_type: 'MaskToImage', inputs: { mask: ['1', 0] } },
      '3': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
      '4': { class_type: 'ImageToMask', inputs: { image: ['3', 0], channel: 'red' } },
      '5': port('m_inv', ['4', 0]),
    }
    const mask = { kind: 'mask' as const, png: solidPng(4, 2, [64, 64, 64]), width: 4, height: 2 }
    const r = await runner.run([{ name: 'mask.json', workflow: w }], { context: ctx, inputs: { m: mask } })
    const out = r.outputs.m_inv!
    expect(out.kind).toBe('mask')
    expect(ctx.meta('m_inv')!.comfyType).toBe('MASK')
    if (out.kind === 'mask') expect(Array.from(decodePng(out.png).rgba.subarray(0, 3))).toEqual([191, 191, 191])
  })

  it('LATENT in and out are lossless (uploaded .latent + LoadLatent, SaveLatent)', async () => {
    const data = new Float32Array(4 * 8 * 8).map((_, i) => Math.sin(i) * 3.25)
    const latent = { kind: 'latent' as const, bytes: encodeLatent({ shape: [1, 4, 8, 8], data }), shape: [1, 4, 8, 8] }
    const w: ApiPrompt = {
      '1': port('lat'),
      '2': {
        class_type: 'LatentUpscaleBy',
        inputs: { samples: ['1', 0], upscale_method: 'nearest-exact', scale_by: 1 },
      },
      '3': port('lat_out', ['2', 0]),
    }
    const r = await runner.run([{ name: 'latent.json', workflow: w }], { context: ctx, inputs: { lat: latent } })
    const out = r.outputs.lat_out!
    expect(out.kind).toBe('latent')
    if (out.kind === 'latent') expect(Array.from(decodeLatent(out.bytes).data)).toEqual(Array.from(data))
  })

  it('PASSTHRU ports are removed and their links joined', async () => {
    const w: ApiPrompt = {
      '1': { class_type: 'PrimitiveString', inputs: { value: 'through' } },
      '2': port('middle', ['1', 0]),
      '3': { class_type: 'StringConcatenate', inputs: { string_a: ['2', 0], string_b: '!', delimiter: '' } },
      '4': port('end', ['3', 0]),
    }
    const r = await runner.run([{ name: 'pass.json', workflow: w }], { context: ctx })
    expect(toJs(r.outputs.end!)).toBe('through!')
    expect(ctx.has('middle')).toBe(false)
  })

  it('OUTPUT ref stores a recipe; INPUT ref stitches it in and ComfyUI serves it from cache on reuse', async () => {
    const loader: ApiPrompt = {
      '1': port('model_name'),
      '2': { class_type: 'DiscomfortTestModelLoader', inputs: { model_name: ['1', 0] } },
      '3': port('model', ['2', 0]),
    }
    const apply: ApiPrompt = {
      '1': port('model'),
      '2': { class_type: 'EmptyImage', inputs: { width: 4, height: 4, batch_size: 1, color: 0x808080 } },
      '3': port('strength'),
      '4': { class_type: 'DiscomfortTestModelApply', inputs: { model: ['1', 0], image: ['2', 0], strength: ['3', 0] } },
      '5': port('image', ['4', 0]),
    }
    await runner.run([{ name: 'load_model.json', workflow: loader }], { context: ctx, inputs: { model_name: 'sdxl' } })
    expect(ctx.meta('model')).toMatchObject({ comfyType: 'MODEL', passBy: 'ref', kind: 'ref' })
    const before = comfy.modelLoads
    for (const strength of [1, 0.5, 1.5]) {
      const r = await runner.run([{ name: 'apply.json', workflow: apply }], { context: ctx, inputs: { strength } })
      expect(r.outputs.image!.kind).toBe('image')
    }
    // Loaded once for the first apply run, then reused from ComfyUI's cache.
    expect(comfy.modelLoads - before).toBe(1)
    const recipe = await ctx.load('model')
    expect(recipe.kind === 'ref' && Object.values(recipe.recipe.prompt).map((n) => n.class_type)).toEqual([
      'DiscomfortTestModelLoader',
    ])
  })

  it('an OUTPUT and INPUT with the same unique_id form a loop across iterations', async () => {
    const w: ApiPrompt = {
      '1': port('n'),
      '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: 'a', delimiter: '' } },
      '3': port('n', ['2', 0]),
    }
    const r = await runner.run([{ name: 'grow.json', workflow: w }], { context: ctx, inputs: { n: '' }, iterations: 4 })
    expect(toJs(r.outputs.n!)).toBe('aaaa')
    expect(ctx.recentRuns()).toHaveLength(4)
  })

  it('a list of workflows runs in order, the whole list each iteration', async () => {
    const first: ApiPrompt = {
      '1': port('x'),
      '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '1', delimiter: '' } },
      '3': port('x', ['2', 0]),
    }
    const second: ApiPrompt = {
      '1': port('x'),
      '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '2', delimiter: '' } },
      '3': port('x', ['2', 0]),
    }
    const events: string[] = []
    const r = await runner.run(
      [
        { name: 'one', workflow: first },
        { name: 'two', workflow: second },
      ],
      {
        context: ctx,
        inputs: { x: '' },
        iterations: 2,
        onEvent: (e) => e.type === 'workflow-finished' && events.push(`${e.workflow}#${e.iteration}`),
      },
    )
    expect(toJs(r.outputs.x!)).toBe('1212')
    expect(events).toEqual(['one#1', 'two#1', 'one#2', 'two#2'])
  })
})

describe('failures keep the context as it was', () => {
  it('a missing INPUT names the workflow, port and node, and what to do', async () => {
    const w: ApiPrompt = {
      '7': port('seed'),
      '2': { class_type: 'PrimitiveInt', inputs: { value: ['7', 0] } },
      '3': port('o', ['2', 0]),
    }
    const e = await caught(runner.run([{ name: 'needs_seed.json', workflow: w }], { context: ctx }))
    expect(e.message).toMatch(
      /needs_seed\.json: INPUT port "seed" \(node 7\) needs "seed", which the context does not hold\. Give it a value: from a script, inputs: \{ "seed": \.\.\. \}; on the ComfyUI page, "set value" on the port or the Discomfort panel/,
    )
  })

  it('a DICT cannot enter a workflow by value', async () => {
    await ctx.save('cfg', fromJs({ a: 1 }))
    const w: ApiPrompt = {
      '1': port('cfg'),
      '2': { class_type: 'PrimitiveString', inputs: { value: ['1', 0] } },
      '3': port('o', ['2', 0]),
    }
    const e = await caught(runner.run([{ name: 'dict.json', workflow: w }], { context: ctx }))
    expect(e.message).toMatch(/dict\.json: INPUT port "cfg" \(node 1\) feeds STRING inputs, but the context holds JSON/)
  })

  it('a wrongly typed input is refused before anything is saved', async () => {
    const w: ApiPrompt = {
      '1': port('img'),
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': port('o', ['2', 0]),
    }
    const e = await caught(
      runner.run([{ name: 'img.json', workflow: w }], { context: ctx, inputs: { img: 'cat.png' } }),
    )
    expect(e.message).toMatch(/input "img" feeds IMAGE inputs, but a string was given/)
    expect(ctx.listKeys()).toEqual([])
  })

  it('a runtime failure commits nothing from that workflow and names the node', async () => {
    await ctx.save('out', fromJs('before'))
    await pool.primary().http.upload(new TextEncoder().encode('garbage'), 'bad.latent')
    const w: ApiPrompt = {
      '1': { class_type: 'LoadLatent', inputs: { latent: 'bad.latent' } },
      '2': port('lat', ['1', 0]),
      '3': { class_type: 'PrimitiveString', inputs: { value: 'after' } },
      '4': port('out', ['3', 0]),
    }
    const e = await caught(runner.run([{ name: 'broken.json', workflow: w }], { context: ctx }))
    expect(e.name).toBe('RunError')
    expect(e.message).toMatch(/broken\.json failed in node 1 \(LoadLatent\)/)
    expect(e.message).toMatch(/The context keeps what it had/)
    expect(toJs(await ctx.load('out'))).toBe('before')
    expect(ctx.has('lat')).toBe(false)
  })

  it('cancelling a run cancels its ComfyUI job and commits nothing', async () => {
    const w: ApiPrompt = {
      '1': { class_type: 'PrimitiveString', inputs: { value: 'slow' } },
      '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 100, step_ms: 20 } },
      '3': port('slow', ['2', 0]),
    }
    const controller = new AbortController()
    const pending = runner.run([{ name: 'slow.json', workflow: w }], { context: ctx, signal: controller.signal })
    setTimeout(() => controller.abort(), 100)
    const e = await caught(pending)
    expect(e.name).toBe('RunCancelledError')
    expect(ctx.has('slow')).toBe(false)
    const q = await pool.primary().http.queue()
    expect([...q.running, ...q.pending]).toEqual([])
  })
})

describe('workflows from files', () => {
  it('runs an original Discomfort UI workflow up to ComfyUI validation (no models on the stand-in)', async () => {
    const path = join(COMFY_FIXTURES, '..', 'original-discomfort-workflows', 'discomfort_test1.json')
    const e = await caught(runner.run([path], { context: ctx, inputs: { seed: 1, cfg: 4.5 } }))
    expect(e.message).toMatch(/discomfort_test1\.json/)
    expect(e.message).toMatch(/ckpt_name/)
    expect(readFileSync(path).length).toBeGreaterThan(0)
  })
})
