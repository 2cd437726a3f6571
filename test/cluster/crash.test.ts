/**
 * Three bridges (each started by the `discomfort` command, each with two
 * stand-in ComfyUIs of its own) on one real Redis. A 1,000-item sweep and
 * some runs: one bridge is SIGKILLed mid-way and the others take over the
 * items and runs it held; every item is committed exactly once, every run
 * asked of a living bridge ends well, and the run asked of the dead one is
 * recorded as failed (no one follows it any more). Then Redis itself is SIGKILLed while
 * values are being written and started again from its append-only file: no
 * write a bridge acknowledged is lost.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EntryMeta, RunView, SweepItem, SweepView } from '../../shared/protocol/index.js'
import { freePort } from '../helpers/net.js'
import { bridgeProcess, killAll, standIn, until } from '../helpers/processes.js'
import { startRedis, type TestRedis } from '../helpers/redis.js'
import { CONCAT as concat, SLOW as slow } from '../helpers/prompts.js'

let redis: TestRedis
beforeAll(async () => {
  redis = await startRedis()
})
afterEach(killAll)
afterAll(async () => {
  await redis?.stop()
})

const get = async <T>(url: string): Promise<T> => {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`${url}: ${res.status}`)
  return (await res.json()) as T
}

/** n bridges on the test Redis, each over two stand-ins of its own. */
async function cluster(n: number, promptDelayMs: number, prefix: string) {
  const bridges: Array<{ url: string; child: ChildProcess; name: string; comfy: string[] }> = []
  for (let i = 0; i < n; i++) {
    const comfy = [await standIn(promptDelayMs), await standIn(promptDelayMs)]
    const port = await freePort()
    const name = `bridge-${i + 1}`
    const child = await bridgeProcess(mkdtempSync(join(tmpdir(), `${name}-`)), comfy, port, [
      '--redis',
      redis.url,
      '--redis-prefix',
      prefix,
      '--redis-lock-ms',
      '2000',
      '--name',
      name,
    ])
    bridges.push({ url: `http://127.0.0.1:${port}`, child, name, comfy })
  }
  return bridges
}

describe('three bridges, one Redis', () => {
  it('one bridge SIGKILLed mid-sweep and mid-runs: every item committed once, the runs it ran taken over, the run it was asked for failed', async () => {
    const [one, two, three] = await cluster(3, 15, 'crash')
    const total = 1000
    const sweep = (await (
      await fetch(`${one!.url}/api/sweeps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflows: [concat], vary: { text: Array.from({ length: total }, (_, i) => `t${i}`) } }),
      })
    ).json()) as SweepView
    await until(
      'a third of the items',
      () => get<SweepView>(`${three!.url}/api/sweeps/${sweep.id}`),
      (v) => v.done >= total / 3,
    )
    // A run asked of the bridge about to die, running (on whichever bridge took its job) when it does.
    const asked = (await (
      await fetch(`${two!.url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflows: [slow(2000)] }),
      })
    ).json()) as RunView
    await until(
      'the run to start',
      () => get<RunView>(`${one!.url}/api/runs/${asked.id}`),
      (r) => r.status === 'running',
    )
    // Runs asked of a bridge that lives, some of them running on the one about to die (each bridge takes two).
    const runs: RunView[] = []
    for (let i = 0; i < 6; i++)
      runs.push(
        (await (
          await fetch(`${one!.url}/api/runs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ workflows: [slow(300)] }),
          })
        ).json()) as RunView,
      )
    const slowOn = async (comfy: string) =>
      JSON.stringify((await get<{ queue_running: unknown[] }>(`${comfy}/api/queue`)).queue_running).includes(
        'DiscomfortTestSleep',
      )
    await until(
      'a run on the bridge about to die',
      async () => (await Promise.all(two!.comfy.map(slowOn))).some(Boolean),
      (running) => running,
    )
    two!.child.kill('SIGKILL')
    await new Promise((r) => two!.child.once('exit', r))
    // No one follows it any more: the others record it as failed (and stop it) once the dead bridge's key lapses.
    const orphan = await until(
      'the orphaned run to be failed',
      () => get<RunView>(`${three!.url}/api/runs/${asked.id}`),
      (r) => r.status !== 'running',
      20_000,
    )
    expect(orphan).toMatchObject({
      status: 'failed',
      error: { code: 'bridge_stopped', message: expect.stringMatching(/bridge-2 stopped/) },
    })
    // What it was running of theirs was taken over: every run ends well, through the bridge that was asked.
    for (const run of runs) {
      const ended = await until(
        `run ${run.id} to end`,
        () => get<RunView>(`${one!.url}/api/runs/${run.id}`),
        (r) => r.status !== 'queued' && r.status !== 'running',
        60_000,
      )
      expect(ended).toMatchObject({ status: 'succeeded', outputs: ['out'] })
    }
    const end = await until(
      'the sweep to finish',
      () => get<SweepView>(`${three!.url}/api/sweeps/${sweep.id}`),
      (v) => v.status === 'finished',
      120_000,
    )
    expect(end).toMatchObject({ total, done: total, failed: 0, running: 0 })

    // Every item done once, each by a bridge; the killed one had a share before it went.
    const items: SweepItem[] = []
    for (let after = -1; ; ) {
      const page = await get<SweepItem[]>(`${one!.url}/api/sweeps/${sweep.id}/items?after=${after}&limit=5000`)
      if (page.length === 0) break
      items.push(...page)
      after = page.at(-1)!.index
    }
    expect(items).toHaveLength(total)
    expect(items.filter((i) => i.status !== 'done')).toEqual([])
    const by = (name: string) => items.filter((i) => i.server?.startsWith(name)).length
    expect(by('bridge-2')).toBeGreaterThan(0)
    expect(by('bridge-1') + by('bridge-3')).toBeGreaterThan(total / 2)
    // What it held when it died was taken over (started a second time, by another bridge).
    const takenOver = items.filter((i) => i.attempts >= 2)
    expect(takenOver.length).toBeGreaterThan(0)
    expect(takenOver.every((i) => !i.server?.startsWith('bridge-2'))).toBe(true)

    // The master, written by this sweep alone, numbers every write: 1,000 outputs at versions 1..1000
    // means no item was committed twice.
    const entries = (await get<{ entries: EntryMeta[] }>(`${three!.url}/api/contexts/${end.contextId}`)).entries
    const outs = entries.filter((e) => e.key.startsWith('out.'))
    expect(outs).toHaveLength(total)
    expect(outs.filter((e) => e.producer !== `${sweep.id}:${e.key.slice(4)}`)).toEqual([])
    expect(Math.max(...entries.map((e) => e.version))).toBe(total)
    expect(new Set(entries.map((e) => e.version)).size).toBe(total)
    const sample = await get<{ value: { value: string } }>(`${one!.url}/api/contexts/${end.contextId}/values/out.321`)
    expect(sample.value.value).toBe('t321!')
  }, 180_000)

  it('Redis SIGKILLed while values are written, restarted from its append-only file: no acknowledged write lost', async () => {
    const [one, two] = await cluster(2, 5, 'aof')
    const refusals: string[] = []
    const put = (key: string, value: string) =>
      fetch(`${one!.url}/api/contexts/kept/values/${key}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value }),
      }).then(
        async (r) => {
          if (!r.ok) refusals.push(`${r.status} ${((await r.json()) as { error: { message: string } }).error.message}`)
          return r.ok
        },
        (e: Error) => {
          refusals.push(`fetch ${e.message}`)
          return false
        },
      )
    expect(
      (
        await fetch(`${one!.url}/api/contexts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'kept' }),
        })
      ).status,
    ).toBe(201)
    const acknowledged: string[] = []
    let writing = true
    const writer = (async () => {
      for (let i = 0; writing; i++) if (await put(`k${i}`, `v${i}`)) acknowledged.push(`k${i}`)
    })()
    await until(
      '200 acknowledged writes',
      async () => acknowledged.length,
      (n) => n >= 200,
    )
    await redis.kill()
    const atKill = acknowledged.length
    // Down long enough that requests stop waiting for it (a blip of a few hundred ms is ridden out).
    await new Promise((r) => setTimeout(r, 2000))
    await redis.restart()
    // The bridges reconnect by themselves; writes go on.
    await until(
      'writes to be acknowledged again',
      async () => acknowledged.length,
      (n) => n > atKill + 20,
    )
    writing = false
    await writer
    // A write Redis's absence cut short says so (most runs see one; a short outage is waited out instead).
    for (const r of refusals) expect(r).toMatch(/^503 The shared Redis does not answer/)

    // Neither bridge went down with Redis.
    expect([one!.child.exitCode, two!.child.exitCode]).toEqual([null, null])
    const direct = new Redis(redis.url)
    try {
      expect(await direct.config('GET', 'appendonly')).toEqual(['appendonly', 'yes'])
    } finally {
      direct.disconnect()
    }
    const keys = (await get<Array<{ key: string }>>(`${two!.url}/api/contexts/kept/keys`)).map((k) => k.key)
    const missing = acknowledged.filter((k) => !keys.includes(k))
    expect(missing).toEqual([])
    for (const k of [acknowledged[0]!, acknowledged[atKill - 1]!, acknowledged.at(-1)!]) {
      const v = await get<{ value: { value: string } }>(`${two!.url}/api/contexts/kept/values/${k}`)
      expect(v.value.value).toBe(`v${k.slice(1)}`)
    }
  }, 120_000)
})
