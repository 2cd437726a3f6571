/**
 * Runs on the stand-in playing the current ComfyUI (0.46): what only that
 * generation has and the bridge must follow (docs/comfyui-server-generations.md
 * §4, §14). Not part of the e2e suite: a real 0.3.75 has none of it.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ComfyHttp } from '../../bridge/comfy/comfyHttp.js'
import { decodePng } from '../../bridge/codec/png.js'
import { ServerPool } from '../../bridge/pool/serverPool.js'
import { Runner } from '../../bridge/runs/runner.js'
import { loadPassByRules } from '../../bridge/store/config.js'
import { ContextStore } from '../../bridge/store/contextStore.js'
import { imageFromPngs } from '../../bridge/values/valueFrom.js'
import type { UiWorkflow } from '../../shared/workflow/uiWorkflow.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { solidPng } from '../helpers/prompts.js'

let comfy: ComfyStandIn
let legacy: ComfyStandIn
let pool: ServerPool
let runner: Runner
let store: ContextStore

beforeAll(async () => {
  ;[comfy, legacy] = await Promise.all([startComfyStandIn({ profile: 'current' }), startComfyStandIn()])
  pool = new ServerPool([{ url: comfy.url }], { client: { pollIntervalMs: 50 } })
  runner = new Runner(pool, loadPassByRules())
  store = new ContextStore({ root: mkdtempSync(join(tmpdir(), 'discomfort-current-')), ramCapacityBytes: 50_000_000 })
  await store.init()
})
afterAll(async () => {
  pool.close()
  await store.shutdown()
  await Promise.all([comfy.close(), legacy.close()])
})

/** port "image" → ResizeImagesByLongerEdge (16) → port "resized", saved by a frontend from before the class was replaced. */
const resizeWorkflow: UiWorkflow = {
  last_node_id: 3,
  last_link_id: 2,
  nodes: [
    {
      id: 1,
      type: 'DiscomfortPort',
      mode: 0,
      inputs: [{ name: 'input_data', type: '*', link: null }],
      outputs: [{ name: 'output_data', type: '*', links: [1] }],
      properties: { 'Node name for S&R': 'DiscomfortPort' },
      widgets_values: ['image'],
    },
    {
      id: 2,
      type: 'ResizeImagesByLongerEdge',
      mode: 0,
      inputs: [{ name: 'images', type: 'IMAGE', link: 1 }],
      outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [2] }],
      properties: { 'Node name for S&R': 'ResizeImagesByLongerEdge' },
      widgets_values: [16],
    },
    {
      id: 3,
      type: 'DiscomfortPort',
      mode: 0,
      inputs: [{ name: 'input_data', type: '*', link: 2 }],
      outputs: [{ name: 'output_data', type: '*', links: [] }],
      properties: { 'Node name for S&R': 'DiscomfortPort' },
      widgets_values: ['resized'],
    },
  ],
  links: [
    [1, 1, 0, 2, 0, '*'],
    [2, 2, 0, 3, 0, 'IMAGE'],
  ],
}

describe('node replacements on the current ComfyUI', () => {
  it('the bridge reads the table where the server has one, and an empty one from 0.3.75 (404)', async () => {
    const table = await new ComfyHttp(comfy.url).nodeReplacements()
    expect(table.ResizeImagesByLongerEdge?.[0]).toMatchObject({
      new_node_id: 'ImageScaleToMaxDimension',
      old_widget_ids: ['longer_edge'],
    })
    expect(Object.keys(table)).toHaveLength(9)
    expect(await new ComfyHttp(legacy.url).nodeReplacements()).toEqual({})
  })

  it('a UI workflow naming a class the server replaced is converted to its replacement and runs', async () => {
    expect((await new ComfyHttp(comfy.url).objectInfo()).ResizeImagesByLongerEdge).toBeUndefined()
    const [loaded] = await runner.loadWorkflows([{ name: 'resize.json', workflow: resizeWorkflow }])
    expect(loaded!.replaced).toEqual([
      { nodeId: '2', from: 'ResizeImagesByLongerEdge', to: 'ImageScaleToMaxDimension' },
    ])
    expect(loaded!.prompt['2']).toMatchObject({
      class_type: 'ImageScaleToMaxDimension',
      inputs: { image: ['1', 0], largest_size: 16, upscale_method: 'lanczos' },
    })
    const ctx = await store.create()
    const result = await runner.run([{ name: 'resize.json', workflow: resizeWorkflow }], {
      context: ctx,
      inputs: { image: imageFromPngs([solidPng(64, 32, [200, 10, 10])]) },
    })
    const out = result.outputs.resized
    if (out?.kind !== 'image') throw new Error(`not an image: ${out?.kind}`)
    const png = decodePng(out.frames[0]!)
    expect([png.width, png.height]).toEqual([16, 8])
  })
})
