/**
 * Two bridges on one real Redis (Debian's redis-server, started here): a
 * context written through one is read through the other, and its pages hear
 * of it; a run's commit counts once whichever bridge makes it; a sweep is
 * worked on by both, every item committed once.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import type { RedisContext } from '../../bridge/cluster/redisContext.js'
import { fromJs, toJs } from '../../bridge/values/valueFrom.js'
import type { HubMessage, SweepItem, SweepView } from '../../shared/protocol/index.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { CONCAT as concat, SLOW as slow, solidPng } from '../helpers/prompts.js'
import { startRedis, type TestRedis } from '../helpers/redis.js'

let redis: TestRedis
let comfyA: ComfyStandIn
let comfyB: ComfyStandIn
let a: Bridge
let b: Bridge

const bridgeOn = (comfy: ComfyStandIn, name: string) =>
  startBridge({
    port: 0,
    comfyUrl: comfy.url,
    root: mkdtempSync(join(tmpdir(), `cluster-${name}-`)),
    redis: { url: redis.url, lockMs: 2000 },
    name,
  })

beforeAll(async () => {
  redis = await startRedis()
  comfyA = await startComfyStandIn()
  comfyB = await startComfyStandIn()
  a = await bridgeOn(comfyA, 'bridge-a')
  b = await bridgeOn(comfyB, 'bridge-b')
}, 30_000)
afterAll(async () => {
  await a?.close()
  await b?.close()
  await comfyA?.close()
  await comfyB?.close()
  await redis?.stop()
})

const api = async (bridge: Bridge, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${bridge.url}/api${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> }
}

describe('contexts shared through Redis', () => {
  it('a value written through one bridge is read through the other, and its pages hear of it', async () => {
    const created = await api(a, 'POST', '/contexts', { id: 'shared-1', name: 'shared' })
    expect(created).toMatchObject({ status: 201, body: { id: 'shared-1', durable: true } })
    const page = new WebSocket(`${b.url.replace('http', 'ws')}/api/ws`)
    const heard: HubMessage[] = []
    page.on('message', (d) => heard.push(JSON.parse(String(d)) as HubMessage))
    await new Promise((r) => page.on('open', r))

    await api(a, 'PUT', '/contexts/shared-1/values/greeting', { value: 'hello from A' })
    const png = solidPng(8, 8, [10, 200, 30])
    await fetch(`${a.url}/api/contexts/shared-1/values/picture`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: Buffer.from(png),
    })
    // Read through B at once (it reads Redis again when the context moved).
    expect((await api(b, 'GET', '/contexts/shared-1/values/greeting')).body).toMatchObject({
      value: { kind: 'string', value: 'hello from A' },
    })
    const raw = new Uint8Array(
      await (await fetch(`${b.url}/api/contexts/shared-1/values/picture?format=raw`)).arrayBuffer(),
    )
    expect(Buffer.from(raw).equals(Buffer.from(png))).toBe(true)
    const keys = (await api(b, 'GET', '/contexts/shared-1/keys')).body as unknown as Array<Record<string, unknown>>
    expect(keys.map((k) => [k.key, k.storageType]).sort()).toEqual([
      ['greeting', 'redis'],
      ['picture', 'redis'],
    ])
    for (let i = 0; i < 50 && !heard.some((m) => m.type === 'context-changed' && m.keys.includes('picture')); i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(
      heard.some((m) => m.type === 'context-changed' && m.context.id === 'shared-1' && m.keys.includes('picture')),
    ).toBe(true)

    // Renamed through A: B lists the new name, and its pages hear of it.
    expect((await api(a, 'PATCH', '/contexts/shared-1', { name: 'shared, renamed' })).status).toBe(200)
    expect((await api(b, 'GET', '/contexts/shared-1')).body).toMatchObject({ name: 'shared, renamed' })
    const renamed = (m: HubMessage) => m.type === 'context-changed' && m.context.name === 'shared, renamed'
    for (let i = 0; i < 50 && !heard.some(renamed); i++) await new Promise((r) => setTimeout(r, 20))
    expect(heard.some(renamed)).toBe(true)
    page.close()

    // Deleted through B: gone for A too; removed through A: gone for B.
    await api(b, 'DELETE', '/contexts/shared-1/values/greeting')
    expect((await api(a, 'GET', '/contexts/shared-1/values/greeting')).status).toBe(404)
    expect((await api(a, 'DELETE', '/contexts/shared-1')).status).toBe(204)
    expect((await api(b, 'GET', '/contexts/shared-1/keys')).status).toBe(404)
  })

  it("a run's commit counts once, whichever bridge makes it and however often", async () => {
    const onA = (await a.store.create({ id: 'once' })) as RedisContext
    await onA.save('n', fromJs(0))
    const onB = (await b.store.open('once')) as RedisContext
    // The same run committing through both bridges at the same moment (a job taken over while its first holder still ran).
    const [first, second] = await Promise.all([
      onA.commit([{ key: 'n', value: fromJs(1), options: {} }], { runId: 'run-7', read: ['n'] }),
      onB.commit([{ key: 'n', value: fromJs(2), options: {} }], { runId: 'run-7', read: ['n'] }),
    ])
    expect([first.committed, second.committed].sort()).toEqual([false, true])
    // The one that lost answers with what the winner committed.
    expect(first.metas[0]!.version).toBe(second.metas[0]!.version)
    expect(toJs(await onB.load('n'))).toBe(first.committed ? 1 : 2)
    expect(onB.recentRuns().filter((r) => r.runId === 'run-7')).toHaveLength(1)
    await a.store.close('once')
  })
})

describe('what the bridge says of its Redis', () => {
  it('warns at start when Redis answers before a commit is on disk, and not when it syncs first', async () => {
    const lax = await startRedis({ fsync: 'everysec' })
    const said: string[] = []
    const comfy = await startComfyStandIn()
    try {
      for (const url of [lax.url, redis.url]) {
        said.length = 0
        const bridge = await startBridge({
          port: 0,
          comfyUrl: comfy.url,
          root: mkdtempSync(join(tmpdir(), 'cluster-warn-')),
          redis: { url, prefix: 'warn' },
          log: (line) => said.push(line),
        })
        await bridge.close()
        const warning = said.find((l) => l.includes('appendfsync'))
        if (url === lax.url)
          expect(warning).toMatch(/appendfsync everysec.*can lose the last seconds.*set appendfsync always/)
        else expect(warning).toBeUndefined()
      }
    } finally {
      await comfy.close()
      await lax.stop()
    }
  })
})

describe('runs on BullMQ', () => {
  it('runs submitted to one bridge run on both; each client follows its run and reads its result there', async () => {
    const ran = async (comfy: ComfyStandIn) =>
      Object.keys((await (await fetch(`${comfy.url}/api/history`)).json()) as object).length
    const before = [await ran(comfyA), await ran(comfyB)]
    const ids: string[] = []
    for (let i = 0; i < 8; i++) {
      const ctx = `run-ctx-${i}`
      await api(a, 'POST', '/contexts', { id: ctx })
      const r = await api(a, 'POST', '/runs', { workflows: [concat], context: ctx, inputs: { text: `r${i}` } })
      expect(r.status).toBe(202)
      ids.push(String(r.body.id))
    }
    for (const [i, id] of ids.entries()) {
      const events = await (await fetch(`${a.url}/api/runs/${id}/events`)).text()
      expect(events).toMatch(/event: run-started/)
      expect(events).toMatch(/event: workflow-finished/)
      expect(events).toMatch(/event: run-finished/)
      const result = (await api(a, 'GET', `/runs/${id}/result`)).body
      expect(result.outputs).toEqual({ out: { kind: 'string', value: `r${i}!` } })
    }
    // Both bridges' ComfyUIs ran some of them.
    const [onA, onB] = [(await ran(comfyA)) - before[0]!, (await ran(comfyB)) - before[1]!]
    expect(onA).toBeGreaterThan(0)
    expect(onB).toBeGreaterThan(0)
    expect(onA + onB).toBe(8)
  })

  it('a failed run says why through the bridge that was asked; a cancelled one stops', async () => {
    const failed = await api(a, 'POST', '/runs', { workflows: [concat] })
    await (await fetch(`${a.url}/api/runs/${String(failed.body.id)}/events`)).text()
    expect((await api(a, 'GET', `/runs/${String(failed.body.id)}`)).body).toMatchObject({
      status: 'failed',
      error: { message: expect.stringMatching(/INPUT port "text" \(node 1\) needs "text"/) },
    })
    const running = await api(a, 'POST', '/runs', { workflows: [slow(300)] })
    const id = String(running.body.id)
    await new Promise((r) => setTimeout(r, 300))
    expect((await api(a, 'POST', `/runs/${id}/cancel`)).status).toBe(202)
    await (await fetch(`${a.url}/api/runs/${id}/events`)).text()
    expect((await api(a, 'GET', `/runs/${id}`)).body).toMatchObject({ status: 'cancelled' })
  })
})

/** A page on a bridge's WebSocket, keeping what it hears. */
async function pageOn(bridge: Bridge) {
  const ws = new WebSocket(`${bridge.url.replace('http', 'ws')}/api/ws`)
  const heard: HubMessage[] = []
  ws.on('message', (d) => heard.push(JSON.parse(String(d)) as HubMessage))
  await new Promise((r) => ws.on('open', r))
  const hear = async (what: string, test: (m: HubMessage) => boolean) => {
    for (let i = 0; i < 250 && !heard.some(test); i++) await new Promise((r) => setTimeout(r, 20))
    const found = heard.find(test)
    if (!found) throw new Error(`the page never heard ${what}`)
    return found
  }
  return { heard, hear, close: () => ws.close() }
}

describe('one run history for every bridge', () => {
  it('a run asked of one bridge is heard, listed, opened and run again through the other', async () => {
    const page = await pageOn(b)
    await api(a, 'POST', '/contexts', { id: 'history-1' })
    const asked = await api(a, 'POST', '/runs', {
      workflows: [concat],
      context: 'history-1',
      inputs: { text: 'first' },
    })
    const id = String(asked.body.id)
    // The page on B sees it start and end, though B never had it.
    await page.hear(
      'the run start',
      (m) => m.type === 'run-event' && m.event.runId === id && m.event.type === 'run-started',
    )
    const end = await page.hear(
      'the run end',
      (m) => m.type === 'run-event' && m.event.runId === id && m.event.type === 'run-finished',
    )
    expect(end).toMatchObject({ run: { id, status: 'succeeded', outputs: ['out'], contextId: 'history-1' } })
    page.close()
    // Listed and opened through B, as through A.
    const listed = (await api(b, 'GET', '/runs')).body as unknown as Array<Record<string, unknown>>
    expect(listed.find((r) => r.id === id)).toMatchObject({ status: 'succeeded', source: 'script', rerunnable: true })
    expect((await api(b, 'GET', `/runs/${id}`)).body).toMatchObject({ id, status: 'succeeded', outputs: ['out'] })
    // A page that connects to B now gets it in its hello.
    const later = await pageOn(b)
    const hello = await later.hear('hello', (m) => m.type === 'hello')
    expect(hello.type === 'hello' && hello.runs.some((r) => r.id === id)).toBe(true)
    later.close()
    // Changed through B and run again through B: the same workflow, the context's value as it is now.
    await api(b, 'PUT', '/contexts/history-1/values/text', { value: 'second' })
    const again = await api(b, 'POST', `/runs/${id}/rerun`, {})
    expect(again.status).toBe(202)
    await (await fetch(`${b.url}/api/runs/${String(again.body.id)}/events`)).text()
    expect((await api(a, 'GET', `/runs/${String(again.body.id)}`)).body).toMatchObject({ status: 'succeeded' })
    expect((await api(a, 'GET', '/contexts/history-1/values/out')).body).toMatchObject({
      value: { kind: 'string', value: 'second!' },
    })
  })

  it('a run asked of one bridge is cancelled through the other, and its events end there too', async () => {
    const asked = await api(a, 'POST', '/runs', { workflows: [slow(500)] })
    const id = String(asked.body.id)
    const followed = fetch(`${b.url}/api/runs/${id}/events`).then((r) => r.text())
    for (let i = 0; i < 100 && (await api(b, 'GET', `/runs/${id}`)).body.status !== 'running'; i++)
      await new Promise((r) => setTimeout(r, 20))
    const cancelled = await api(b, 'POST', `/runs/${id}/cancel`)
    expect(cancelled).toMatchObject({ status: 202, body: { cancelled: true } })
    // The stream opened on B ends with the run, which A holds.
    expect(await followed).toMatch(/event: run-failed/)
    expect((await api(a, 'GET', `/runs/${id}`)).body).toMatchObject({ status: 'cancelled' })
    expect((await api(b, 'GET', `/runs/${id}`)).body).toMatchObject({ status: 'cancelled' })
    // An ended run is not cancelled again.
    expect((await api(b, 'POST', `/runs/${id}/cancel`)).body).toMatchObject({ cancelled: false })
  })
})

describe('sweeps on BullMQ', () => {
  it("a sweep's concurrency holds across bridges: never more of its items at once than it says", async () => {
    const sleepy = {
      name: 'sleepy.json',
      workflow: {
        '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'text' } },
        '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 15, step_ms: 10 } },
        '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['2', 0] } },
      },
    }
    /** The most items of the sweep that ran at one moment, from their records. */
    const mostAtOnce = async (concurrency?: number) => {
      const res = await api(a, 'POST', '/sweeps', {
        workflows: [sleepy],
        vary: { text: Array.from({ length: 10 }, (_, i) => `c${i}`) },
        ...(concurrency ? { concurrency } : {}),
      })
      const id = String(res.body.id)
      await (await fetch(`${b.url}/api/sweeps/${id}/events`)).text()
      const items = (await api(a, 'GET', `/sweeps/${id}/items`)).body as unknown as SweepItem[]
      expect(items.map((i) => i.status)).toEqual(Array(10).fill('done'))
      const spans = items.map((i) => [Date.parse(i.startedAt!), Date.parse(i.finishedAt!)] as const)
      return Math.max(...spans.map(([t]) => spans.filter(([from, to]) => from <= t && t < to).length))
    }
    // Without a limit both bridges run several at once; with one, one at a time.
    expect(await mostAtOnce()).toBeGreaterThan(1)
    expect(await mostAtOnce(1)).toBe(1)
  })

  it('both bridges work on one sweep; every item is committed once, and any bridge follows it', async () => {
    const res = await api(a, 'POST', '/sweeps', {
      workflows: [concat],
      vary: { text: Array.from({ length: 40 }, (_, i) => `t${i}`) },
      label: 'forty',
    })
    expect(res.status).toBe(202)
    const sweep = res.body as unknown as SweepView
    // Follow it through the other bridge.
    const events = await (await fetch(`${b.url}/api/sweeps/${sweep.id}/events`)).text()
    const items = [...events.matchAll(/^event: item\ndata: (.+)$/gm)].map(
      (m) => JSON.parse(m[1]!) as { item: SweepItem },
    )
    const done = items.filter((e) => e.item.status === 'done')
    expect(new Set(done.map((e) => e.item.index)).size).toBe(40)
    expect(events).toMatch(/"status":"finished"/)
    const view = (await api(a, 'GET', `/sweeps/${sweep.id}`)).body
    expect(view).toMatchObject({ total: 40, done: 40, failed: 0, status: 'finished' })
    // Both bridges had a share.
    const by = new Set(done.map((e) => e.item.server?.split(' ')[0]))
    expect(by).toEqual(new Set(['bridge-a', 'bridge-b']))
    // Each output once in the master, as out.<n>, written by its item.
    const master = await b.store.open(sweep.contextId)
    const outs = master.allMeta().filter((m) => m.key.startsWith('out.'))
    expect(outs).toHaveLength(40)
    for (const m of outs) expect(m.producer).toBe(`${sweep.id}:${m.key.slice(4)}`)
    expect(toJs(await master.load('out.7'))).toBe('t7!')
    // An output file as the CLI fetches it, from either bridge.
    const file = done.find((e) => e.item.index === 7)!.item.outputs![0]!.file
    expect(await (await fetch(`${a.url}/api/sweeps/${sweep.id}/${file}`)).text()).toBe('"t7!"')
  })
})
