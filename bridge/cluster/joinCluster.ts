/**
 * A bridge joining the others on one Redis: its connections (commands, the
 * subscription, the BullMQ worker's blocking one), the shared context store,
 * and the sweeps every bridge works on.
 */
import type { Runner } from '../runs/runner.js'
import { loadPassByRules, ramCapacityBytes, type WorkflowContextConfig } from '../store/config.js'
import type { ContextChangeListener } from '../store/contextHandle.js'
import { ClusterRuns } from './clusterRuns.js'
import { ClusterSweeper } from './clusterSweeper.js'
import { DEFAULT_LOCK_MS, DEFAULT_MAX_VALUE_BYTES, DEFAULT_PREFIX, type ClusterConfig } from './clusterConfig.js'
import { connectRedis, redisKeys } from './redis.js'
import { RedisContextStore } from './redisContextStore.js'
import { RedisRunHistory } from './redisRunHistory.js'

/** The URL without its password, for logs and pages. */
const shown = (url: string): string => {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return u.toString()
}

export async function joinCluster(
  config: ClusterConfig,
  local: { config: WorkflowContextConfig; ramCapacityBytes: number | undefined; onChange: ContextChangeListener },
) {
  const prefix = config.prefix ?? DEFAULT_PREFIX
  const keys = redisKeys(prefix)
  const where = `${shown(config.url)} (prefix ${prefix})`
  const redis = await connectRedis(config.url, { name: 'discomfort' })
  const subscriber = await connectRedis(config.url, { blocking: true, name: 'discomfort-events' })
  const workerRedis = await connectRedis(config.url, { blocking: true, name: 'discomfort-worker' })
  const runWorkerRedis = await connectRedis(config.url, { blocking: true, name: 'discomfort-run-worker' })
  const eventsRedis = await connectRedis(config.url, { blocking: true, name: 'discomfort-run-events' })
  const setting = async (name: string): Promise<string | undefined> => {
    const answer = (await redis.config('GET', name).catch(() => [])) as unknown[]
    return typeof answer[1] === 'string' ? answer[1] : undefined
  }
  const policy = await setting('maxmemory-policy')
  const appendOnly = await setting('appendonly')
  const fsync = await setting('appendfsync')
  const lockMs = config.lockMs ?? DEFAULT_LOCK_MS
  const store = new RedisContextStore({
    redis,
    subscriber,
    keys,
    where,
    passByRules: loadPassByRules(),
    ramCapacityBytes: local.ramCapacityBytes ?? ramCapacityBytes(local.config),
    maxValueBytes: config.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES,
    onChange: local.onChange,
  })
  return {
    store,
    where,
    /** Said once at start: how this Redis could lose what the bridges keep there. */
    warnings: [
      ...(policy && policy !== 'noeviction'
        ? [
            `Redis evicts keys when full (maxmemory-policy ${policy}): contexts and queued items could be lost. Set maxmemory-policy noeviction.`,
          ]
        : []),
      ...(appendOnly === 'no'
        ? [
            'Redis keeps no append-only file (appendonly no): a Redis restart loses contexts and queued items. Set appendonly yes and appendfsync always.',
          ]
        : appendOnly === 'yes' && fsync && fsync !== 'always'
          ? [
              `Redis syncs its append-only file ${fsync === 'everysec' ? 'once a second' : 'when the system decides'} (appendfsync ${fsync}): it answers before a commit is on disk, so Redis killed or its machine down can lose the last seconds of acknowledged commits. For none, set appendfsync always.`,
            ]
          : []),
    ],
    sweeper: (o: { runner: Runner; capacity: () => number; bridge: string; log?: (line: string) => void }) =>
      new ClusterSweeper({
        ...o,
        store,
        redis,
        workerRedis,
        keys,
        prefix,
        where,
        lockMs,
        stalledCheckMs: config.stalledCheckMs ?? lockMs,
      }),
    /** The run history every bridge keeps; a bridge not heard of for --redis-lock-ms is taken as gone. */
    history: (o: { bridge: string; log?: (line: string) => void }) =>
      new RedisRunHistory({ ...o, redis, keys, store, aliveMs: lockMs }),
    runs: (o: { runner: Runner; capacity: () => number; bridge: string; log?: (line: string) => void }) =>
      new ClusterRuns({
        ...o,
        store,
        redis,
        workerRedis: runWorkerRedis,
        eventsRedis,
        prefix,
        lockMs,
        stalledCheckMs: config.stalledCheckMs ?? lockMs,
      }),
    async close(): Promise<void> {
      for (const c of [eventsRedis, runWorkerRedis, workerRedis, subscriber, redis])
        await c.quit().catch(() => c.disconnect())
    },
  }
}
