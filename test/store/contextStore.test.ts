import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeLatent } from '../../bridge/codec/latent.js'
import { decodePng } from '../../bridge/codec/png.js'
import { ContextStore } from '../../bridge/store/contextStore.js'
import type { Context } from '../../bridge/store/context.js'
import { validateKey } from '../../bridge/store/keys.js'
import { exportValue } from '../../bridge/values/exportData.js'
import { loadWorkflowContextConfig, ramCapacityBytes } from '../../bridge/store/config.js'
import { fromJs, imageFromPngs, latentFromBytes, maskFromPng, toJs } from '../../bridge/values/valueFrom.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'

const PNG = join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png')
const LATENT = join(COMFY_FIXTURES, 'empty_64x64.latent')
const png = () => readFileSync(PNG)

let root: string
let store: ContextStore
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'discomfort-store-'))
  store = new ContextStore({ root, ramCapacityBytes: 1000 })
  await store.init()
})
afterEach(async () => {
  await store.shutdown()
})

const bigString = (n: number, c = 'x') => fromJs(c.repeat(n))

describe('context values', () => {
  it('round-trip every kind with type, pass-by and metadata', async () => {
    const ctx = await store.create({ ramCapacityBytes: 10_000_000 })
    await ctx.save('s', fromJs('hello'))
    await ctx.save('i', fromJs(7))
    await ctx.save('f', fromJs(0.5))
    await ctx.save('b', fromJs(true))
    await ctx.save('list', fromJs([1, 'two']))
    await ctx.save('img', imageFromPngs([png(), png()]))
    await ctx.save('mask', maskFromPng(png()))
    await ctx.save('lat', latentFromBytes(readFileSync(LATENT)))
    await ctx.save('model', {
      kind: 'ref',
      recipe: {
        prompt: { '1': { class_type: 'DiscomfortTestModelLoader', inputs: { model_name: 'm' } } },
        output: ['1', 0],
        type: 'MODEL',
      },
    })
    expect(ctx.listKeys()).toEqual(['s', 'i', 'f', 'b', 'list', 'img', 'mask', 'lat', 'model'])
    const summary = Object.fromEntries(ctx.allMeta().map((m) => [m.key, `${m.comfyType}/${m.passBy}`]))
    expect(summary).toEqual({
      s: 'STRING/val',
      i: 'INT/val',
      f: 'FLOAT/val',
      b: 'BOOLEAN/val',
      list: 'LIST/val',
      img: 'IMAGE/val',
      mask: 'MASK/val',
      lat: 'LATENT/val',
      model: 'MODEL/ref',
    })
    expect(toJs(await ctx.load('list'))).toEqual([1, 'two'])
    const img = await ctx.load('img')
    expect(img).toMatchObject({ kind: 'image', width: 64, height: 48 })
    expect(ctx.meta('lat')).toMatchObject({ kind: 'latent', producer: 'user', version: 8 })
    expect(await ctx.load('lat')).toMatchObject({ shape: [1, 4, 8, 8] })
  })

  it('a stored pass-by wins over the rules', async () => {
    const ctx = await store.create()
    await ctx.save('cond', fromJs('x'), { comfyType: 'CONDITIONING' })
    expect(ctx.meta('cond')!.passBy).toBe('ref')
    await ctx.save('img', fromJs('x'), { comfyType: 'IMAGE', passBy: 'ref' })
    await ctx.save('img', fromJs('y'))
    expect(ctx.meta('img')).toMatchObject({ passBy: 'ref', comfyType: 'IMAGE', version: 3 })
  })

  it('rejects bad keys with the reason', async () => {
    const ctx = await store.create()
    await expect(ctx.save('a/b', fromJs(1))).rejects.toThrow(/may not contain "\/"/)
    await expect(ctx.save('', fromJs(1))).rejects.toThrow(/non-empty/)
    expect(() => validateKey('x'.repeat(201))).toThrow(/longer than 200/)
    await expect(ctx.load('nope')).rejects.toThrow(/has no key "nope" \(it is empty\)/)
    expect(() => imageFromPngs([new Uint8Array([1, 2, 3])], 'input image')).toThrow(/input image: not a PNG/)
  })
})

describe('RAM tier and disk spill', () => {
  it('spills least recently used values past the capacity and loads them back', async () => {
    const ctx = await store.create() // 1000 bytes of RAM
    await ctx.save('a', bigString(300, 'a'))
    await ctx.save('b', bigString(300, 'b'))
    await ctx.save('c', bigString(300, 'c'))
    expect(ctx.getStorageInfo('a').storage_type).toBe('ram')
    await ctx.load('a') // a is now the most recently used
    await ctx.save('d', bigString(300, 'd'))
    const tiers = Object.fromEntries(ctx.listKeys().map((k) => [k, ctx.getStorageInfo(k).storage_type]))
    expect(tiers).toEqual({ a: 'ram', b: 'disk', c: 'ram', d: 'ram' })
    expect(existsSync(ctx.getStorageInfo('b').path!)).toBe(true)
    expect(toJs(await ctx.load('b'))).toBe('b'.repeat(300))
    expect(ctx.getStorageInfo('b').storage_type).toBe('ram')
  })

  it('reports usage figures in GB, MB and bytes', async () => {
    const ctx = await store.create()
    await ctx.save('a', bigString(600))
    await ctx.save('b', bigString(600))
    const usage = ctx.getUsage()
    const size = ctx.meta('a')!.sizeBytes
    expect(usage).toEqual({
      ram_usage_gb: size / 1024 ** 3,
      ram_capacity_gb: 1000 / 1024 ** 3,
      temp_disk_usage_mb: size / 1024 ** 2,
      stored_keys_count: 2,
      ram_usage_bytes: size,
      ram_capacity_bytes: 1000,
      disk_usage_bytes: size,
    })
  })

  it('a value larger than the whole RAM tier goes straight to disk', async () => {
    const ctx = await store.create()
    await ctx.save('huge', bigString(5000))
    expect(ctx.getStorageInfo('huge').storage_type).toBe('disk')
    expect(ctx.getUsage().ram_usage_bytes).toBe(0)
    expect(toJs(await ctx.load('huge'))).toHaveLength(5000)
  })

  it('derives capacity from workflow_context.json like the original', () => {
    const config = loadWorkflowContextConfig()
    expect(config).toEqual({ MAX_RAM_PERCENT: 50, MAX_RAM_GB: 32, CONTEXTS_DIR_NAME: 'contexts' })
    expect(ramCapacityBytes(config, 8 * 1024 ** 3)).toBe(4 * 1024 ** 3)
    expect(ramCapacityBytes({ MAX_RAM_GB: 3, CONTEXTS_DIR_NAME: 'c' })).toBe(3 * 1024 ** 3)
  })
})

describe('receipts: master and worker', () => {
  it('a run reads the snapshot it began with and commits everything at once', async () => {
    const ctx = await store.create({ ramCapacityBytes: 1_000_000 })
    await ctx.save('seed', fromJs(1))
    const receipt = await ctx.beginRun('run-A')
    await ctx.save('seed', fromJs(2)) // the master moves on
    expect(toJs(await receipt.load('seed'))).toBe(1)
    receipt.stage('out', fromJs('image data'))
    receipt.stage('seed', fromJs(3))
    expect(ctx.has('out')).toBe(false)
    await receipt.commit()
    expect(toJs(await ctx.load('seed'))).toBe(3)
    expect(ctx.meta('out')!.producer).toBe('run-A')
    // The receipts (what GET /api/contexts/:id/receipts answers).
    expect(ctx.recentRuns()).toEqual([
      expect.objectContaining({ runId: 'run-A', read: ['seed'], wrote: ['out', 'seed'] }),
    ])
    expect(ctx.meta('out')).toMatchObject({ comfyType: 'STRING', passBy: 'val', producer: 'run-A' })
  })

  it('a discarded (failed) run commits nothing', async () => {
    const ctx = await store.create()
    await ctx.save('seed', fromJs(1))
    const receipt = await ctx.beginRun('run-B')
    receipt.stage('seed', fromJs(99))
    receipt.stage('out', fromJs('x'))
    await receipt.discard()
    expect(toJs(await ctx.load('seed'))).toBe(1)
    expect(ctx.has('out')).toBe(false)
    await expect(receipt.commit()).rejects.toThrow(/already ended/)
  })

  it('keeps a spilled file a receipt still reads until the receipt ends', async () => {
    const ctx = await store.create()
    await ctx.save('a', bigString(900, 'a'))
    await ctx.save('b', bigString(900, 'b')) // a spills to disk
    const receipt = await ctx.beginRun('run-C')
    await ctx.save('a', bigString(900, 'A')) // new version; the old file is pinned
    expect(toJs(await receipt.load('a'))).toBe('a'.repeat(900))
    await receipt.discard()
    expect(readdirSync(join(ctx.dir, 'values')).length).toBeLessThanOrEqual(2)
  })

  it('concurrent writers never lose an update', async () => {
    const ctx = await store.create({ ramCapacityBytes: 10_000_000 })
    await Promise.all(Array.from({ length: 50 }, (_, i) => ctx.save(`k${i}`, fromJs(i))))
    await Promise.all([
      ...Array.from({ length: 50 }, (_, i) => ctx.save(`k${i}`, fromJs(i * 10))),
      ...Array.from({ length: 50 }, (_, i) => ctx.load(`k${i}`)),
    ])
    const values = await Promise.all(Array.from({ length: 50 }, (_, i) => ctx.load(`k${i}`)))
    expect(values.map(toJs)).toEqual(Array.from({ length: 50 }, (_, i) => i * 10))
    const versions = new Set(ctx.allMeta().map((m) => m.version))
    expect(versions.size).toBe(50)
    expect(ctx.allMeta()).toHaveLength(50)
    expect(ctx.meta('k49')!.version).toBe(100)
  })
})

describe('durability and clean-up', () => {
  it('a durable context survives SIGKILL of its bridge; ephemeral leftovers are removed at the next start', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'durableChild.ts'), root, PNG],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let err = ''
    child.stderr.on('data', (d) => (err += String(d)))
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('ready') && resolve())
      child.on('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)))
    })
    child.kill('SIGKILL')
    await new Promise((r) => child.on('exit', r))
    expect(existsSync(join(root, 'contexts', 'scratch'))).toBe(true)

    const next = new ContextStore({ root, ramCapacityBytes: 1024 * 1024 })
    const found = await next.init()
    expect(found).toEqual({ durable: ['keep-me'], removed: ['scratch'] })
    expect(existsSync(join(root, 'contexts', 'scratch'))).toBe(false)
    const ctx = await next.open('keep-me')
    expect(ctx.listKeys().sort()).toEqual(['image', 'prompt', 'seed'])
    expect(toJs(await ctx.load('seed'))).toBe(43)
    expect(ctx.meta('seed')!.producer).toBe('run-1')
    const image = await ctx.load('image')
    expect(image.kind === 'image' && Buffer.from(image.frames[0]!).equals(png())).toBe(true)
    expect(ctx.recentRuns().map((r) => r.runId)).toEqual(['run-1'])
    await next.shutdown()
  })

  it('an ephemeral context made durable keeps every value, in RAM or spilled, through a crash of its bridge', async () => {
    const ctx = await store.create({ id: 'later-kept' })
    await ctx.save('small', fromJs('in RAM'))
    await ctx.save('huge', bigString(5000)) // larger than the RAM tier: on disk, written without fsync
    await ctx.save('first', bigString(600, 'a'))
    await ctx.save('second', bigString(600, 'b')) // spills "first"
    expect(ctx.durable).toBe(false)
    await ctx.makeDurable()
    expect(ctx.durable).toBe(true)
    expect(ctx.summary().durable).toBe(true)
    await ctx.save('after', fromJs(7)) // written through from now on

    // A second store on the same folder, the first never shut down: what a restart after SIGKILL finds.
    const next = new ContextStore({ root, ramCapacityBytes: 1000 })
    expect((await next.init()).durable).toEqual(['later-kept'])
    const back = await next.open('later-kept')
    expect(back.listKeys().sort()).toEqual(['after', 'first', 'huge', 'second', 'small'])
    expect(toJs(await back.load('small'))).toBe('in RAM')
    expect(toJs(await back.load('huge'))).toBe('x'.repeat(5000))
    expect(toJs(await back.load('first'))).toBe('a'.repeat(600))
    expect(toJs(await back.load('second'))).toBe('b'.repeat(600))
    expect(toJs(await back.load('after'))).toBe(7)
    await next.shutdown()
  })

  it('close removes all RAM and disk data', async () => {
    const ctx: Context = await store.create()
    await ctx.save('a', bigString(5000))
    await store.close(ctx.id)
    expect(existsSync(ctx.dir)).toBe(false)
    await expect(ctx.load('a')).rejects.toThrow(/closed/)
  })
})

describe('export_data', () => {
  it('writes files that open as the right format', async () => {
    const ctx = await store.create({ ramCapacityBytes: 10_000_000 })
    const out = mkdtempSync(join(tmpdir(), 'discomfort-export-'))
    await ctx.save('img', imageFromPngs([png(), png()]))
    await ctx.save('lat', latentFromBytes(readFileSync(LATENT)))
    await ctx.save('cfg', fromJs({ steps: 20 }))
    await ctx.save('model', {
      kind: 'ref',
      recipe: {
        prompt: { '1': { class_type: 'DiscomfortTestModelLoader', inputs: { model_name: 'm' } } },
        output: ['1', 0],
        type: 'MODEL',
      },
    })
    const images = await exportValue(await ctx.load('img'), join(out, 'frames.png'))
    expect(images).toEqual([join(out, 'frames.png'), join(out, 'frames_1.png')])
    expect(decodePng(readFileSync(images[1]!))).toMatchObject({ width: 64, height: 48 })
    const [lat] = await exportValue(await ctx.load('lat'), join(out, 'x.latent'))
    expect(decodeLatent(readFileSync(lat!)).shape).toEqual([1, 4, 8, 8])
    const [json] = await exportValue(await ctx.load('cfg'), join(out, 'cfg.json'))
    expect(JSON.parse(readFileSync(json!, 'utf8'))).toEqual({ steps: 20 })
    const [recipe] = await exportValue(await ctx.load('model'), join(out, 'model.json'))
    const prompt = JSON.parse(readFileSync(recipe!, 'utf8'))
    expect(prompt['discomfort:output']).toEqual({
      class_type: 'PreviewAny',
      inputs: { source: ['1', 0] },
      _meta: { title: 'MODEL (from Discomfort)' },
    })
    await expect(exportValue(await ctx.load('cfg'), join(out, 'cfg.json'), false)).rejects.toThrow(/EEXIST/)
  })
})
