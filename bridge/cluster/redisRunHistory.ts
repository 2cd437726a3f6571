/**
 * One run history for every bridge on a Redis: each bridge records the runs
 * it is asked for there, so the ComfyUI page and `/api/runs` list the same
 * runs whichever bridge they talk to, and a run can be opened, run again or
 * cancelled through any of them.
 *
 * A run that is queued or running is marked with the bridge that holds it;
 * each bridge keeps a key alive while it runs. When a bridge is gone (its key
 * expired, or it starts again under the same name), its open runs are
 * recorded as failed by whichever bridge notices first: the run's end would
 * otherwise never come.
 */
import { hostname } from 'node:os'
import type { Redis } from 'ioredis'
import { BridgeNameTakenError } from '../bridgeErrors.js'
import { processAlive } from '../util/processAlive.js'
import { runIsOpen, type RunEvent, type RunView } from '../../shared/protocol/index.js'
import { KEPT_RUN_HISTORY, KEPT_RUN_REQUESTS, stoppedWithBridge, TRIM_EVERY_PUTS } from '../ledger/ledger.js'
import type { RunFeed, RunHistory } from '../runs/history.js'
import type { RedisContextStore } from './redisContextStore.js'
import { runScript, sayOnce, type RedisKeys } from './redis.js'

/** KEYS: views, time, requests, request-time, open. ARGV: id, created (ms), view, open (1|0), bridge, request ('' for none). */
const PUT = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[6])
  redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
end
if ARGV[4] == '1' then redis.call('HSET', KEYS[5], ARGV[1], ARGV[5]) else redis.call('HDEL', KEYS[5], ARGV[1]) end
`

/** KEYS: views, time, requests, request-time, open. ARGV: runs kept, requests kept. */
const TRIM = `
local kept = tonumber(ARGV[1])
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[2], kept, -1)) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('HDEL', KEYS[3], id)
  redis.call('ZREM', KEYS[4], id)
  redis.call('HDEL', KEYS[5], id)
end
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(kept + 1))
local again = tonumber(ARGV[2])
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[4], again, -1)) do redis.call('HDEL', KEYS[3], id) end
redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -(again + 1))
`

/**
 * KEYS: views, time, requests. ARGV: 'latest', limit, created before (ms, exclusive; '+inf' for any) | 'one', id.
 * Returns view, whether its request is kept (1|0), view, …
 */
const READ = `
local ids
if ARGV[1] == 'one' then
  ids = { ARGV[2] }
else
  ids = redis.call('ZREVRANGEBYSCORE', KEYS[2], ARGV[3], '-inf', 'LIMIT', 0, tonumber(ARGV[2]))
end
local out = {}
for _, id in ipairs(ids) do
  local view = redis.call('HGET', KEYS[1], id)
  if view then
    out[#out + 1] = view
    out[#out + 1] = redis.call('HEXISTS', KEYS[3], id)
  end
end
return out
`

/** KEYS: views, open. ARGV: id, the bridge it was held by, its view as failed. Only while that bridge still holds it. */
const FAIL_ORPHAN = `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`

export interface RedisRunHistoryOptions {
  redis: Redis
  keys: RedisKeys
  store: RedisContextStore
  /** This bridge's name (runs it holds are marked with it). */
  bridge: string
  /** A bridge not heard of for this long is taken as gone (ms). */
  aliveMs: number
  log?: (line: string) => void
}

interface RunTold {
  type: 'run-told'
  from: string
  run: RunView
  event: RunEvent
}

export class RedisRunHistory implements RunHistory, RunFeed {
  private readonly k: RedisKeys['history']
  private timer: NodeJS.Timeout | undefined
  private putsSinceTrim = 0
  /** Told of each run recorded as failed because its bridge is gone (to stop what is left of it). */
  private onOrphan: ((runId: string) => void) | undefined
  private readonly said: (e: Error) => void
  /** This bridge's own listeners, told of the runs it records as failed for a bridge that is gone. */
  private readonly told = new Set<(run: RunView, event: RunEvent) => void>()

  constructor(private readonly o: RedisRunHistoryOptions) {
    this.k = o.keys.history
    this.said = sayOnce(o.log, 'Run history on Redis')
  }

  /**
   * Say this bridge is alive, and record as failed the open runs of bridges
   * that are not (and of an earlier process under this bridge's name).
   * Returns how many runs that failed.
   */
  async start(onOrphan?: (runId: string) => void): Promise<number> {
    this.onOrphan = onOrphan
    await this.claimName()
    await this.beat()
    const failed = await this.failOrphans(true)
    let beats = 0
    const every = Math.max(200, Math.floor(this.o.aliveMs / 3))
    this.timer = setInterval(() => {
      beats += 1
      void this.beat()
        .then(() => (beats % 3 === 0 ? this.failOrphans(false) : 0))
        .catch(this.said)
    }, every)
    this.timer.unref()
    return failed
  }

  /** Who this process is, as its alive key says: host and process id. */
  private readonly holder = `${hostname()} pid ${process.pid}`

  /**
   * Take this bridge's name on the Redis: refused while a live bridge holds
   * it (its alive key is set), unless that holder is a process of this host
   * that has ended (this bridge, restarted after a crash).
   */
  private async claimName(): Promise<void> {
    const key = this.k.alive(this.o.bridge)
    if ((await this.o.redis.set(key, this.holder, 'PX', this.o.aliveMs, 'NX')) === 'OK') return
    const current = (await this.o.redis.get(key)) ?? ''
    const [, host, pid] = /^(.+) pid (\d+)$/.exec(current) ?? []
    if (host === hostname() && pid && !processAlive(Number(pid))) return
    throw new BridgeNameTakenError(
      `Another bridge named "${this.o.bridge}" is running on this Redis (${current || 'a bridge of an older version'}); each bridge needs its own name: start this one with --name NAME.`,
    )
  }

  private beat(): Promise<unknown> {
    return this.o.redis.set(this.k.alive(this.o.bridge), this.holder, 'PX', this.o.aliveMs)
  }

  private async failOrphans(mineToo: boolean): Promise<number> {
    const open = await this.o.redis.hgetall(this.k.open)
    let failed = 0
    for (const [id, holder] of Object.entries(open)) {
      const gone =
        (mineToo && holder === this.o.bridge) ||
        (holder !== this.o.bridge && (await this.o.redis.exists(this.k.alive(holder))) === 0)
      if (!gone) continue
      const view = await this.run(id)
      if (!view) {
        await this.o.redis.hdel(this.k.open, id)
        continue
      }
      const { rerunnable: _again, ...kept } = view
      const ended = { ...kept, ...stoppedWithBridge(new Date().toISOString(), holder) }
      const took = Number(
        await runScript(this.o.redis, FAIL_ORPHAN, 2, this.k.views, this.k.open, id, holder, JSON.stringify(ended)),
      )
      if (took === 1) {
        this.onOrphan?.(id)
        const event: RunEvent = { type: 'run-failed', runId: id, error: ended.error! }
        this.tell(ended, event)
        for (const l of this.told) l(ended, event)
      }
      failed += took
    }
    return failed
  }

  async putRun(view: RunView, request?: string): Promise<void> {
    const { events: _events, rerunnable: _again, ...kept } = view
    await runScript(
      this.o.redis,
      PUT,
      5,
      this.k.views,
      this.k.time,
      this.k.requests,
      this.k.requestTime,
      this.k.open,
      view.id,
      Date.parse(view.createdAt),
      JSON.stringify(kept),
      runIsOpen(view.status) ? '1' : '0',
      this.o.bridge,
      request ?? '',
    )
    if (++this.putsSinceTrim >= TRIM_EVERY_PUTS) {
      this.putsSinceTrim = 0
      await runScript(
        this.o.redis,
        TRIM,
        5,
        this.k.views,
        this.k.time,
        this.k.requests,
        this.k.requestTime,
        this.k.open,
        KEPT_RUN_HISTORY,
        KEPT_RUN_REQUESTS,
      )
    }
  }

  private async read(...args: string[]): Promise<RunView[]> {
    const flat = (await runScript(this.o.redis, READ, 3, this.k.views, this.k.time, this.k.requests, ...args)) as Array<
      string | number
    >
    const views: RunView[] = []
    for (let i = 0; i < flat.length; i += 2)
      views.push({ ...(JSON.parse(String(flat[i])) as RunView), rerunnable: flat[i + 1] === 1 })
    return views
  }

  runs(limit: number, before?: string): Promise<RunView[]> {
    return this.read('latest', String(limit), before ? `(${Date.parse(before)}` : '+inf')
  }

  async run(id: string): Promise<RunView | undefined> {
    return (await this.read('one', id))[0]
  }

  async runRequest(id: string): Promise<string | undefined> {
    return (await this.o.redis.hget(this.k.requests, id)) ?? undefined
  }

  tell(run: RunView, event: RunEvent): void {
    void this.o.store.publish({ type: 'run-told', run, event }).catch(this.said)
  }

  onTold(listener: (run: RunView, event: RunEvent) => void): () => void {
    this.told.add(listener)
    const off = this.o.store.onMessage((m) => {
      if (m.type !== 'run-told' || m.from === this.o.store.origin) return
      const told = m as unknown as RunTold
      listener(told.run, told.event)
    })
    return () => {
      this.told.delete(listener)
      off()
    }
  }

  async askCancel(runId: string): Promise<void> {
    await this.o.store.publish({ type: 'run-cancel-asked', runId })
  }

  onCancelAsked(listener: (runId: string) => void): () => void {
    return this.o.store.onMessage((m) => {
      if (m.type === 'run-cancel-asked' && typeof m.runId === 'string') listener(m.runId)
    })
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    await this.o.redis.del(this.k.alive(this.o.bridge)).catch(() => {})
  }
}
