/**
 * What the panel's run history relies on: a run is recorded with what it
 * takes to run it again, a re-run uses the context's values as they are now,
 * and both outlive the bridge (and a context made durable from the page does too).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'

let comfy: ComfyStandIn
let bridge: Bridge
const root = mkdtempSync(join(tmpdir(), 'run-history-'))

beforeAll(async () => {
  comfy = await startComfyStandIn()
  bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root })
})
afterAll(async () => {
  await bridge.close()
  await comfy.close()
})

type Body = Record<string, unknown>
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${bridge.url}/api${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Body }
}

const shout: ApiPrompt = {
  '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'text' } },
  '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
  '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'shout', input_data: ['2', 0] } },
}

/** Wait for a run to end; its view. */
const ended = async (id: string): Promise<Body> => {
  for (let i = 0; i < 200; i++) {
    const v = (await api('GET', `/runs/${id}`)).body
    if (v.status !== 'queued' && v.status !== 'running') return v
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`run ${id} did not end`)
}
const storedValue = async (ctx: string, key: string) =>
  ((await api('GET', `/contexts/${ctx}/values/${key}`)).body.value as { value: unknown }).value

describe('run history: re-run and durable contexts', () => {
  let ctx: string
  let scriptRun: string
  let pageRun: string

  it('a context made durable from the page says so, and a script run in it can be run again with a changed value', async () => {
    ctx = String((await api('POST', '/contexts', { name: 'from ComfyUI' })).body.id)
    await api('PUT', `/contexts/${ctx}/values/text`, { value: 'first' })
    const made = await api('POST', `/contexts/${ctx}/durable`)
    expect(made).toMatchObject({ status: 200, body: { id: ctx, durable: true } })

    const run = await api('POST', '/runs', { workflows: [{ name: 'shout.json', workflow: shout }], context: ctx })
    scriptRun = String(run.body.id)
    expect(await ended(scriptRun)).toMatchObject({ status: 'succeeded', outputs: ['shout'], rerunnable: true })
    expect(await storedValue(ctx, 'shout')).toBe('first!')

    await api('PUT', `/contexts/${ctx}/values/text`, { value: 'second' })
    const again = await api('POST', `/runs/${scriptRun}/rerun`, {})
    expect(again.status).toBe(202)
    expect(again.body).toMatchObject({ workflows: ['shout.json'], contextId: ctx, source: 'script' })
    expect(again.body.id).not.toBe(scriptRun)
    expect(await ended(String(again.body.id))).toMatchObject({ status: 'succeeded' })
    expect(await storedValue(ctx, 'shout')).toBe('second!')
  })

  it("a page run is run again from its recorded prompt, on the page's client id", async () => {
    await api('PUT', `/contexts/${ctx}/values/text`, { value: 'page' })
    const queued = await api('POST', '/queue', { prompt: shout, context_id: ctx, client_id: 'page-1' })
    expect(queued.status).toBe(200)
    pageRun = String((queued.body.discomfort as Body).run_id)
    expect(await ended(pageRun)).toMatchObject({ status: 'succeeded', source: 'page', rerunnable: true })
    expect(await storedValue(ctx, 'shout')).toBe('page!')

    await api('PUT', `/contexts/${ctx}/values/text`, { value: 'page again' })
    const again = await api('POST', `/runs/${pageRun}/rerun`, { client_id: 'page-2' })
    expect(again).toMatchObject({ status: 202, body: { source: 'page', contextId: ctx } })
    expect(await ended(String(again.body.id))).toMatchObject({ status: 'succeeded' })
    expect(await storedValue(ctx, 'shout')).toBe('page again!')
  })

  it('what cannot be run again says why', async () => {
    const alone = await api('POST', '/runs', {
      workflows: [{ name: 'shout.json', workflow: shout }],
      inputs: { text: 'x' },
    })
    expect(await ended(String(alone.body.id))).toMatchObject({ status: 'succeeded' })
    expect((await api('GET', `/runs/${String(alone.body.id)}`)).body.rerunnable).toBeUndefined()
    const refused = await api('POST', `/runs/${String(alone.body.id)}/rerun`, {})
    expect(refused.status).toBe(409)
    expect(String((refused.body.error as Body).message)).toMatch(/ran in a context made for it alone, which is gone/)
    expect((await api('POST', '/runs/no-such-run/rerun', {})).status).toBe(404)
    expect((await api('POST', `/runs/${scriptRun}/rerun`, { clientId: 'wrong-field' })).status).toBe(400)
  })

  it('after a restart the history still lists the runs, re-runs them, and the durable context has its values', async () => {
    await bridge.close()
    bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root })
    const listed = (await api('GET', '/runs')).body as unknown as Body[]
    expect(listed.find((r) => r.id === scriptRun)).toMatchObject({ status: 'succeeded', rerunnable: true })
    expect(listed.find((r) => r.id === pageRun)).toMatchObject({ status: 'succeeded', rerunnable: true })
    expect(await storedValue(ctx, 'text')).toBe('page again')

    await api('PUT', `/contexts/${ctx}/values/text`, { value: 'after restart' })
    const again = await api('POST', `/runs/${scriptRun}/rerun`, {})
    expect(await ended(String(again.body.id))).toMatchObject({ status: 'succeeded' })
    expect(await storedValue(ctx, 'shout')).toBe('after restart!')
  })
})
