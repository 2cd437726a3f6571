/**
 * Nothing queued is ever lost: a ComfyUI that restarts mid-run forgets the
 * prompt it was running and those waiting (it keeps no queue across a
 * restart). The bridge sees the prompt in neither its jobs, queue nor
 * history, submits it again, and commits its outputs once — on each server
 * generation the stand-in plays.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import type { RunEvent, RunView } from '../../shared/protocol/index.js'
import { startComfyStandIn, type ComfyProfile, type ComfyStandIn } from '../comfyStandIn/server.js'
import { SLOW } from '../helpers/prompts.js'

describe.each<ComfyProfile>(['0.3.75', 'current'])('a run whose prompt ComfyUI %s loses in a restart', (profile) => {
  let comfy: ComfyStandIn
  let bridge: Bridge
  beforeAll(async () => {
    comfy = await startComfyStandIn({ profile })
    bridge = await startBridge({
      port: 0,
      comfyUrl: comfy.url,
      root: mkdtempSync(join(tmpdir(), 'lost-')),
      comfyBounds: { auditIntervalMs: 200, lostAfterMs: 2000 },
    })
  })
  afterAll(async () => {
    await bridge?.close()
    await comfy?.close()
  })

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${bridge.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
    return (await res.json()) as Record<string, unknown>
  }

  /** Submit a run of `steps` × 10 ms (each test its own, so ComfyUI's cache has none of it), restart ComfyUI once it runs, and wait for the run to end. */
  async function runThroughRestart(steps: number, spec: Record<string, unknown> = {}) {
    const context = String((await api('POST', '/contexts', {})).id)
    const events: RunEvent[] = []
    const run = (await api('POST', '/runs', { workflows: [SLOW(steps)], context, ...spec })) as unknown as RunView
    for (let i = 0; i < 200 && comfy.executor.runningPromptId === undefined; i++)
      await new Promise((r) => setTimeout(r, 10))
    expect(comfy.executor.runningPromptId, 'the prompt started on ComfyUI').toBeDefined()
    const lostId = comfy.executor.runningPromptId
    comfy.restart()
    let view = run
    for (let i = 0; i < 300 && (view.status === 'queued' || view.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50))
      view = (await api('GET', `/runs/${run.id}?events=1`)) as unknown as RunView
    }
    events.push(...(view.events ?? []))
    return { view, events, context, lostId }
  }

  it('is submitted again and succeeds, its output committed once', async () => {
    // The current server is followed through its jobs API; 0.3.75 through /queue and /history.
    expect(await bridge.comfy.http.hasJobsApi()).toBe(profile === 'current')
    const { view, events, context, lostId } = await runThroughRestart(40)
    expect(view.status, JSON.stringify(view.error)).toBe('succeeded')
    expect(view.resubmitted).toBe(1)
    const resubmitted = events.filter((e) => e.type === 'workflow-resubmitted')
    expect(resubmitted).toHaveLength(1)
    expect(resubmitted[0]).toMatchObject({ attempt: 1, reason: expect.stringContaining(String(lostId)) })
    // One commit: the key was written once (version 1), by this run.
    const keys = (await api('GET', `/contexts/${context}`)) as unknown as {
      entries: Array<{ key: string; version: number }>
      runs: Array<{ runId: string; wrote: string[] }>
    }
    expect(keys.entries.find((e) => e.key === 'out')?.version).toBe(1)
    expect(
      keys.runs.filter((r) => r.wrote.includes('out')),
      JSON.stringify(keys.runs),
    ).toHaveLength(1)
  })

  it('mid-sweep: the items ComfyUI lost are submitted again; every item ends done, each committed once', async () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ text: `item ${i}` }))
    const sweep = (await api('POST', '/sweeps', {
      workflows: [
        {
          name: 'slow-concat.json',
          workflow: {
            '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'text' } },
            '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 10, step_ms: 10 } },
            '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['2', 0] } },
          },
        },
      ],
      items,
    })) as { id: string; status: string }
    // Restart ComfyUI twice, each time while an item runs on it.
    const lost: string[] = []
    for (const wait of [150, 300]) {
      await new Promise((r) => setTimeout(r, wait))
      for (let i = 0; i < 300 && comfy.executor.runningPromptId === undefined; i++)
        await new Promise((r) => setTimeout(r, 5))
      lost.push(String(comfy.executor.runningPromptId))
      comfy.restart()
    }
    expect(lost.filter((id) => id !== 'undefined')).toHaveLength(2)
    let view = sweep as unknown as { status: string; done: number; failed: number; folder: string }
    for (let i = 0; i < 400 && view.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50))
      view = (await api('GET', `/sweeps/${sweep.id}`)) as unknown as typeof view
    }
    expect(view).toMatchObject({ status: 'finished', done: 12, failed: 0 })
    const rows = (await api('GET', `/sweeps/${sweep.id}/items`)) as unknown as Array<{
      idx: number
      status: string
      failures?: Array<{ error: { message: string } }>
    }>
    expect(rows.map((r) => r.status)).toEqual(Array(12).fill('done'))
    // The items whose prompts were lost ran again (in their run, or as a retry), and none was committed twice.
    const manifest = readFileSync(join(view.folder, 'manifest.jsonl'), 'utf8').trim().split('\n')
    expect(manifest).toHaveLength(12)
    expect(new Set(manifest.map((l) => (JSON.parse(l) as { index: number }).index)).size).toBe(12)
  })

  it('fails saying ComfyUI lost it when the run allows no resubmission', async () => {
    const { view, events } = await runThroughRestart(41, { resubmitLost: 0 })
    expect(view.status).toBe('failed')
    expect(view.error?.message).toMatch(/lost slow\.json .*most likely restarted/)
    expect(view.error?.cause).toEqual({ name: 'ComfyLostError', code: 'comfy_lost' })
    expect(events.some((e) => e.type === 'workflow-resubmitted')).toBe(false)
  })
})
