import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from '../helpers/net.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Discomfort } from '../../bridge/client/discomfort.js'
import { decodePng } from '../../bridge/codec/png.js'
import { ComfyHttp } from '../../bridge/comfy/comfyHttp.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'

let comfy: ComfyStandIn
beforeAll(async () => {
  comfy = await startComfyStandIn()
})
afterAll(async () => {
  await comfy.close()
})

const root = () => mkdtempSync(join(tmpdir(), 'discomfort-client-'))

const scale: ApiPrompt = {
  '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'image' } },
  '2': { class_type: 'DiscomfortPort', inputs: { unique_id: 'factor' } },
  '3': { class_type: 'ImageScaleBy', inputs: { image: ['1', 0], upscale_method: 'nearest-exact', scale_by: ['2', 0] } },
  '4': { class_type: 'DiscomfortPort', inputs: { unique_id: 'image', input_data: ['3', 0] } },
  '5': { class_type: 'PrimitiveString', inputs: { value: 'scaled' } },
  '6': { class_type: 'DiscomfortPort', inputs: { unique_id: 'note', input_data: ['5', 0] } },
}

describe('Discomfort (the TypeScript client)', () => {
  it('starts a bridge in-process when none answers, and runs a loop through a context', async () => {
    const port = await freePort()
    const d = await Discomfort.create({
      bridgeUrl: `http://127.0.0.1:${port}`,
      comfyUrl: comfy.url,
      bridge: { root: root() },
    })
    expect(d.bridge).toBeDefined()
    expect(d.url).toBe(`http://127.0.0.1:${port}`)
    {
      await using ctx = d.Context()
      await ctx.save('image', d.Tools.solidImage(64, 32, [10, 20, 30]))
      const events: string[] = []
      const out = await d.run([{ name: 'scale.json', workflow: scale }], {
        context: ctx,
        inputs: { factor: 0.5 },
        iterations: 2,
        onProgress: (e) => events.push(e.type),
      })
      expect(out.note).toBe('scaled')
      const image = out.image as { kind: string; width: number; height: number }
      expect([image.kind, image.width, image.height]).toEqual(['image', 16, 8])
      expect(events.filter((e) => e === 'workflow-finished')).toHaveLength(2)
      expect(await ctx.load('factor')).toBe(0.5)
      expect((await ctx.listKeys()).sort()).toEqual(['factor', 'image', 'note'])
      expect(await ctx.getUsage()).toMatchObject({ stored_keys_count: 3 })
      expect(await ctx.getStorageInfo('image')).toMatchObject({
        storage_type: 'ram',
        comfy_type: 'IMAGE',
        pass_by: 'val',
      })
      const dir = root()
      const [file] = await ctx.exportData('image', join(dir, 'out.png'))
      expect(decodePng(readFileSync(file!))).toMatchObject({ width: 16, height: 8 })
      const written = await d.Tools.saveComfyImageToDisk(image as never, join(dir, 'again.png'))
      expect(existsSync(written[0]!)).toBe(true)
      const opened = await d.Tools.openImage(written[0]!)
      expect(d.Tools.describeImage(opened)).toEqual({ width: 16, height: 8, frames: 1 })
    }
    // `await using` closed the context.
    expect(d.bridge!.store.list()).toEqual([])
    await d.shutdown()
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow()
  })

  it('uses a bridge that is already running, and reports failures with the bridge message', async () => {
    const first = await Discomfort.create({
      bridgeUrl: `http://127.0.0.1:${await freePort()}`,
      comfyUrl: comfy.url,
      bridge: { root: root() },
    })
    const second = await Discomfort.create({ bridgeUrl: first.url })
    try {
      expect(second.bridge).toBeUndefined()
      const ctx = second.Context({ name: 'shared' })
      await ctx.save('greeting', 'hi')
      expect(first.bridge!.store.get(await ctx.id())!.listKeys()).toEqual(['greeting'])
      const error = await second.run([{ name: 'scale.json', workflow: scale }], { context: ctx }).catch((e: Error) => e)
      expect(error).toBeInstanceOf(Error)
      // Both of its INPUT ports are missing: the bridge's message names them at once.
      expect((error as Error).message).toMatch(
        /scale\.json: 2 INPUT ports need values the context does not hold: "image" \(node 1\), "factor" \(node 2\)/,
      )
      await ctx.close()
    } finally {
      await first.shutdown()
    }
  })

  it('with embedded: false, says how to start a bridge', async () => {
    const e = await Discomfort.create({ bridgeUrl: `http://127.0.0.1:${await freePort()}`, embedded: false }).catch(
      (err: Error) => err,
    )
    expect((e as Error).message).toMatch(/No Discomfort bridge answers at .* Start one with: npx discomfort bridge/)
  })

  it('starts ComfyUI with the configured command when it is not running, and stops it at shutdown', async () => {
    const comfyPort = await freePort()
    const comfyUrl = `http://127.0.0.1:${comfyPort}`
    const main = resolve(import.meta.dirname, '../comfyStandIn/main.ts')
    const d = await Discomfort.create({
      bridgeUrl: `http://127.0.0.1:${await freePort()}`,
      comfyUrl,
      comfyLaunch: { command: `"${process.execPath}" --import tsx "${main}"`, startTimeoutMs: 20_000 },
      bridge: { root: root() },
    })
    expect(d.bridge!.launched).toBeDefined()
    expect(await new ComfyHttp(comfyUrl).version()).toBe('0.3.54')
    const out = await d.run([
      {
        name: 'note.json',
        workflow: {
          '1': { class_type: 'PrimitiveString', inputs: { value: 'up' } },
          '2': { class_type: 'DiscomfortPort', inputs: { unique_id: 'note', input_data: ['1', 0] } },
        },
      },
    ])
    expect(out.note).toBe('up')
    await d.shutdown()
    await expect(new ComfyHttp(comfyUrl, { requestTimeoutMs: 1000 }).version()).rejects.toThrow(/not reachable/)
  })
})
