/**
 * Sweeps on a pool of stand-in servers, in process: items spread over the
 * servers, each with its own inputs and outputs; outputs as files with a
 * manifest; the master context untouched unless asked; a server that stops
 * answering mid-sweep has its items retried elsewhere and every item
 * committed once; affinity keeps each model on one server.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import type { SweepEvent, SweepItem, SweepView } from '../../shared/protocol/index.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { port } from '../helpers/prompts.js'

const concat: ApiPrompt = {
  '1': port('text'),
  '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
  '3': port('out', ['2', 0]),
}

let standIns: ComfyStandIn[] = []
let bridge: Bridge | undefined
afterEach(async () => {
  await bridge?.close()
  bridge = undefined
  for (const s of standIns) await s.close().catch(() => {})
  standIns = []
})

async function setUp(n: number, promptDelayMs: number): Promise<Bridge> {
  standIns = await Promise.all(Array.from({ length: n }, () => startComfyStandIn({ promptDelayMs })))
  bridge = await startBridge({
    port: 0,
    comfyUrl: standIns[0]!.url,
    servers: standIns.slice(1).map((s) => ({ url: s.url })),
    root: mkdtempSync(join(tmpdir(), 'sweep-')),
  })
  return bridge
}

async function post<T>(b: Bridge, path: string, body: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${b.url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as T }
}

/** Follow a sweep's events to its end; returns the items as they were last reported, and every item event's status. */
async function follow(
  b: Bridge,
  id: string,
  query = '',
): Promise<{ items: Map<number, SweepItem>; end: SweepView; statuses: string[] }> {
  const res = await fetch(`${b.url}/api/sweeps/${id}/events${query}`)
  const text = await res.text()
  const items = new Map<number, SweepItem>()
  const statuses: string[] = []
  let end: SweepView | undefined
  for (const block of text.split('\n\n')) {
    const data = block.split('\n').find((l) => l.startsWith('data: '))
    if (!data) continue
    const e = JSON.parse(data.slice(6)) as SweepEvent
    if (e.type === 'item') {
      items.set(e.item.index, e.item)
      statuses.push(e.item.status)
    } else end = e.sweep
  }
  return { items, end: end!, statuses }
}

const sorted = (items: Map<number, SweepItem>) => [...items.values()].sort((a, b) => a.index - b.index)

describe('a sweep over a pool', () => {
  it('runs every combination on both servers, writes each item’s outputs and a manifest, and leaves the master alone', async () => {
    const b = await setUp(2, 30)
    const ctx = await b.store.create({ durable: true })
    await ctx.save('untouched', { kind: 'string', value: 'master value' })
    const { status, json: sweep } = await post<SweepView>(b, '/sweeps', {
      workflows: [{ name: 'concat.json', workflow: concat }],
      context: ctx.id,
      vary: { text: ['a', 'b', 'c', 'd', 'e', 'f'] },
    })
    expect(status).toBe(202)
    expect(sweep).toMatchObject({ total: 6, status: 'running', contextId: ctx.id })
    const { items, end } = await follow(b, sweep.id)
    expect(end).toMatchObject({ status: 'finished', done: 6, failed: 0 })
    expect(sorted(items).map((i) => [i.index, i.inputs.text, i.status])).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((t, i) => [i, t, 'done']),
    )
    for (const item of items.values()) {
      const out = item.outputs!.find((o) => o.key === 'out')!
      expect(JSON.parse(readFileSync(join(end.folder, out.file), 'utf8'))).toBe(`${item.inputs.text}!`)
      // A small plain output travels with its item's event: a client writes it without asking for the file.
      expect(out.value).toBe(`${item.inputs.text}!`)
    }
    expect(new Set([...items.values()].map((i) => i.server))).toEqual(new Set(b.pool.list().map((s) => s.label)))
    const manifest = readFileSync(join(end.folder, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(manifest.map((m) => m.index).sort()).toEqual([0, 1, 2, 3, 4, 5])
    expect(ctx.listKeys()).toEqual(['untouched'])
  })

  it('a follower that shows no progress is sent each item once, when it is finished (?finished=1)', async () => {
    const b = await setUp(2, 30)
    const { json: sweep } = await post<SweepView>(b, '/sweeps', {
      workflows: [{ name: 'concat.json', workflow: concat }],
      vary: { text: ['a', 'b', 'c', 'd', 'e', 'f'] },
    })
    const [all, finished] = await Promise.all([follow(b, sweep.id), follow(b, sweep.id, '?finished=1')])
    expect(all.statuses).toContain('running')
    expect(finished.statuses).toEqual(['done', 'done', 'done', 'done', 'done', 'done'])
    expect(finished.end).toMatchObject({ status: 'finished', done: 6 })
  })

  it('commits outputs to the master as <key>.<n> when asked; a cartesian product over two keys', async () => {
    const b = await setUp(1, 0)
    const ctx = await b.store.create({ durable: true })
    const { json: sweep } = await post<SweepView>(b, '/sweeps', {
      workflows: [{ name: 'concat.json', workflow: concat }],
      context: ctx.id,
      base: { unused: 1 },
      vary: { text: ['x', 'y'], other: [1, 2] },
      commit_to_context: true,
    })
    const { end, items } = await follow(b, sweep.id)
    expect(end.done).toBe(4)
    expect(sorted(items).map((i) => i.inputs)).toEqual([
      { unused: 1, text: 'x', other: 1 },
      { unused: 1, text: 'x', other: 2 },
      { unused: 1, text: 'y', other: 1 },
      { unused: 1, text: 'y', other: 2 },
    ])
    expect(ctx.listKeys().sort()).toEqual(['out.0', 'out.1', 'out.2', 'out.3'])
    expect(await ctx.load('out.2')).toEqual({ kind: 'string', value: 'y!' })
  })

  it('refuses a bad sweep with the reason, recording nothing', async () => {
    const b = await setUp(1, 0)
    const { status, json } = await post<{ error: { message: string } }>(b, '/sweeps', {
      workflows: [{ name: 'concat.json', workflow: concat }],
      vary: { text: ['a'] },
      items: [{ text: 'b' }],
    })
    expect(status).toBe(400)
    expect(json.error.message).toMatch(/POST \/api\/sweeps.*either "vary".*or "items"/)
    expect((await (await fetch(`${b.url}/api/sweeps`)).json()) as unknown[]).toEqual([])
  })

  it('a server that stops mid-sweep: its items go to the other, each committed once', async () => {
    const b = await setUp(2, 60)
    const { json: sweep } = await post<SweepView>(b, '/sweeps', {
      workflows: [{ name: 'concat.json', workflow: concat }],
      vary: { text: Array.from({ length: 30 }, (_, i) => `t${i}`) },
    })
    setTimeout(() => void standIns[1]!.close(), 400)
    const { end, items } = await follow(b, sweep.id)
    expect(end).toMatchObject({ status: 'finished', done: 30, failed: 0 })
    const retried = [...items.values()].filter((i) => (i.failures ?? []).length > 0)
    expect(retried.length).toBeGreaterThan(0)
    for (const i of retried) expect(i.server).toBe(b.pool.list()[0]!.label)
    const manifest = readFileSync(join(end.folder, 'manifest.jsonl'), 'utf8').trim().split('\n')
    expect(manifest).toHaveLength(30)
    expect(b.pool.list()[1]).toMatchObject({ up: false })
  })

  it('pause and resume: a paused server gets no new item (what it runs finishes), the whole pool paused holds every item until resumed', async () => {
    const b = await setUp(2, 40)
    const [first, second] = b.pool.list().map((s) => s.label) as [string, string]
    const paused = await post<Array<{ label: string; paused: boolean }>>(b, `/servers/${second}/pause`, {})
    expect(paused.status).toBe(200)
    expect(paused.json.find((s) => s.label === second)).toMatchObject({ paused: true })
    expect((await post(b, '/servers/no-such-server/pause', {})).status).toBe(404)
    const { json: sweep } = await post<SweepView>(b, '/sweeps', {
      workflows: [{ name: 'concat.json', workflow: concat }],
      vary: { text: Array.from({ length: 6 }, (_, i) => `p${i}`) },
    })
    const { end, items } = await follow(b, sweep.id)
    expect(end).toMatchObject({ status: 'finished', done: 6 })
    expect(new Set([...items.values()].map((i) => i.server))).toEqual(new Set([first]))
    // The whole pool paused: a new sweep waits, nothing runs, until the pool is resumed.
    await post(b, `/servers/${second}/resume`, {})
    await post(b, '/servers/pause', {})
    expect(b.pool.list().every((s) => s.paused)).toBe(true)
    const { json: held } = await post<SweepView>(b, '/sweeps', {
      workflows: [{ name: 'concat.json', workflow: concat }],
      vary: { text: ['h0', 'h1', 'h2', 'h3'] },
    })
    await new Promise((r) => setTimeout(r, 500))
    const waiting = (await (await fetch(`${b.url}/api/sweeps/${held.id}`)).json()) as SweepView
    expect(waiting).toMatchObject({ status: 'running', done: 0 })
    await post(b, '/servers/resume', {})
    const after = await follow(b, held.id)
    expect(after.end).toMatchObject({ status: 'finished', done: 4 })
    expect(new Set([...after.items.values()].map((i) => i.server)).size).toBe(2)
  })

  it('affinity: 4 models over 4 servers load each model about once per server, not once per item', async () => {
    const b = await setUp(4, 5)
    const modelRun: ApiPrompt = {
      '1': port('model_name'),
      '2': { class_type: 'DiscomfortTestModelLoader', inputs: { model_name: ['1', 0] } },
      '3': { class_type: 'EmptyImage', inputs: { width: 4, height: 4, batch_size: 1, color: 0 } },
      '4': port('strength'),
      '5': { class_type: 'DiscomfortTestModelApply', inputs: { model: ['2', 0], image: ['3', 0], strength: ['4', 0] } },
      '6': port('image', ['5', 0]),
    }
    const models = ['m-a', 'm-b', 'm-c', 'm-d']
    const { json: sweep } = await post<SweepView>(b, '/sweeps', {
      workflows: [{ name: 'model.json', workflow: modelRun }],
      // Interleaved: round-robin would give every server every model in turn.
      items: Array.from({ length: 80 }, (_, i) => ({ model_name: models[i % 4]!, strength: 0.5 })),
    })
    const { end, items } = await follow(b, sweep.id)
    expect(end.done).toBe(80)
    const loads = standIns.reduce((n, s) => n + s.modelLoads, 0)
    expect(loads).toBeLessThanOrEqual(16)
    expect([...items.values()].filter((i) => i.reason?.startsWith('affinity')).length).toBeGreaterThan(40)
  })

  it('servers are added and removed over the API while it runs; one that answers again is taken back', async () => {
    const b = await setUp(1, 20)
    const extra = await startComfyStandIn({ promptDelayMs: 20 })
    standIns.push(extra)
    const { status, json: added } = await post<Array<{ label: string }>>(b, '/servers', {
      url: extra.url,
      label: 'gpu-2',
      max_queued: 2,
    })
    expect(status).toBe(201)
    expect(added[0]).toMatchObject({ label: 'gpu-2', maxQueued: 2, up: true })
    const bad = await post<{ error: { message: string } }>(b, '/servers', { url: 'ftp://nowhere' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toMatch(/url: a ComfyUI address/)

    const { json: sweep } = await post<SweepView>(b, '/sweeps', {
      workflows: [{ name: 'concat.json', workflow: concat }],
      vary: { text: Array.from({ length: 12 }, (_, i) => `t${i}`) },
    })
    const { items } = await follow(b, sweep.id)
    expect(new Set([...items.values()].map((i) => i.server))).toContain('gpu-2')

    const removed = await fetch(`${b.url}/api/servers/gpu-2`, { method: 'DELETE' })
    expect(((await removed.json()) as Array<{ label: string }>).map((s) => s.label)).not.toContain('gpu-2')
    expect((await fetch(`${b.url}/api/servers/gpu-2`, { method: 'DELETE' })).status).toBe(404)
  })

  it('a server that was out answers again and is taken back', async () => {
    const b = await setUp(2, 0)
    const second = b.pool.list()[1]!
    b.pool.markDown(second.label, 'test: it stopped answering')
    expect(b.pool.list()[1]).toMatchObject({ up: false, lastError: 'test: it stopped answering' })
    for (let i = 0; i < 60 && !b.pool.list()[1]!.up; i++) await new Promise((r) => setTimeout(r, 100))
    expect(b.pool.list()[1]).toMatchObject({ up: true })
  })
})
