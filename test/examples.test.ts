import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Discomfort } from '../bridge/index.js'
import { conditionalBranch } from '../examples/conditionalBranch.js'
import { feedbackLoop } from '../examples/feedbackLoop.js'
import { parameterSweep } from '../examples/parameterSweep.js'
import { partialWorkflows } from '../examples/partialWorkflows.js'
import { referenceReuse } from '../examples/referenceReuse.js'
import { freePort } from './helpers/net.js'
import { startComfyStandIn, type ComfyStandIn } from './comfyStandIn/server.js'

let comfy: ComfyStandIn
let d: Discomfort
let out: string

beforeAll(async () => {
  comfy = await startComfyStandIn()
  const port = await freePort()
  d = await Discomfort.create({
    bridgeUrl: `http://127.0.0.1:${port}`,
    comfyUrl: comfy.url,
    bridge: { root: mkdtempSync(join(tmpdir(), 'examples-')) },
  })
  out = mkdtempSync(join(tmpdir(), 'examples-out-'))
})
afterAll(async () => {
  await d.shutdown()
  await comfy.close()
})

describe('the examples run on a bare ComfyUI (the stand-in)', () => {
  it('parameter sweep', async () => {
    const results = await parameterSweep(d, out)
    expect(results.map((r) => r.size)).toEqual(['16×16', '32×32', '64×64', '128×128'])
    for (const r of results) expect(existsSync(r.file)).toBe(true)
  })

  it('feedback loop', async () => {
    const r = await feedbackLoop(d, out)
    expect(r).toMatchObject({ iterations: 3, from: '256×256', to: '32×32' })
  })

  it('partial workflows, sequential and stitched, agree', async () => {
    const r = await partialWorkflows(d, out)
    // 8-bit PNG truncates like ComfyUI's savers: inverting 0x80 gives 126, one step below 127.
    expect(r.sequential).toEqual([255 - 0x20, 255 - 0x40, 255 - 0x80 - 1])
    expect(r.stitched).toEqual(r.sequential)
  })

  it('conditional branch', async () => {
    expect(await conditionalBranch(d, out, 256)).toEqual({
      branch: 'thumbnail.json',
      caption: 'Hello, big canvas',
      size: '64×32',
    })
    expect(await conditionalBranch(d, out, 64)).toEqual({
      branch: 'negate.json',
      caption: 'Hello, small canvas',
      size: '64×128',
    })
  })

  it('reference reuse: the base recipe is served from ComfyUI cache after the first run', async () => {
    const r = await referenceReuse(d, out)
    expect(r.map((x) => x.size)).toEqual(['256×256', '128×128', '64×64'])
    expect(r[0]!.cachedNodes).toBe(0)
    // EmptyImage, ImageScaleBy and ImageInvert of the recipe are reused.
    expect(r[1]!.cachedNodes).toBeGreaterThanOrEqual(3)
    expect(r[2]!.cachedNodes).toBeGreaterThanOrEqual(3)
  })
})
