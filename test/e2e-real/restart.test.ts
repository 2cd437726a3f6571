/**
 * The real ComfyUI stopped mid-run and mid-sweep and started again on the same
 * address: it comes back with an empty queue and history (it keeps none across
 * a restart), the bridge finds its prompts lost and submits them again, and
 * every run and item ends done, each committed once.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { decodePng } from '../../bridge/codec/png.js'
import type { RunView, SweepView } from '../../shared/protocol/index.js'
import type { ComfyTarget } from '../e2e/suite.js'
import { startRealComfy } from './startRealComfy.js'

const ROOT = resolve(import.meta.dirname, '../..')
const canvas = JSON.parse(readFileSync(join(ROOT, 'examples', 'workflows', 'make_canvas.json'), 'utf8'))
let comfy: ComfyTarget
let bridge: Bridge
let port: number

beforeAll(async () => {
  comfy = await startRealComfy()
  port = Number(new URL(comfy.url).port)
  // A real ComfyUI on the CPU takes a while to start again: the bridge waits that long for it before
  // giving a prompt up as stopped (the default is 5 s, for a server that is gone).
  bridge = await startBridge({
    port: 0,
    comfyUrl: comfy.url,
    root: mkdtempSync(join(tmpdir(), 'restart-real-')),
    comfyBounds: { lostAfterMs: 180_000 },
  })
}, 240_000)
afterAll(async () => {
  await bridge?.close()
  await comfy?.close()
})

const api = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
  (await (
    await fetch(`${bridge.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
  ).json()) as T

/** Stop the real ComfyUI and start it again at the same address. */
async function restartComfy(): Promise<void> {
  await comfy.close()
  comfy = await startRealComfy({ port })
}

it('a run whose prompt the restart forgot is submitted again and committed once', async () => {
  const ctx = (await api<{ id: string }>('POST', '/contexts', {})).id
  // Large enough that ComfyUI is still at it (saving a 3072² PNG on the CPU) when it is stopped.
  const run = await api<RunView>('POST', '/runs', {
    workflows: [{ name: 'make_canvas.json', workflow: canvas }],
    inputs: { width: 3072, height: 3072, color: 0x336699 },
    context: ctx,
  })
  // Stopped once ComfyUI has it (it runs its nodes), so the prompt is in ComfyUI when ComfyUI goes.
  let view = run
  while (!(view.events ?? []).some((e) => e.type === 'node')) {
    await new Promise((r) => setTimeout(r, 20))
    view = await api<RunView>('GET', `/runs/${run.id}?events=1`)
  }
  expect(view.status).toBe('running')
  await restartComfy()
  while (view.status === 'running' || view.status === 'queued') {
    await new Promise((r) => setTimeout(r, 200))
    view = await api<RunView>('GET', `/runs/${run.id}`)
  }
  expect(view, JSON.stringify(view.error)).toMatchObject({ status: 'succeeded', resubmitted: 1 })
  // Committed once: one commit into the context wrote the canvas.
  const commits = (await api<{ runs: Array<{ wrote: string[] }> }>('GET', `/contexts/${ctx}`)).runs
  expect(commits.filter((r) => r.wrote.includes('canvas'))).toHaveLength(1)
  const png = decodePng(
    new Uint8Array(await (await fetch(`${bridge.url}/api/contexts/${ctx}/values/canvas?format=raw`)).arrayBuffer()),
  )
  expect([png.width, png.height, ...png.rgba.subarray(0, 3)]).toEqual([3072, 3072, 0x33, 0x66, 0x99])
}, 600_000)

it('a sweep whose running item the restart forgot: every item ends done, each committed once', async () => {
  const sweep = await api<SweepView>('POST', '/sweeps', {
    workflows: [{ name: 'make_canvas.json', workflow: canvas }],
    base: { width: 1536, height: 1536 },
    vary: { color: [0x110000, 0x220000, 0x330000, 0x440000, 0x550000, 0x660000] },
  })
  let view = sweep
  let restarted = false
  while (view.status === 'running') {
    if (!restarted && view.done >= 2 && view.running > 0) {
      restarted = true
      await restartComfy()
    }
    await new Promise((r) => setTimeout(r, 100))
    view = await api<SweepView>('GET', `/sweeps/${sweep.id}`)
  }
  expect(restarted).toBe(true)
  expect(view).toMatchObject({ status: 'finished', total: 6, done: 6, failed: 0 })
  const items = await api<Array<{ inputs: { color: number }; outputs: Array<{ key: string; file: string }> }>>(
    'GET',
    `/sweeps/${sweep.id}/items`,
  )
  for (const item of items) {
    const png = decodePng(readFileSync(join(view.folder, item.outputs.find((o) => o.key === 'canvas')!.file)))
    expect(png.rgba[0]).toBe(item.inputs.color >> 16)
  }
  const lines = readFileSync(join(view.folder, 'manifest.jsonl'), 'utf8').trim().split('\n')
  expect(new Set(lines.map((l) => (JSON.parse(l) as { index: number }).index)).size).toBe(6)
  expect(lines).toHaveLength(6)
}, 900_000)
