/**
 * Invariant 5 of docs/FAULTS.md: bridges do not harm each other. A bridge
 * that starts with the name of a live one on the same Redis refuses to start
 * and says which holds it (and takes the name over from a crashed process of
 * its own host); a run cancelled while it waits for a slot is recorded cancelled.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { startRedis, type TestRedis } from '../helpers/redis.js'

let comfy: ComfyStandIn
let redis: TestRedis
const bridges: Bridge[] = []

beforeAll(async () => {
  comfy = await startComfyStandIn({ nodeDelayMs: 50 })
  redis = await startRedis()
})
afterAll(async () => {
  for (const b of bridges.splice(0)) await b.close()
  await redis?.stop()
  await comfy?.close()
})

const onRedis = (name: string) =>
  startBridge({
    port: 0,
    comfyUrl: comfy.url,
    root: mkdtempSync(join(tmpdir(), `bridges-${name}-`)),
    redis: { url: redis.url, lockMs: 2000 },
    name,
    log: () => {},
  })

describe('bridges do not harm each other', () => {
  it('a second bridge with the name of a live one refuses to start, naming the holder; the name is free again once it stops', async () => {
    const first = await onRedis('gpu-box')
    const second = await onRedis('gpu-box').catch((e: unknown) => e)
    expect(second).toMatchObject({ code: 'bridge_name_taken' })
    expect((second as Error).message).toMatch(/Another bridge named "gpu-box" is running on this Redis \(.+ pid \d+\)/)
    expect((second as Error).message).toMatch(/--name NAME/)
    // The first one is unharmed.
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200)
    await first.close()
    const again = await onRedis('gpu-box')
    bridges.push(again)
  }, 30_000)

  it('a run cancelled while it waits for a ComfyUI slot is recorded cancelled, and never reaches ComfyUI', async () => {
    const bridge = await startBridge({
      port: 0,
      comfyUrl: comfy.url,
      root: mkdtempSync(join(tmpdir(), 'bridges-lone-')),
      log: () => {},
    })
    bridges.push(bridge)
    const slow = {
      name: 'slow.json',
      workflow: {
        '1': { class_type: 'PrimitiveString', inputs: { value: `slow ${Math.random()}` } },
        '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 20, step_ms: 50 } },
        '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['2', 0] } },
      },
    }
    const post = async (path: string, body?: unknown) =>
      (await (
        await fetch(`${bridge.url}/api${path}`, {
          method: 'POST',
          ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
        })
      ).json()) as { id: string }
    const promptsBefore = comfy.executor.history.size
    const holding = await post('/runs', { workflows: [slow] })
    const waiting = await post('/runs', { workflows: [{ ...slow, name: 'waits.json' }] })
    await new Promise((r) => setTimeout(r, 100))
    await post(`/runs/${waiting.id}/cancel`)
    const view = async (id: string) =>
      (await (await fetch(`${bridge.url}/api/runs/${id}`)).json()) as { status: string }
    for (let i = 0; i < 100 && ['queued', 'running'].includes((await view(waiting.id)).status); i++)
      await new Promise((r) => setTimeout(r, 50))
    expect((await view(waiting.id)).status).toBe('cancelled')
    for (let i = 0; i < 200 && ['queued', 'running'].includes((await view(holding.id)).status); i++)
      await new Promise((r) => setTimeout(r, 50))
    expect((await view(holding.id)).status).toBe('succeeded')
    expect(comfy.executor.history.size).toBe(promptsBefore + 1)
  }, 30_000)
})
