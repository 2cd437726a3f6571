/**
 * Several bridges on one Redis (Debian's redis-server, started here), with
 * stand-in ComfyUIs as their own processes at a fixed time per prompt:
 *
 * - Throughput: the same sweep through 1, 2 and 3 bridges, each with two
 *   servers of its own (each bridge a `discomfort bridge` process), against
 *   the ideal (items × prompt time / servers).
 * - Per-item overhead of the Redis queue over the in-process one: one bridge
 *   in this process, the same sweep embedded (SQLite ledger, files) and on
 *   Redis (BullMQ jobs, values in Redis); the CPU each item costs the bridge
 *   and the Redis server, and the wall time per item with one server whose
 *   prompts take no time (the path an item waits on).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { startBridge } from '../bridge/bridge.js'
import type { SweepView } from '../shared/protocol/index.js'
import { freePort } from '../test/helpers/net.js'
import { bridgeProcess, killAll, standIn } from '../test/helpers/processes.js'
import { startRedis, type TestRedis } from '../test/helpers/redis.js'
import { CONCAT as concat } from '../test/helpers/prompts.js'

const items = (n: number, tag: string) => ({ vary: { text: Array.from({ length: n }, (_, i) => `${tag}${i}`) } })

const post = async (url: string, body: unknown): Promise<SweepView> =>
  (await (
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  ).json()) as SweepView

async function finished(bridgeUrl: string, id: string): Promise<SweepView> {
  for (;;) {
    const v = (await (await fetch(`${bridgeUrl}/api/sweeps/${id}`)).json()) as SweepView
    if (v.status !== 'running') return v
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Redis's own CPU so far (ms), from INFO. */
async function redisCpuMs(url: string): Promise<number> {
  const r = new Redis(url)
  try {
    const info = await r.info('cpu')
    const read = (name: string) => Number(new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1] ?? 0)
    return (read('used_cpu_user') + read('used_cpu_sys')) * 1000
  } finally {
    r.disconnect()
  }
}

/** One sweep through `bridges` bridge processes (two servers each); wall time. */
async function throughput(redis: TestRedis, bridges: number, n: number, promptMs: number): Promise<number> {
  const urls: string[] = []
  const children: ChildProcess[] = []
  try {
    for (let i = 0; i < bridges; i++) {
      const comfy = [await standIn(promptMs), await standIn(promptMs)]
      const port = await freePort()
      children.push(
        await bridgeProcess(mkdtempSync(join(tmpdir(), 'bench-cluster-')), comfy, port, [
          '--redis',
          redis.url,
          '--redis-prefix',
          `bench${bridges}`,
          '--name',
          `b${i + 1}`,
        ]),
      )
      urls.push(`http://127.0.0.1:${port}`)
    }
    const t0 = performance.now()
    const sweep = await post(`${urls[0]}/api/sweeps`, { workflows: [concat], ...items(n, 'x') })
    const end = await finished(urls.at(-1)!, sweep.id)
    if (end.done !== n) throw new Error(`only ${end.done} of ${n} done`)
    return performance.now() - t0
  } finally {
    killAll()
  }
}

/** One bridge in this process, embedded or on Redis: CPU per item (bridge; Redis) and wall per item. */
async function perItem(redis: TestRedis | undefined, servers: number, n: number, promptMs: number) {
  const comfy = await Promise.all(Array.from({ length: servers }, () => standIn(promptMs)))
  const bridge = await startBridge({
    port: 0,
    comfyUrl: comfy[0]!,
    servers: comfy.slice(1).map((url) => ({ url })),
    root: mkdtempSync(join(tmpdir(), 'bench-per-item-')),
    ...(redis ? { redis: { url: redis.url, prefix: `per-item-${servers}-${n}` } } : {}),
  })
  try {
    // One small sweep first: connections, workflow conversion and JIT warm.
    await finished(bridge.url, (await post(`${bridge.url}/api/sweeps`, { workflows: [concat], ...items(20, 'w') })).id)
    const redis0 = redis ? await redisCpuMs(redis.url) : 0
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const end = await finished(
      bridge.url,
      (await post(`${bridge.url}/api/sweeps`, { workflows: [concat], ...items(n, 'm') })).id,
    )
    const wall = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    if (end.done !== n) throw new Error(`only ${end.done} of ${n} done`)
    return {
      wallPerItem: wall / n,
      bridgeCpuPerItem: (cpu.user + cpu.system) / 1000 / n,
      redisCpuPerItem: redis ? ((await redisCpuMs(redis.url)) - redis0) / n : 0,
    }
  } finally {
    await bridge.close()
    killAll()
  }
}

export async function clusterBench(row: (k: string, v: string) => void): Promise<void> {
  const redis = await startRedis()
  try {
    const n = 600
    const promptMs = 100
    const walls: number[] = []
    for (const bridges of [1, 2, 3]) {
      const ms = await throughput(redis, bridges, n, promptMs)
      walls.push(ms)
      const ideal = (n * promptMs) / (bridges * 2)
      row(
        `Redis: sweep ${n} items, ${bridges} bridge(s) × 2 servers, ${promptMs} ms/prompt`,
        `${(ms / 1000).toFixed(2)} s = ${((n / ms) * 1000).toFixed(1)} items/s (${(ms / ideal).toFixed(3)}× ideal; ${(walls[0]! / ms).toFixed(2)}× one bridge)`,
      )
    }
    // The same work both ways, so the difference is the queue's and the store's.
    const embedded = await perItem(undefined, 4, 1000, 10)
    const shared = await perItem(redis, 4, 1000, 10)
    const added = shared.bridgeCpuPerItem + shared.redisCpuPerItem - embedded.bridgeCpuPerItem
    row(
      'per item, 1,000 items, 1 bridge × 4 servers at 10 ms: CPU',
      `embedded ${embedded.bridgeCpuPerItem.toFixed(2)} ms; Redis ${shared.bridgeCpuPerItem.toFixed(2)} ms bridge + ${shared.redisCpuPerItem.toFixed(2)} ms redis-server: ${added >= 0 ? '+' : ''}${added.toFixed(2)} ms (aim ≤ 3)`,
    )
    const serialEmbedded = await perItem(undefined, 1, 500, 0)
    const serialShared = await perItem(redis, 1, 500, 0)
    row(
      'per item, 500 items, 1 server at 0 ms: wall',
      `embedded ${serialEmbedded.wallPerItem.toFixed(2)} ms; Redis ${serialShared.wallPerItem.toFixed(2)} ms: ${(serialShared.wallPerItem - serialEmbedded.wallPerItem).toFixed(2)} ms more`,
    )
    // What syncing before each answer costs: the same on a Redis that syncs once a second.
    const lax = await startRedis({ fsync: 'everysec' })
    try {
      const serialLax = await perItem(lax, 1, 500, 0)
      row(
        'per item, 500 items, 1 server at 0 ms: appendfsync always vs everysec',
        `${serialShared.wallPerItem.toFixed(2)} ms vs ${serialLax.wallPerItem.toFixed(2)} ms wall (${(serialShared.wallPerItem - serialLax.wallPerItem).toFixed(2)} ms for no acknowledged commit lost)`,
      )
    } finally {
      await lax.stop()
    }
  } finally {
    await redis.stop()
  }
}
