/**
 * Invariant 5 of docs/FAULTS.md: bridges do not harm each other. A bridge
 * that starts with the name of a live one on the same Redis refuses to start
 * and says which holds it (and takes the name over from a crashed process of
 * its own host); a run cancelled while it waits for a slot is recorded cancelled.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
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

  it(
    'runs cancelled at any moment (waiting for a slot, queued, running, finishing) end cancelled or done, never failed, and free their slots (generated)',
    async () => {
      const bridge = await startBridge({
        port: 0,
        comfyUrl: comfy.url,
        root: mkdtempSync(join(tmpdir(), 'bridges-cancel-')),
        log: () => {},
      })
      bridges.push(bridge)
      const api = async (method: string, path: string, body?: unknown) =>
        (await (
          await fetch(`${bridge.url}/api${path}`, {
            method,
            ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
          })
        ).json()) as { id: string; status: string; error?: { message: string } }
      const workflow = (value: string) => ({
        name: 'sleepy.json',
        workflow: {
          '1': { class_type: 'PrimitiveString', inputs: { value } },
          '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 4, step_ms: 40 } },
          '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['2', 0] } },
        },
      })
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ cancel: fc.boolean(), atMs: fc.integer({ min: 0, max: 600 }) }), {
            minLength: 1,
            maxLength: 4,
          }),
          async (plan) => {
            const ids: string[] = []
            for (let i = 0; i < plan.length; i++)
              ids.push((await api('POST', '/runs', { workflows: [workflow(`${Math.random()}`)] })).id)
            await Promise.all(
              plan.map(async (p, i) => {
                if (!p.cancel) return
                await new Promise((r) => setTimeout(r, p.atMs))
                await api('POST', `/runs/${ids[i]}/cancel`)
              }),
            )
            for (const [i, id] of ids.entries()) {
              let run = await api('GET', `/runs/${id}`)
              for (let n = 0; n < 200 && ['queued', 'running'].includes(run.status); n++) {
                await new Promise((r) => setTimeout(r, 25))
                run = await api('GET', `/runs/${id}`)
              }
              const allowed = plan[i]!.cancel ? ['cancelled', 'succeeded'] : ['succeeded']
              expect(allowed, `run ${i} ${JSON.stringify(run.error)}`).toContain(run.status)
            }
            const servers = (await (await fetch(`${bridge.url}/api/servers`)).json()) as Array<{ inflight: number }>
            expect(servers.map((s) => s.inflight)).toEqual([0])
          },
        ),
        { numRuns: Number(process.env.FAULTS_RUNS ?? 150) >= 1000 ? 200 : 25, seed: 22 },
      )
    },
    5 * 60_000,
  )
})
