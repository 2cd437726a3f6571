/**
 * A sweep across two real CPU ComfyUI servers, one stopped (SIGKILL) mid-sweep:
 * its items go to the other, every item is done once, and every output is the
 * image that item asked for.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { decodePng } from '../../bridge/codec/png.js'
import type { SweepView } from '../../shared/protocol/index.js'
import type { ComfyTarget } from '../e2e/suite.js'
import { startRealComfy } from './startRealComfy.js'

const ROOT = resolve(import.meta.dirname, '../..')
let servers: ComfyTarget[] = []
let bridge: Bridge | undefined
afterAll(async () => {
  await bridge?.close()
  for (const s of servers) await s.close().catch(() => {})
})

it('a sweep over two real ComfyUIs survives losing one of them', async () => {
  servers = await Promise.all([startRealComfy(), startRealComfy()])
  bridge = await startBridge({
    port: 0,
    comfyUrl: servers[0]!.url,
    servers: [{ url: servers[1]!.url }],
    root: mkdtempSync(join(tmpdir(), 'sweep-real-')),
  })
  const workflow = JSON.parse(readFileSync(join(ROOT, 'examples', 'workflows', 'make_canvas.json'), 'utf8'))
  const colors = Array.from({ length: 24 }, (_, i) => (i * 10) << 16)
  const answer = await fetch(`${bridge.url}/api/sweeps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      workflows: [{ name: 'make_canvas.json', workflow }],
      base: { width: 512, height: 512 },
      vary: { color: colors },
    }),
  })
  const sweep = (await answer.json()) as SweepView
  const get = async () => (await (await fetch(`${bridge!.url}/api/sweeps/${sweep.id}`)).json()) as SweepView
  let killed = false
  let view = await get()
  while (view.status === 'running') {
    if (!killed && view.done >= 4) {
      killed = true
      await servers[1]!.close()
    }
    await new Promise((r) => setTimeout(r, 100))
    view = await get()
  }
  expect(killed).toBe(true)
  expect(view).toMatchObject({ status: 'finished', total: 24, done: 24, failed: 0 })
  const items = (await (await fetch(`${bridge.url}/api/sweeps/${sweep.id}/items`)).json()) as Array<{
    index: number
    inputs: { color: number }
    outputs: Array<{ key: string; file: string }>
    server: string
    failures?: Array<{ server: string }>
  }>
  for (const item of items) {
    const png = decodePng(readFileSync(join(view.folder, item.outputs.find((o) => o.key === 'canvas')!.file)))
    expect([png.width, png.height, png.rgba[0]]).toEqual([512, 512, item.inputs.color >> 16])
  }
  const lines = readFileSync(join(view.folder, 'manifest.jsonl'), 'utf8').trim().split('\n')
  expect(lines).toHaveLength(24)
  expect(bridge.pool.list()[1]).toMatchObject({ up: false })
  // The second server had work: it finished items before it went, or the item it held was retried on the first.
  const second = bridge.pool.list()[1]!.label
  expect(items.some((i) => i.server === second || (i.failures ?? []).some((f) => f.server === second))).toBe(true)
}, 600_000)
