/**
 * The two run histories, a lone bridge's (its SQLite ledger) and the one all
 * bridges on a Redis share, keep the same promises: newest first, a run's
 * latest state, what it takes to run it again for the latest 200 only, and
 * at most 10,000 runs however they were made.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { joinCluster } from '../../bridge/cluster/joinCluster.js'
import { KEPT_RUN_HISTORY, KEPT_RUN_REQUESTS, Ledger, TRIM_EVERY_PUTS } from '../../bridge/ledger/ledger.js'
import type { RunHistory } from '../../bridge/runs/history.js'
import { loadWorkflowContextConfig } from '../../bridge/store/config.js'
import type { RunView } from '../../shared/protocol/index.js'
import { startRedis, type TestRedis } from '../helpers/redis.js'

let redis: TestRedis
const joined: Array<Awaited<ReturnType<typeof joinCluster>>> = []
beforeAll(async () => {
  redis = await startRedis()
}, 30_000)
afterAll(async () => {
  for (const c of joined) await c.close()
  await redis?.stop()
})

/** A history in Redis of its own (its own key prefix), as a bridge joining there has. */
async function redisHistory(): Promise<RunHistory> {
  const cluster = await joinCluster(
    { url: redis.url, prefix: `history${joined.length}` },
    { config: loadWorkflowContextConfig(), ramCapacityBytes: undefined, onChange: () => {} },
  )
  joined.push(cluster)
  return cluster.history({ bridge: 'bridge-a' })
}

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()
const view = (i: number, status: RunView['status'] = 'succeeded'): RunView => ({
  id: `run-${i}`,
  status,
  source: 'script',
  contextId: 'c',
  workflows: ['w.json'],
  iterations: 1,
  createdAt: at(i),
  progress: { step: 1, totalSteps: 1 },
})

const histories: Array<[string, () => RunHistory | Promise<RunHistory>]> = [
  ['the SQLite ledger', () => new Ledger(join(mkdtempSync(join(tmpdir(), 'history-')), 'ledger.sqlite'))],
  ['the history in Redis', redisHistory],
]

describe.each(histories)('%s', (_name, make) => {
  it("lists runs newest first, each in its latest state, and keeps a run's request to run it again", async () => {
    const h = await make()
    await h.putRun(view(1, 'queued'), '{"kind":"script","workflows":[]}')
    await h.putRun(view(2, 'queued'))
    await h.putRun(view(1, 'running'))
    await h.putRun({ ...view(1), outputs: ['out'] })
    const listed = await h.runs(10)
    expect(listed.map((r) => [r.id, r.status])).toEqual([
      ['run-2', 'queued'],
      ['run-1', 'succeeded'],
    ])
    expect(await h.run('run-1')).toMatchObject({ status: 'succeeded', outputs: ['out'], rerunnable: true })
    expect(await h.run('run-2')).toMatchObject({ rerunnable: false })
    expect(await h.runRequest('run-1')).toBe('{"kind":"script","workflows":[]}')
    expect(await h.run('nope')).toBeUndefined()
  })

  it('pages back through the history by creation time', async () => {
    const h = await make()
    for (let i = 1; i <= 5; i++) await h.putRun(view(100 + i))
    const page = async (limit: number, before?: string) => (await h.runs(limit, before)).map((r) => r.id)
    expect(await page(2)).toEqual(['run-105', 'run-104'])
    expect(await page(2, at(104))).toEqual(['run-103', 'run-102'])
    expect(await page(2, at(102))).toEqual(['run-101'])
    expect(await page(2, at(101))).toEqual([])
  })

  it('stays bounded: the latest 10,000 runs, the requests of the latest 200, even when runs keep no request', async () => {
    const h = await make()
    const total = KEPT_RUN_HISTORY + 150
    // Most of them in a context made for the run alone (they keep no request), as a script's quick runs are.
    for (let i = 0; i < total; i++)
      await h.putRun(view(1000 + i), i % 10 === 0 ? `{"kind":"script","n":${i}}` : undefined)
    const all = await h.runs(total)
    // Trimmed every TRIM_EVERY_PUTS records: never more than that over the bound, and always the newest.
    expect(all.length).toBeGreaterThanOrEqual(KEPT_RUN_HISTORY)
    expect(all.length).toBeLessThan(KEPT_RUN_HISTORY + TRIM_EVERY_PUTS)
    expect(all.map((r) => r.id)).toEqual(all.map((_, i) => `run-${1000 + total - 1 - i}`))
    const again = all.filter((r) => r.rerunnable)
    expect(again.length).toBeLessThanOrEqual(KEPT_RUN_REQUESTS + TRIM_EVERY_PUTS)
    expect(again.length).toBeGreaterThan(0)
    // The ones that can run again are the newest that kept a request.
    expect(again[0]!.id).toBe(`run-${1000 + total - 10}`)
  }, 60_000)
})
