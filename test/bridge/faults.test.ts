/**
 * ComfyUI going away under a running bridge: the stand-in as its own process,
 * SIGKILLed mid-run, then started again on the same port. The run fails
 * within seconds and says ComfyUI stopped answering (failed, not cancelled),
 * nothing is committed, the bridge stays healthy and runs again once ComfyUI is back.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { freePort } from '../helpers/net.js'

const MAIN = resolve(import.meta.dirname, '../comfyStandIn/main.ts')
const children: ChildProcess[] = []
const bridges: Bridge[] = []

afterEach(async () => {
  for (const b of bridges.splice(0)) await b.close()
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

async function comfyProcess(port: number, nodeDelayMs = 0): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, '--port', String(port), '--node-delay-ms', String(nodeDelayMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  children.push(child)
  await new Promise<void>((r, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('listening') && r())
    child.on('exit', (code) => reject(new Error(`stand-in exited ${code}`)))
  })
  return child
}

const note = (value: string) => ({
  name: 'note.json',
  workflow: {
    '1': { class_type: 'PrimitiveString', inputs: { value } },
    '2': { class_type: 'DiscomfortPort', inputs: { unique_id: 'note', input_data: ['1', 0] } },
  },
})

async function api(bridge: Bridge, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${bridge.url}/api${path}`, {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  })
  return (await res.json()) as Record<string, unknown>
}

async function waitFor<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await get()
    if (ok(v)) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A stand-in process whose nodes take 5 s each, and a bridge driving it. */
async function slowComfyAndBridge(): Promise<{ port: number; comfy: ChildProcess; bridge: Bridge }> {
  const port = await freePort()
  const comfy = await comfyProcess(port, 5000)
  const bridge = await startBridge({
    port: 0,
    comfyUrl: `http://127.0.0.1:${port}`,
    root: mkdtempSync(join(tmpdir(), 'faults-')),
  })
  bridges.push(bridge)
  return { port, comfy, bridge }
}

describe('ComfyUI dies mid-run', () => {
  it('the run fails within seconds saying ComfyUI stopped answering, commits nothing, and the bridge recovers', async () => {
    const { port, comfy, bridge } = await slowComfyAndBridge()
    const ctx = String((await api(bridge, 'POST', '/contexts', { name: 'faults' })).id)
    const run = await api(bridge, 'POST', '/runs', { context: ctx, workflows: [note('never')] })
    await waitFor(
      'the run to start',
      () => api(bridge, 'GET', `/runs/${String(run.id)}`),
      (r) => (r.progress as { step: number }).step === 1,
    )
    await new Promise((r) => setTimeout(r, 300))
    comfy.kill('SIGKILL')
    const killedAt = Date.now()
    const failed = await waitFor(
      'the run to end',
      () => api(bridge, 'GET', `/runs/${String(run.id)}`),
      (r) => r.status !== 'running' && r.status !== 'queued',
    )
    expect(Date.now() - killedAt).toBeLessThan(12_000)
    expect(failed.status).toBe('failed')
    expect((failed.error as { message: string }).message).toMatch(/stopped answering/)
    expect((failed.error as { message: string }).message).not.toMatch(/cancelled/)
    const health = await api(bridge, 'GET', '/health')
    expect(health).toMatchObject({ ok: true, comfy: { reachable: false } })
    expect((await api(bridge, 'GET', `/contexts/${ctx}`)).entries).toEqual([])

    await comfyProcess(port)
    const again = await api(bridge, 'POST', '/runs', { context: ctx, workflows: [note('back')] })
    const done = await waitFor(
      'the second run',
      () => api(bridge, 'GET', `/runs/${String(again.id)}`),
      (r) => r.status !== 'running' && r.status !== 'queued',
    )
    expect(done.status).toBe('succeeded')
    expect((await api(bridge, 'GET', `/contexts/${ctx}/values/note`)).value).toMatchObject({ value: 'back' })
  }, 40_000)

  it('a ComfyUI process killed and started again forgets its prompts: a run submits its prompt again and commits once; one that allows no resubmission fails as lost, not cancelled', async () => {
    const { port, bridge } = await slowComfyAndBridge()
    let comfy = children[children.length - 1]!
    const ended = (id: unknown) =>
      waitFor(
        'the run to end',
        () => api(bridge, 'GET', `/runs/${String(id)}`),
        (r) => r.status !== 'running' && r.status !== 'queued',
      )
    /** Submit a run, kill ComfyUI while it runs there, start it again (fast this time), and wait for the run's end. */
    const throughKill = async (body: Record<string, unknown>) => {
      const run = await api(bridge, 'POST', '/runs', body)
      await waitFor(
        'the run to start',
        () => api(bridge, 'GET', `/runs/${String(run.id)}`),
        (r) => (r.progress as { step: number }).step === 1,
      )
      await new Promise((r) => setTimeout(r, 300))
      comfy.kill('SIGKILL')
      await new Promise((r) => comfy.on('exit', r))
      comfy = await comfyProcess(port, 5000)
      return run.id
    }
    const ctx = String((await api(bridge, 'POST', '/contexts', { name: 'lost' })).id)
    const again = await ended(await throughKill({ context: ctx, workflows: [note('again')] }))
    expect(again, JSON.stringify(again.error)).toMatchObject({ status: 'succeeded', resubmitted: 1 })
    const context = await api(bridge, 'GET', `/contexts/${ctx}`)
    expect(context.entries).toEqual([expect.objectContaining({ key: 'note', version: 1 })])
    expect((await api(bridge, 'GET', `/contexts/${ctx}/values/note`)).value).toMatchObject({ value: 'again' })
    const failed = await ended(await throughKill({ workflows: [note('once')], resubmitLost: 0 }))
    expect(failed.status).toBe('failed')
    expect((failed.error as { message: string }).message).toMatch(/lost .* the server most likely restarted/)
  }, 60_000)
})
