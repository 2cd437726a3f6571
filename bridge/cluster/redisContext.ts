/**
 * A context kept in Redis, shared by every bridge on it. This bridge holds a
 * copy of its entries' metadata, read again whenever the context's version
 * in Redis moved (before every load, every run's receipt, and when another
 * bridge says it changed it); values are read from Redis when used.
 *
 * Why values in Redis (and not an object store): one system to run, a value
 * and its metadata are committed in one step with nothing to collect when a
 * bridge dies in between (blobs not adopted by a commit expire), and the
 * values a workflow passes (PNGs, latents: kilobytes to a few megabytes) sit
 * well inside what Redis handles. Limits: one value at most `maxValueBytes`
 * (64 MB by default; Redis's own ceiling is 512 MB), and all of them together
 * what the Redis server's memory holds — run it with `maxmemory-policy
 * noeviction`, so a full Redis refuses a write (the bridge says so) instead
 * of dropping a value.
 */
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { CommittedRun, ContextSummary, EntryMeta, StorageInfo, Usage } from '../../shared/protocol/index.js'
import type { ContextHandle } from '../store/contextHandle.js'
import { ContextClosedError, ContextKeyError, noSuchKey } from '../store/errors.js'
import { validateKey } from '../store/keys.js'
import { passByFor, type PassByRules } from '../store/config.js'
import { decodeValue, describeValue, encodeValue, valueHash, valueSize, type ContextValue } from '../values/values.js'
import { typedForKey } from '../values/valueFrom.js'
import { SerialQueue } from '../store/serialQueue.js'
import { WorkerReceipt, type SaveOptions } from '../store/workerReceipt.js'
import { COMMIT, DELETE, INLINE_VALUE_BYTES, READ_SINCE, RENAME } from './commitScripts.js'
import { runScript, type RedisKeys } from './redis.js'

/** Blobs written but not (yet) adopted by a commit go after this long. */
const ORPHAN_MS = 60 * 60 * 1000
/** A replaced value stays readable this long for runs that began before the change. */
const REPLACED_GRACE_MS = 10 * 60 * 1000

/** The metadata as stored: an entry, its blob in `file`, and for plain values their one-line summary. */
type StoredMeta = EntryMeta & { summary?: string }

const PLAIN = new Set(['string', 'number', 'boolean', 'json'])

/** A sweep item's record and counter, committed with its outputs. */
export interface ItemCommit {
  itemsKey: string
  sweepKey: string
  runningKey: string
  index: number
  record: string
  /** Published from inside the commit: the channel, the item's message, and the sweep's when this item ends it. */
  channel: string
  message: string
  endMessage: string
}

export interface RedisContextInit {
  id: string
  redis: Redis
  keys: RedisKeys
  name?: string
  passByRules: PassByRules
  ramCapacityBytes: number
  maxValueBytes: number
  /** Said after each change this bridge makes (the store tells the others). */
  onLocalChange: (context: RedisContext, change: { keys: string[]; deleted?: boolean; runId?: string }) => void
}

export class RedisContext implements ContextHandle {
  readonly id: string
  name: string | undefined
  readonly durable = true
  private readonly redis: Redis
  private readonly k: RedisKeys
  /** Each entry wrapped as a receipt's snapshot holds it, so a run's snapshot is one native Map copy. */
  private entries = new Map<string, { meta: StoredMeta }>()
  private runs: CommittedRun[] = []
  /** The context's version in Redis when `entries` were read. */
  private version = -1
  /** How many runs had committed then. */
  private runsTotal = 0
  /** Changes to the copy, in order. */
  private readonly cache = new SerialQueue()
  private closed = false

  constructor(private readonly init: RedisContextInit) {
    this.id = init.id
    this.name = init.name
    this.redis = init.redis
    this.k = init.keys
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** @internal The store marks it closed when it (or another bridge) removed it. */
  markClosed(): void {
    this.closed = true
    this.entries.clear()
  }

  private assertOpen(): void {
    if (this.closed) throw new ContextClosedError(`Context ${this.id} has been closed.`)
  }

  /** Catch up with the context in Redis (only what changed since this copy); false when it is gone. */
  refresh(): Promise<boolean> {
    // One at a time, each from where the last left off (a copy is changed only here).
    return this.cache.run(() => this.readSince())
  }

  private async readSince(): Promise<boolean> {
    const reply = (await runScript(
      this.redis,
      READ_SINCE,
      4,
      this.k.info(this.id),
      this.k.meta(this.id),
      this.k.changes(this.id),
      this.k.runs(this.id),
      this.version,
      this.runsTotal,
    )) as [number, ('all' | 'since')?, string[]?, (string | null)?, number?, string[]?]
    const [version, how, pairs = [], name, runsTotal = 0, runs = []] = reply
    if (version < 0) return false
    if (!how || version < this.version) return true
    if (how === 'all') this.entries.clear()
    for (let i = 0; i < pairs.length; i += 2) {
      const key = pairs[i]!
      const text = pairs[i + 1]!
      if (text) this.entries.set(key, { meta: JSON.parse(text) as StoredMeta })
      else this.entries.delete(key)
    }
    const fresh = runs.map((r) => JSON.parse(r) as CommittedRun).reverse()
    const known = new Set(how === 'all' ? [] : this.runs.map((r) => r.runId))
    this.runs = [...(how === 'all' ? [] : this.runs), ...fresh.filter((r) => !known.has(r.runId))].slice(-200)
    this.runsTotal = runsTotal
    if (name) this.name = name
    this.version = version
    return true
  }

  // --- reading (from the copy of the metadata) ------------------------------------

  listKeys(): string[] {
    return [...this.entries.keys()]
  }
  has(key: string): boolean {
    return this.entries.has(key)
  }
  meta(key: string): EntryMeta | undefined {
    const m = this.entries.get(key)?.meta
    return m ? publicMeta(m) : undefined
  }
  allMeta(): EntryMeta[] {
    return [...this.entries.values()].map((e) => publicMeta(e.meta))
  }
  recentRuns(): CommittedRun[] {
    return [...this.runs].reverse()
  }
  peekSummary(key: string): string | undefined {
    return this.entries.get(key)?.meta.summary
  }

  summary(): ContextSummary {
    return {
      id: this.id,
      ...(this.name !== undefined ? { name: this.name } : {}),
      durable: true,
      keys: this.entries.size,
      usage: this.getUsage(),
    }
  }

  /** "RAM" is what its values take in Redis (there is no disk tier). */
  getUsage(): Usage {
    let bytes = 0
    for (const e of this.entries.values()) bytes += e.meta.sizeBytes
    return {
      ram_usage_gb: bytes / 1024 ** 3,
      ram_capacity_gb: this.init.ramCapacityBytes / 1024 ** 3,
      temp_disk_usage_mb: 0,
      stored_keys_count: this.entries.size,
      ram_usage_bytes: bytes,
      ram_capacity_bytes: this.init.ramCapacityBytes,
      disk_usage_bytes: 0,
    }
  }

  getStorageInfo(key: string): StorageInfo {
    const m = this.entries.get(key)?.meta
    if (!m) throw this.missing(key)
    return {
      key,
      storage_type: 'redis',
      size: m.sizeBytes,
      pass_by: m.passBy,
      comfy_type: m.comfyType,
      kind: m.kind,
      version: m.version,
      hash: m.hash,
      producer: m.producer,
      updated_at: m.updatedAt,
    }
  }

  private missing(key: string): ContextKeyError {
    return noSuchKey(this.id, key, this.listKeys())
  }

  async load(key: string): Promise<ContextValue> {
    this.assertOpen()
    await this.refresh()
    const m = this.entries.get(key)?.meta
    if (!m) throw this.missing(key)
    return this.readBlob(m)
  }

  private async readBlob(m: StoredMeta): Promise<ContextValue> {
    const bytes = await this.redis.getBuffer(this.k.blobPrefix(this.id) + m.file)
    if (!bytes)
      throw new ContextKeyError(
        `Context ${this.id}: the value of "${m.key}" (version ${m.version}) is no longer in Redis: it was replaced more than ${REPLACED_GRACE_MS / 60_000} minutes ago, or Redis lost it. Run again.`,
      )
    return decodeValue(bytes)
  }

  // --- writing ---------------------------------------------------------------------

  save(key: string, value: ContextValue, options: SaveOptions = {}): Promise<EntryMeta> {
    validateKey(key)
    return this.commit([{ key, value, options }], undefined).then((r) => r.metas[0]!)
  }

  async delete(key: string): Promise<boolean> {
    this.assertOpen()
    const gone =
      (await runScript(
        this.redis,
        DELETE,
        3,
        this.k.info(this.id),
        this.k.meta(this.id),
        this.k.changes(this.id),
        this.k.blobPrefix(this.id),
        key,
        REPLACED_GRACE_MS,
        new Date().toISOString(),
      )) === 1
    await this.refresh()
    if (gone) this.init.onLocalChange(this, { keys: [key], deleted: true })
    return gone
  }

  /**
   * Write values as one change: blobs first, then the commit script. With a
   * run id, a run that already committed changes nothing (`committed` false)
   * and answers with what it committed then.
   */
  async commit(
    items: Array<{ key: string; value: ContextValue; options: SaveOptions }>,
    run: { runId: string; read: string[] } | undefined,
    item?: ItemCommit,
  ): Promise<{ committed: boolean; metas: EntryMeta[] }> {
    this.assertOpen()
    const blobPrefix = this.k.blobPrefix(this.id)
    const args: Array<string | Buffer | number> = []
    const write = this.redis.pipeline()
    for (const { key, value: given, options } of items) {
      const old = this.entries.get(key)?.meta
      const { comfyType, value } = typedForKey(given, options.comfyType, old?.comfyType, key)
      const bytes = encodeValue(value)
      if (bytes.byteLength > this.init.maxValueBytes)
        throw new ContextKeyError(
          `"${key}" is ${(bytes.byteLength / 1024 ** 2).toFixed(1)} MB; a value kept in Redis may be at most ${(this.init.maxValueBytes / 1024 ** 2).toFixed(0)} MB (the bridge's redis max value setting).`,
        )
      const blob = randomBytes(12).toString('hex')
      const meta: Omit<StoredMeta, 'version' | 'updatedAt'> = {
        key,
        comfyType,
        passBy:
          value.kind === 'ref' ? 'ref' : (options.passBy ?? old?.passBy ?? passByFor(comfyType, this.init.passByRules)),
        kind: value.kind,
        tier: 'redis',
        sizeBytes: valueSize(value),
        hash: valueHash(value),
        producer: options.producer ?? 'user',
        file: blob,
        ...(PLAIN.has(value.kind) ? { summary: describeValue(value) } : {}),
      }
      // (An empty value cannot travel inline: '' says the blob was written before.)
      const inline = bytes.byteLength > 0 && bytes.byteLength <= INLINE_VALUE_BYTES
      if (!inline) write.set(blobPrefix + blob, bytes, 'PX', ORPHAN_MS)
      args.push(
        key,
        JSON.stringify(meta),
        blob,
        inline ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : '',
      )
    }
    if (write.length) await write.exec()
    const now = new Date().toISOString()
    const runJson = run
      ? JSON.stringify({
          runId: run.runId,
          status: 'committed',
          read: run.read,
          wrote: items.map((i) => i.key),
          at: now,
        })
      : ''
    const keys = [
      this.k.info(this.id),
      this.k.meta(this.id),
      this.k.receipts(this.id),
      this.k.runs(this.id),
      this.k.changes(this.id),
    ]
    if (item) keys.push(item.itemsKey, item.sweepKey, item.runningKey)
    const tail = item ? [item.index, item.record, item.channel, item.message, item.endMessage] : []
    const [committed, receipt, top] = (await runScript(
      this.redis,
      COMMIT,
      keys.length,
      ...keys,
      blobPrefix,
      run?.runId ?? '',
      now,
      REPLACED_GRACE_MS,
      runJson,
      items.length,
      ...args,
      ...tail,
    )) as [number, string, number]
    const stored = JSON.parse(receipt) as StoredMeta[]
    await this.cache.run(async () => {
      if (committed === 1 && this.version === top - Math.max(items.length, 1)) {
        // Nothing else changed since this copy: it catches up without reading Redis again.
        for (const m of stored) this.entries.set(m.key, { meta: m })
        if (run) {
          this.runs = [...this.runs, JSON.parse(runJson) as CommittedRun].slice(-200)
          this.runsTotal += 1
        }
        this.version = top
      } else await this.readSince()
    })
    const metas = stored.map(publicMeta)
    if (committed === 1)
      this.init.onLocalChange(this, { keys: metas.map((m) => m.key), ...(run ? { runId: run.runId } : {}) })
    return { committed: committed === 1, metas }
  }

  // --- runs --------------------------------------------------------------------------

  async beginRun(runId: string): Promise<WorkerReceipt> {
    this.assertOpen()
    if (!(await this.refresh())) {
      this.markClosed()
      throw new ContextClosedError(`Context ${this.id} has been removed.`)
    }
    // Entries are replaced, never changed in place: the receipt may share them.
    return new WorkerReceipt(this, runId, new Map(this.entries))
  }

  readSnapshot(entry: { meta: EntryMeta; value?: ContextValue }): Promise<ContextValue> {
    return entry.value ? Promise.resolve(entry.value) : this.readBlob(entry.meta)
  }

  async commitReceipt(receipt: WorkerReceipt): Promise<EntryMeta[]> {
    const { metas } = await this.commit(receipt.stagedItems(), { runId: receipt.runId, read: receipt.readKeys() })
    return metas
  }

  discardReceipt(): Promise<void> {
    return Promise.resolve()
  }

  async rename(name: string): Promise<void> {
    this.assertOpen()
    const found = await runScript(this.redis, RENAME, 1, this.k.info(this.id), name, new Date().toISOString())
    if (found !== 1) throw new ContextClosedError(`Context ${this.id} has been closed.`)
    await this.refresh()
    this.init.onLocalChange(this, { keys: [] })
  }

  /** Every context in Redis is durable: it outlives each bridge. */
  makeDurable(): Promise<void> {
    return Promise.resolve()
  }

  flush(): Promise<void> {
    return Promise.resolve()
  }
}

const publicMeta = (m: StoredMeta): EntryMeta => {
  const { summary: _summary, ...meta } = m
  return meta
}
