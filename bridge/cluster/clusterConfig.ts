/**
 * How a bridge joins the others on one Redis, and its defaults: apart from
 * the code that connects, so a bridge that works alone never loads the Redis
 * and BullMQ clients.
 */
import { DiscomfortError } from '../../shared/errors.js'

export class RedisConfigError extends DiscomfortError {
  static override code = 'bad_redis'
  override name = 'RedisConfigError'
}

/** How a bridge joins the others. */
export interface ClusterConfig {
  /** redis://[user:password@]host:port[/db] (rediss:// for TLS). */
  url: string
  /** Prefix of every key and of the BullMQ queues (default "discomfort"): bridges that share it share work. */
  prefix?: string
  /** A job a bridge holds is given to another when the bridge has not renewed its lock for this long (ms, default 30 000). */
  lockMs?: number
  /** How often bridges look for jobs whose holder stopped (ms, default lockMs). */
  stalledCheckMs?: number
  /** Largest single value kept in Redis (bytes, default 64 MB). */
  maxValueBytes?: number
}

export const DEFAULT_PREFIX = 'discomfort'
export const DEFAULT_LOCK_MS = 30_000
export const DEFAULT_MAX_VALUE_BYTES = 64 * 1024 * 1024

/** `--redis URL` or the details; undefined when the bridge works alone. */
export function clusterConfig(given: string | ClusterConfig | undefined): ClusterConfig | undefined {
  if (given === undefined) return undefined
  const config = typeof given === 'string' ? { url: given } : given
  if (config.prefix !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(config.prefix))
    throw new RedisConfigError(`The Redis prefix "${config.prefix}" may hold only letters, digits, "_" and "-".`)
  return config
}
