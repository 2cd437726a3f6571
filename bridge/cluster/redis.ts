/**
 * Several bridges on one Redis: how they connect, and the names of what they
 * keep there. Everything of one context (its entries, values, receipts and
 * sweeps) shares a hash tag, `{<context id>}`, so each commit script touches
 * one slot (a Redis Cluster keeps them on one node).
 */
import { createHash } from 'node:crypto'
import { Redis, type RedisOptions } from 'ioredis'
import type { Runner } from '../runs/runner.js'
import { RedisConfigError } from './clusterConfig.js'

/** Open a connection; `blocking` ones (BullMQ workers, subscribers) never give up on a command. */
export async function connectRedis(url: string, options: { blocking?: boolean; name?: string } = {}): Promise<Redis> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new RedisConfigError(`"${url}" is not a Redis URL; give one like redis://127.0.0.1:6379.`)
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new RedisConfigError(`"${url}" is not a Redis URL (redis:// or rediss://).`)
  const config: RedisOptions = {
    lazyConnect: true,
    // Commands wait for a reconnect instead of failing at once; blocking connections wait for ever (BullMQ needs that).
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableOfflineQueue: true,
    ...(options.name ? { connectionName: options.name } : {}),
  }
  const redis = new Redis(url, config)
  // Connection errors surface on commands; without a listener ioredis would also print each one.
  redis.on('error', () => {})
  try {
    await redis.connect()
  } catch (e) {
    redis.disconnect()
    throw new RedisConfigError(
      `Cannot reach Redis at ${parsed.host}: ${(e as Error).message}. Start it (redis-server), or check --redis.`,
      { cause: e },
    )
  }
  return redis
}

/** Key names under one prefix. */
export function redisKeys(prefix: string) {
  // A context id may hold "{" or "}" (which would change the hash tag): escaped, as is "%".
  const tag = (id: string) => id.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  const ctx = (id: string) => `${prefix}:{${tag(id)}}`
  return {
    /** SET of context ids. */
    contexts: `${prefix}:contexts`,
    /** HASH name, createdAt, updatedAt, version (the counter every change bumps). */
    info: (id: string) => `${ctx(id)}:info`,
    /** HASH key → entry metadata (JSON). */
    meta: (id: string) => `${ctx(id)}:meta`,
    /** Prefix of the STRING keys that hold values' bytes. */
    blobPrefix: (id: string) => `${ctx(id)}:blob:`,
    /** ZSET key → the version that last changed it: how a bridge catches up. */
    changes: (id: string) => `${ctx(id)}:changes`,
    /** HASH run id → what it committed: the commit-once record. */
    receipts: (id: string) => `${ctx(id)}:receipts`,
    /** LIST of the latest committed runs (newest first). */
    runs: (id: string) => `${ctx(id)}:runs`,
    /** HASH of a sweep (view fields, counters). */
    sweep: (contextId: string, sweepId: string) => `${ctx(contextId)}:sweep:${sweepId}`,
    /** HASH item index → item record (JSON) of a sweep's started and finished items. */
    sweepItems: (contextId: string, sweepId: string) => `${ctx(contextId)}:sweep:${sweepId}:items`,
    /** HASH item index → the bridge running it. */
    sweepRunning: (contextId: string, sweepId: string) => `${ctx(contextId)}:sweep:${sweepId}:running`,
    /** ZSET sweep id → created time; the member's context in `sweepContexts`. */
    sweeps: `${prefix}:sweeps`,
    /** HASH sweep id → its context id. */
    sweepContexts: `${prefix}:sweep-contexts`,
    /**
     * The run history every bridge keeps and lists. Its keys share the hash tag
     * `{%runs}`, which no escaped context id can be ("%" is always escaped).
     */
    history: {
      /** HASH run id → its view (JSON). */
      views: `${prefix}:{%runs}:views`,
      /** ZSET run id → when it was created (ms): the order it is listed in. */
      time: `${prefix}:{%runs}:time`,
      /** HASH run id → what it takes to run it again (JSON). */
      requests: `${prefix}:{%runs}:requests`,
      /** ZSET run id → created (ms), of the runs whose request is kept. */
      requestTime: `${prefix}:{%runs}:request-time`,
      /** HASH run id → the bridge that holds it, for runs queued or running. */
      open: `${prefix}:{%runs}:open`,
      /** STRING that exists while that bridge is alive (it renews its expiry). */
      alive: (bridge: string) => `${prefix}:{%runs}:alive:${bridge}`,
    },
    /** Pub/sub channel of changes every bridge follows. */
    events: `${prefix}:events`,
    /** A SCAN pattern for everything of one context, for when it is removed. */
    allOf: (id: string) => `${ctx(id).replace(/[*?[\]\\]/g, (c) => `\\${c}`)}:*`,
  }
}
export type RedisKeys = ReturnType<typeof redisKeys>

const shas = new Map<string, string>()

/**
 * Run a Lua script by its SHA (Redis keeps the body once it has seen it),
 * sending the body only when Redis does not have it (first use, or after a restart).
 */
export async function runScript(
  redis: Redis,
  script: string,
  numKeys: number,
  ...args: Array<string | Buffer | number>
): Promise<unknown> {
  let sha = shas.get(script)
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex')
    shas.set(script, sha)
  }
  try {
    return await redis.evalsha(sha, numKeys, ...args)
  } catch (e) {
    if (!String((e as Error).message).startsWith('NOSCRIPT')) throw e
    return redis.eval(script, numKeys, ...args)
  }
}

/** An error listener that says each distinct message at most once a minute (a Redis outage repeats itself). */
export function sayOnce(log: ((line: string) => void) | undefined, label: string): (e: Error) => void {
  const said = new Map<string, number>()
  return (e) => {
    const now = Date.now()
    if ((said.get(e.message) ?? 0) > now - 60_000) return
    said.set(e.message, now)
    log?.(`${label}: ${e.message}`)
  }
}

/** What a bridge's BullMQ worker (for sweep items or runs) is given. */
export interface ClusterWorkerOptions {
  runner: Runner
  /** Commands. */
  redis: Redis
  /** A connection of its own for the BullMQ worker (it blocks). */
  workerRedis: Redis
  /** Key prefix; the queues live under `<prefix>:bull`. */
  prefix: string
  /** This bridge's slots over its pool. */
  capacity: () => number
  /** This bridge, in records and as the worker's name. */
  bridge: string
  lockMs: number
  stalledCheckMs: number
  log?: (line: string) => void
}
