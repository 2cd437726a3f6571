/**
 * The contexts every bridge on one Redis shares. Each bridge follows the
 * others' changes on one pub/sub channel: a context created, changed or
 * removed elsewhere is read again here and its pages are told, so the
 * ComfyUI page can talk to any bridge.
 */
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { ContextChangeListener, ContextStoreApi, CreateContextOptions } from '../store/contextHandle.js'
import { ContextKeyError } from '../store/errors.js'
import { newContextId, validateKey } from '../store/keys.js'
import type { PassByRules } from '../store/config.js'
import { RedisContext } from './redisContext.js'
import type { RedisKeys } from './redis.js'

/** What goes over the events channel about contexts. */
interface ContextNews {
  type: 'context'
  from: string
  id: string
  keys: string[]
  deleted?: boolean
  closed?: boolean
}

export interface RedisContextStoreOptions {
  redis: Redis
  /** A second connection, for the subscription (a subscribed connection runs no other commands). */
  subscriber: Redis
  keys: RedisKeys
  /** Shown where the file store shows its folder. */
  where: string
  passByRules: PassByRules
  ramCapacityBytes: number
  maxValueBytes: number
  onChange?: ContextChangeListener
}

export class RedisContextStore implements ContextStoreApi {
  readonly dir: string
  /** This bridge, in the news it sends (so it skips its own). */
  readonly origin = randomBytes(6).toString('hex')
  private readonly contexts = new Map<string, RedisContext>()
  private readonly opening = new Map<string, Promise<RedisContext>>()
  private readonly listeners = new Set<(message: Record<string, unknown>) => void>()

  constructor(private readonly o: RedisContextStoreOptions) {
    this.dir = o.where
  }

  /** Follow the other bridges, and open every context Redis holds. */
  async init(): Promise<string[]> {
    const channel = this.o.keys.events
    this.o.subscriber.on('message', (from: string, text: string) => {
      if (from !== channel) return
      const message = JSON.parse(text) as Record<string, unknown>
      // A bridge that cannot read the news now catches up at its next request, or when Redis is back.
      if (message.type === 'context' && message.from !== this.origin)
        void this.news(message as unknown as ContextNews).catch(() => {})
      for (const l of this.listeners) l(message)
    })
    await this.o.subscriber.subscribe(channel)
    // News sent while this bridge was cut off from Redis is lost: catch up with every context when back.
    this.o.subscriber.on('ready', () => {
      for (const c of this.list())
        void c.refresh().then(
          (there) => {
            if (there) this.o.onChange?.(c, { keys: [] })
          },
          () => {},
        )
    })
    const ids = await this.o.redis.smembers(this.o.keys.contexts)
    for (const id of ids) await this.open(id).catch(() => undefined)
    return ids
  }

  /** Other parts of the bridge (sweeps, runs) on the same channel. */
  onMessage(listener: (message: Record<string, unknown>) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  publish(message: Record<string, unknown>): Promise<number> {
    return this.o.redis.publish(this.o.keys.events, this.message(message))
  }

  /** A message as it goes on the channel (for scripts that publish it themselves). */
  message(message: Record<string, unknown>): string {
    return JSON.stringify({ ...message, from: this.origin })
  }

  private async news(n: ContextNews): Promise<void> {
    if (n.closed) {
      const c = this.contexts.get(n.id)
      if (!c) return
      c.markClosed()
      this.contexts.delete(n.id)
      this.o.onChange?.(c, { keys: [], deleted: true })
      return
    }
    const c = this.contexts.get(n.id) ?? (await this.open(n.id).catch(() => undefined))
    if (!c) return
    await c.refresh()
    this.o.onChange?.(c, { keys: n.keys, ...(n.deleted ? { deleted: true } : {}) })
  }

  private handle(id: string, name?: string): RedisContext {
    return new RedisContext({
      id,
      redis: this.o.redis,
      keys: this.o.keys,
      ...(name !== undefined ? { name } : {}),
      passByRules: this.o.passByRules,
      ramCapacityBytes: this.o.ramCapacityBytes,
      maxValueBytes: this.o.maxValueBytes,
      onLocalChange: (context, change) => {
        this.o.onChange?.(context, change)
        void this.publish({ type: 'context', id: context.id, keys: change.keys, deleted: change.deleted }).catch(
          () => {},
        )
      },
    })
  }

  async create(options: CreateContextOptions = {}): Promise<RedisContext> {
    const id = options.id === undefined ? newContextId() : validateKey(options.id, 'context id')
    if ((await this.o.redis.sadd(this.o.keys.contexts, id)) === 0)
      throw new ContextKeyError(`A context with id "${id}" already exists; open it, or choose another id.`)
    const now = new Date().toISOString()
    await this.o.redis.hset(this.o.keys.info(id), {
      version: 0,
      createdAt: now,
      updatedAt: now,
      ...(options.name !== undefined ? { name: options.name } : {}),
    })
    const c = this.handle(id, options.name)
    await c.refresh()
    this.contexts.set(id, c)
    this.o.onChange?.(c, { keys: [] })
    await this.publish({ type: 'context', id, keys: [] })
    return c
  }

  /** A context from Redis, read again if it changed (concurrent opens share one read). */
  open(id: string): Promise<RedisContext> {
    const known = this.contexts.get(id)
    if (known && !known.isClosed)
      return known.refresh().then((there) => {
        if (there) return known
        // Removed through another bridge before its news arrived here.
        known.markClosed()
        this.contexts.delete(id)
        throw new ContextKeyError(`There is no context "${id}" (it was removed).`)
      })
    let pending = this.opening.get(id)
    if (!pending) {
      pending = this.restore(id).finally(() => this.opening.delete(id))
      this.opening.set(id, pending)
    }
    return pending
  }

  private async restore(id: string): Promise<RedisContext> {
    validateKey(id, 'context id')
    const c = this.handle(id)
    if (!(await c.refresh()))
      throw new ContextKeyError(
        `There is no context "${id}" in Redis. Create it first (contexts: ${
          this.list()
            .map((x) => x.id)
            .slice(0, 20)
            .join(', ') || 'none'
        }).`,
      )
    this.contexts.set(id, c)
    return c
  }

  get(id: string): RedisContext | undefined {
    const c = this.contexts.get(id)
    return c && !c.isClosed ? c : undefined
  }

  list(): RedisContext[] {
    return [...this.contexts.values()].filter((c) => !c.isClosed)
  }

  /** Remove a context and everything of it from Redis, for every bridge. */
  async close(id: string): Promise<boolean> {
    if ((await this.o.redis.srem(this.o.keys.contexts, id)) === 0) return false
    const pattern = this.o.keys.allOf(id)
    let cursor = '0'
    do {
      const [next, found] = await this.o.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
      if (found.length) await this.o.redis.unlink(...found)
      cursor = next
    } while (cursor !== '0')
    const c = this.contexts.get(id)
    this.contexts.delete(id)
    if (c) {
      c.markClosed()
      this.o.onChange?.(c, { keys: [], deleted: true })
    }
    await this.publish({ type: 'context', id, keys: [], closed: true })
    return true
  }

  /** Stop following; the contexts stay in Redis for the other bridges. */
  async shutdown(): Promise<void> {
    await this.o.subscriber.unsubscribe().catch(() => {})
    for (const c of this.contexts.values()) c.markClosed()
    this.contexts.clear()
  }
}
