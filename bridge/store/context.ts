/**
 * A master context: the entries a script or the sidebar keeps between runs.
 *
 * Values live in RAM up to a capacity and spill to disk past it, least
 * recently used first, loading back transparently. Every change goes through
 * one queue per context, so concurrent saves and loads never lose an update.
 * Each operation costs the same whatever the context holds: usage is kept as
 * running totals, an ephemeral context has no files at all until a value
 * spills, and a durable one records each change as one journal line
 * (`journal.ts`: every entry's type, pass-by, size, hash, version, producer,
 * and the runs committed).
 *
 * A run works through a receipt (`beginRun`): it reads the entries as they
 * were when it began, stages what it produces, and the master commits all of
 * it at once, or none of it.
 */
import { createHash } from 'node:crypto'
import { randomBytes } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { makeFolder, removeFile, removeTree, renamePath, storageError, writeFileAtomic } from './disk.js'
import { passByFor, type PassByRules } from './config.js'
import { type Change, Journal, type Snapshot, syncFile } from './journal.js'
import { decodeValue, encodeValue, valueHash, valueSize, type ContextValue, describeValue } from '../values/values.js'
import { typedForKey } from '../values/valueFrom.js'
import { ContextClosedError, type ContextKeyError, noSuchKey } from './errors.js'
import { validateKey } from './keys.js'
import { SerialQueue } from './serialQueue.js'
import { WorkerReceipt, type SaveOptions } from './workerReceipt.js'
import type { ContextChangeListener, ContextHandle } from './contextHandle.js'
import type {
  CommittedRun as RunRecord,
  ContextSummary,
  EntryMeta,
  StorageInfo,
  Usage,
} from '../../shared/protocol/index.js'

export type { EntryMeta, RunRecord, SaveOptions, StorageInfo, Usage }

const KEPT_RUNS = 200

/** A deleted context's folder, renamed aside until removed (now, or at the next start). */
export const TRASH_PREFIX = '.trash-'

export interface ContextInit {
  id: string
  dir: string
  durable: boolean
  name?: string
  ramCapacityBytes: number
  passByRules: PassByRules
  onChange?: ContextChangeListener
}

export class Context implements ContextHandle {
  readonly id: string
  readonly dir: string
  private isDurable: boolean
  private currentName: string | undefined
  readonly ramCapacityBytes: number
  private readonly rules: PassByRules
  private readonly entries = new Map<string, EntryMeta>()
  /** RAM tier, least recently used first. */
  private readonly ram = new Map<string, ContextValue>()
  private readonly queue = new SerialQueue()
  /** Files still read by open receipts: not deleted until released. */
  private readonly pinned = new Map<string, number>()
  private readonly doomed = new Set<string>()
  private runs: RunRecord[] = []
  /** A durable context's record on disk (receipts.json and its journal); an ephemeral one has none. */
  private journal: Journal | undefined
  /** The folder exists (an ephemeral context makes it when its first value goes to disk). */
  private hasFolder = false
  /** Running totals: bytes of the values in RAM, and of the values counted as on disk. */
  private ramUsage = 0
  private diskUsage = 0
  private readonly ramSizes = new Map<string, number>()
  private nextVersion = 1
  private createdAt = new Date().toISOString()
  private closed = false
  private readonly onChange: ContextInit['onChange']

  constructor(init: ContextInit) {
    this.id = init.id
    this.dir = init.dir
    this.isDurable = init.durable
    this.currentName = init.name
    this.ramCapacityBytes = init.ramCapacityBytes
    this.rules = init.passByRules
    this.onChange = init.onChange
  }

  get name(): string | undefined {
    return this.currentName
  }

  /** A durable context's new name is in its snapshot before this resolves. */
  rename(name: string): Promise<void> {
    return this.queue.run(() =>
      this.guarded(`renaming context ${this.id}`, async () => {
        this.assertOpen()
        const before = this.currentName
        this.currentName = name
        try {
          await this.journal?.snapshot(this.state(), true)
        } catch (e) {
          this.currentName = before
          throw e
        }
        this.onChange?.(this, { keys: [] })
      }),
    )
  }

  /** A durable context's every change is on disk (fsync'd) before it resolves, and it outlives the bridge. */
  get durable(): boolean {
    return this.isDurable
  }

  /**
   * Make an ephemeral context durable from now on: every value goes to disk
   * (those only in RAM are written, those already spilled are synced), then
   * receipts.json says so. Until that last write it stays ephemeral, so a
   * failure halfway leaves it as it was.
   */
  makeDurable(): Promise<void> {
    return this.queue.run(() => this.guarded(`making context ${this.id} durable`, () => this.makeDurableNow()))
  }

  private async makeDurableNow(): Promise<void> {
    if (this.closed) throw new ContextClosedError(`Context "${this.id}" is closed.`)
    if (this.isDurable) return
    await this.ensureFolder()
    const written: EntryMeta[] = []
    for (const meta of this.entries.values()) {
      const path = join(this.valuesDir, meta.file ?? this.fileName(meta.key, meta.version))
      if (meta.file) await syncFile(path)
      else {
        await writeFileAtomic(path, encodeValue(this.ram.get(meta.key)!), { sync: true })
        written.push(meta)
      }
    }
    for (const meta of written) this.retier(meta, () => (meta.file = this.fileName(meta.key, meta.version)))
    this.isDurable = true
    this.recount()
    try {
      const journal = new Journal(this.dir)
      await journal.snapshot(this.state(), true)
      this.journal = journal
    } catch (e) {
      this.isDurable = false
      this.recount()
      throw e
    }
    this.onChange?.(this, { keys: [] })
  }

  /** Run a change; a file-system failure becomes the bridge's storage error, saying what was not done. */
  private async guarded<T>(what: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change()
    } catch (e) {
      throw storageError(e, what)
    }
  }

  // --- running totals ---------------------------------------------------------

  private onDisk(meta: EntryMeta): number {
    return meta.file && (meta.tier === 'disk' || this.isDurable) ? meta.sizeBytes : 0
  }

  private setEntry(meta: EntryMeta): void {
    const old = this.entries.get(meta.key)
    if (old) this.diskUsage -= this.onDisk(old)
    this.entries.set(meta.key, meta)
    this.diskUsage += this.onDisk(meta)
  }

  private dropEntry(key: string): void {
    const old = this.entries.get(key)
    if (!old) return
    this.diskUsage -= this.onDisk(old)
    this.entries.delete(key)
  }

  /** Change an entry's file or tier in place, keeping the totals. */
  private retier(meta: EntryMeta, change: () => void): void {
    this.diskUsage -= this.onDisk(meta)
    change()
    this.diskUsage += this.onDisk(meta)
  }

  /** Count again (when durability changes what counts as on disk). */
  private recount(): void {
    this.diskUsage = 0
    for (const meta of this.entries.values()) this.diskUsage += this.onDisk(meta)
  }

  private ramPut(key: string, value: ContextValue, size: number): void {
    this.ramDrop(key)
    this.ram.set(key, value)
    this.ramSizes.set(key, size)
    this.ramUsage += size
  }

  private ramDrop(key: string): void {
    const size = this.ramSizes.get(key)
    if (size === undefined) return
    this.ram.delete(key)
    this.ramSizes.delete(key)
    this.ramUsage -= size
  }

  /** Its folder and owner.json, made when the first file is to be written. */
  private async ensureFolder(): Promise<void> {
    if (this.hasFolder) return
    await makeFolder(this.valuesDir)
    await writeFileAtomic(
      join(this.dir, 'owner.json'),
      JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }),
      { sync: this.isDurable },
    )
    this.hasFolder = true
  }

  private get valuesDir(): string {
    return join(this.dir, 'values')
  }

  /** A durable context: its folder and first receipts.json. An ephemeral one writes nothing until a value spills. */
  async initialise(): Promise<void> {
    if (!this.isDurable) return
    await this.ensureFolder()
    const journal = new Journal(this.dir)
    await journal.snapshot(this.state(), true)
    this.journal = journal
  }

  /** Reload a durable context from its folder (after a restart). */
  async restore(): Promise<void> {
    const { snapshot, changes, journal } = await Journal.read(this.dir)
    this.nextVersion = snapshot.nextVersion
    this.createdAt = snapshot.createdAt
    this.runs = snapshot.runs ?? []
    const put = (meta: EntryMeta) => {
      if (meta.file) this.setEntry({ ...meta, tier: 'disk' })
      else this.dropEntry(meta.key) // a value that never reached disk cannot come back
    }
    for (const meta of Object.values(snapshot.entries)) put(meta)
    for (const change of changes) {
      for (const meta of change.put ?? []) put(meta)
      for (const key of change.del ?? []) this.dropEntry(key)
      if (change.run) this.runs = [...this.runs, change.run].slice(-KEPT_RUNS)
      this.nextVersion = change.next
    }
    this.hasFolder = true
    this.journal = journal
    await this.removeLeftovers()
    await writeFileAtomic(
      join(this.dir, 'owner.json'),
      JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }),
    )
    // What the journal held, folded into the snapshot once.
    if (changes.length) await journal.snapshot(this.state(), true)
  }

  /** After a crash: temp files of interrupted writes, and value files no entry refers to (written, never committed). */
  private async removeLeftovers(): Promise<void> {
    const referenced = new Set([...this.entries.values()].flatMap((m) => (m.file ? [m.file] : [])))
    for (const dir of [this.dir, this.valuesDir]) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (name.endsWith('.tmp') || (dir === this.valuesDir && !referenced.has(name)))
          await removeTree(join(dir, name))
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ContextClosedError(`Context ${this.id} is closed.`)
  }

  // --- reading ---------------------------------------------------------------

  listKeys(): string[] {
    return [...this.entries.keys()]
  }

  has(key: string): boolean {
    return this.entries.has(key)
  }

  meta(key: string): EntryMeta | undefined {
    const m = this.entries.get(key)
    return m ? { ...m } : undefined
  }

  allMeta(): EntryMeta[] {
    return [...this.entries.values()].map((m) => ({ ...m }))
  }

  recentRuns(): RunRecord[] {
    return [...this.runs]
  }

  /** The value stored under `key`. Throws ContextKeyError naming the key and the keys there are. */
  load(key: string): Promise<ContextValue> {
    return this.queue.run(async () => {
      this.assertOpen()
      const meta = this.entries.get(key)
      if (!meta) throw this.missing(key)
      return this.readValue(meta, true)
    })
  }

  private missing(key: string): ContextKeyError {
    return noSuchKey(this.id, key, this.listKeys())
  }

  private async readValue(meta: EntryMeta, promote: boolean): Promise<ContextValue> {
    const inRam = this.ram.get(meta.key)
    if (inRam) {
      // Most recently used: last in the map's order.
      this.ram.delete(meta.key)
      this.ram.set(meta.key, inRam)
      return inRam
    }
    if (!meta.file) throw new Error(`Context ${this.id}: "${meta.key}" is neither in RAM nor on disk.`)
    const value = decodeValue(await readFile(join(this.valuesDir, meta.file)))
    if (promote && meta.sizeBytes <= this.ramCapacityBytes) {
      this.ramPut(meta.key, value, meta.sizeBytes)
      this.retier(meta, () => (meta.tier = 'ram'))
      await this.enforceCapacity(meta.key)
    }
    return value
  }

  /** How clients list it: id, name, durability, key count and usage. */
  summary(): ContextSummary {
    return {
      id: this.id,
      ...(this.name !== undefined ? { name: this.name } : {}),
      durable: this.durable,
      keys: this.entries.size,
      usage: this.getUsage(),
    }
  }

  getUsage(): Usage {
    const ramBytes = this.ramUsage
    const diskBytes = this.diskUsage
    return {
      ram_usage_gb: ramBytes / 1024 ** 3,
      ram_capacity_gb: this.ramCapacityBytes / 1024 ** 3,
      temp_disk_usage_mb: diskBytes / 1024 ** 2,
      stored_keys_count: this.entries.size,
      ram_usage_bytes: ramBytes,
      ram_capacity_bytes: this.ramCapacityBytes,
      disk_usage_bytes: diskBytes,
    }
  }

  /** A one-line description of a value held in RAM (what the panel lists), without reading disk. */
  peekSummary(key: string): string | undefined {
    const value = this.ram.get(key)
    return value ? describeValue(value) : undefined
  }

  getStorageInfo(key: string): StorageInfo {
    const m = this.entries.get(key)
    if (!m) throw this.missing(key)
    const info: StorageInfo = {
      key,
      storage_type: this.ram.has(key) ? 'ram' : 'disk',
      size: m.sizeBytes,
      pass_by: m.passBy,
      comfy_type: m.comfyType,
      kind: m.kind,
      version: m.version,
      hash: m.hash,
      producer: m.producer,
      updated_at: m.updatedAt,
    }
    if (m.file) info.path = join(this.valuesDir, m.file)
    return info
  }

  // --- writing ---------------------------------------------------------------

  /** Store a value under `key` (a new version). The stored pass-by wins over the rules later. */
  async save(key: string, value: ContextValue, options: SaveOptions = {}): Promise<EntryMeta> {
    validateKey(key)
    return this.queue.run(async () => {
      this.assertOpen()
      const [meta] = await this.guarded(`saving "${key}" in context ${this.id}`, () =>
        this.apply([{ key, value, options }], undefined),
      )
      this.onChange?.(this, { keys: [key] })
      return { ...meta! }
    })
  }

  /** Delete a key. When its record cannot be written, the key stays as it was and the error says so. */
  delete(key: string): Promise<boolean> {
    return this.queue.run(async () => {
      this.assertOpen()
      const meta = this.entries.get(key)
      if (!meta) return false
      const inRam = this.ram.get(key)
      this.dropEntry(key)
      this.ramDrop(key)
      try {
        await this.record({ del: [key], next: this.nextVersion })
      } catch (e) {
        this.setEntry(meta)
        if (inRam) this.ramPut(key, inRam, meta.sizeBytes)
        throw storageError(e, `deleting "${key}" from context ${this.id}`)
      }
      if (meta.file) await this.removeFile(meta.file)
      this.onChange?.(this, { keys: [key], deleted: true })
      return true
    })
  }

  /**
   * Write several values as one change: new version files first, then the
   * metadata swap and receipts.json. If a write fails, nothing changes.
   */
  private async apply(
    items: Array<{ key: string; value: ContextValue; options: SaveOptions }>,
    run: { runId: string; read: string[] } | undefined,
  ): Promise<EntryMeta[]> {
    const now = new Date().toISOString()
    const prepared: Array<{ meta: EntryMeta; value: ContextValue; old?: EntryMeta }> = []
    const written: string[] = []
    try {
      for (const { key, value: given, options } of items) {
        const old = this.entries.get(key)
        const { comfyType, value } = typedForKey(given, options.comfyType, old?.comfyType, key)
        const passBy =
          value.kind === 'ref' ? 'ref' : (options.passBy ?? old?.passBy ?? passByFor(comfyType, this.rules))
        const meta: EntryMeta = {
          key,
          comfyType,
          passBy,
          kind: value.kind,
          tier: 'ram',
          sizeBytes: valueSize(value),
          hash: valueHash(value),
          version: this.nextVersion + prepared.length,
          producer: options.producer ?? 'user',
          updatedAt: now,
        }
        // Durable contexts write through; a value larger than the whole RAM tier goes straight to disk.
        if (this.durable || meta.sizeBytes > this.ramCapacityBytes) {
          await this.ensureFolder()
          meta.file = this.fileName(key, meta.version)
          await writeFileAtomic(join(this.valuesDir, meta.file), encodeValue(value), { sync: this.durable })
          written.push(meta.file)
          if (meta.sizeBytes > this.ramCapacityBytes) meta.tier = 'disk'
        }
        prepared.push(old ? { meta, value, old } : { meta, value })
      }
    } catch (e) {
      for (const f of written) await removeFile(join(this.valuesDir, f)).catch(() => {})
      throw e
    }
    const previous = new Map(prepared.map((p) => [p.meta.key, { entry: p.old, ram: this.ram.get(p.meta.key) }]))
    const previousRuns = this.runs
    const previousVersion = this.nextVersion
    for (const { meta, value } of prepared) {
      this.setEntry(meta)
      this.ramDrop(meta.key)
      if (meta.tier === 'ram') this.ramPut(meta.key, value, meta.sizeBytes)
    }
    this.nextVersion += prepared.length
    if (run) {
      this.runs = [
        ...this.runs,
        {
          runId: run.runId,
          status: 'committed' as const,
          read: run.read,
          wrote: prepared.map((p) => p.meta.key),
          at: now,
        },
      ].slice(-KEPT_RUNS)
    }
    try {
      await this.record({
        put: prepared.map((p) => p.meta),
        ...(run ? { run: this.runs[this.runs.length - 1]! } : {}),
        next: this.nextVersion,
      })
    } catch (e) {
      // Put everything back as it was.
      for (const [key, { entry, ram }] of previous) {
        if (entry) this.setEntry(entry)
        else this.dropEntry(key)
        this.ramDrop(key)
        if (ram && entry) this.ramPut(key, ram, entry.sizeBytes)
      }
      this.runs = previousRuns
      this.nextVersion = previousVersion
      for (const f of written) await removeFile(join(this.valuesDir, f)).catch(() => {})
      throw e
    }
    for (const { old } of prepared) if (old?.file) await this.removeFile(old.file)
    await this.enforceCapacity(prepared.at(-1)?.meta.key)
    return prepared.map((p) => p.meta)
  }

  private fileName(key: string, version: number): string {
    return `${createHash('sha1').update(key).digest('hex').slice(0, 16)}.v${version}.dcv`
  }

  /**
   * Spill least recently used values to disk until RAM use fits the capacity;
   * `keep` goes last. A value leaves RAM only once its file is written: when
   * the disk refuses, it stays in RAM (over capacity, said in `spillFailure`)
   * and the next change tries again, so an acknowledged value is never lost.
   */
  private async enforceCapacity(keep?: string): Promise<void> {
    try {
      await this.spill(keep)
      this.spillFailure = undefined
    } catch (e) {
      this.spillFailure = (storageError(e, `moving values of context ${this.id} from RAM to disk`) as Error).message
    }
  }

  /** Why values over the RAM capacity could not move to disk, while that lasts. */
  spillFailure: string | undefined

  private async spill(keep?: string): Promise<void> {
    if (this.ramUsage <= this.ramCapacityBytes) return
    // Least recently used first (the map's order); `keep` only if nothing else is left.
    const order: string[] = []
    let freed = 0
    for (const key of this.ram.keys()) {
      if (this.ramUsage - freed <= this.ramCapacityBytes) break
      if (key === keep) continue
      order.push(key)
      freed += this.ramSizes.get(key) ?? 0
    }
    if (keep && this.ram.has(keep) && this.ramUsage - freed > this.ramCapacityBytes) order.push(keep)
    for (const key of order) {
      const meta = this.entries.get(key)!
      const value = this.ram.get(key)!
      if (!meta.file) {
        await this.ensureFolder()
        const file = this.fileName(key, meta.version)
        await writeFileAtomic(join(this.valuesDir, file), encodeValue(value), { sync: this.durable })
        this.retier(meta, () => (meta.file = file))
      }
      this.ramDrop(key)
      this.retier(meta, () => (meta.tier = 'disk'))
    }
  }

  private async removeFile(file: string): Promise<void> {
    if ((this.pinned.get(file) ?? 0) > 0) {
      this.doomed.add(file)
      return
    }
    await removeFile(join(this.valuesDir, file)).catch(() => {})
  }

  /**
   * A durable context records a change before it resolves: one journal line
   * (fsync'd), or the whole snapshot once the journal is as long as the
   * context. An ephemeral one, whose data does not outlive the bridge, records nothing.
   */
  private async record(change: Omit<Change, 'seq'>): Promise<void> {
    const journal = this.journal
    if (!journal) return
    if (journal.due(this.entries.size)) await journal.snapshot(this.state(), true)
    else await journal.append(change)
  }

  /** Everything a durable context's snapshot holds. */
  private state(): Omit<Snapshot, 'seq'> {
    const state: Omit<Snapshot, 'seq'> = {
      format: 1,
      contextId: this.id,
      durable: this.durable,
      createdAt: this.createdAt,
      nextVersion: this.nextVersion,
      entries: Object.fromEntries(
        [...this.entries].map(([k, m]) => [k, { ...m, tier: this.ram.has(k) ? 'ram' : 'disk' }]),
      ),
      runs: this.runs,
    }
    if (this.name !== undefined) state.name = this.name
    return state
  }

  /** Every change is recorded before it resolves; this only waits for those under way. */
  flush(): Promise<void> {
    return this.queue.run(async () => {})
  }

  // --- runs ------------------------------------------------------------------

  /** A worker receipt for one run: the entries it may read (all, or `keys`), as they are now. */
  beginRun(runId: string, keys?: string[]): Promise<WorkerReceipt> {
    return this.queue.run(async () => {
      this.assertOpen()
      const snapshot = new Map<string, { meta: EntryMeta; value?: ContextValue }>()
      for (const [key, meta] of this.entries) {
        if (keys && !keys.includes(key)) continue
        const value = this.ram.get(key)
        if (!value && meta.file) this.pinned.set(meta.file, (this.pinned.get(meta.file) ?? 0) + 1)
        snapshot.set(key, value ? { meta: { ...meta }, value } : { meta: { ...meta } })
      }
      return new WorkerReceipt(this, runId, snapshot)
    })
  }

  /** @internal Read a snapshot entry for a receipt. */
  readSnapshot(entry: { meta: EntryMeta; value?: ContextValue }): Promise<ContextValue> {
    return this.queue.run(async () => {
      if (entry.value) return entry.value
      const current = this.entries.get(entry.meta.key)
      if (current && current.version === entry.meta.version) return this.readValue(current, true)
      return decodeValue(await readFile(join(this.valuesDir, entry.meta.file!)))
    })
  }

  /** @internal Commit a receipt's staged values, all at once. */
  commitReceipt(receipt: WorkerReceipt): Promise<EntryMeta[]> {
    return this.queue.run(async () => {
      this.assertOpen()
      const staged = receipt.stagedItems()
      const metas = await this.guarded(`committing the outputs of run ${receipt.runId} to context ${this.id}`, () =>
        this.apply(staged, { runId: receipt.runId, read: receipt.readKeys() }),
      )
      await this.releasePins(receipt)
      this.onChange?.(this, { keys: staged.map((s) => s.key), runId: receipt.runId })
      return metas
    })
  }

  /** @internal End a receipt without committing. */
  discardReceipt(receipt: WorkerReceipt): Promise<void> {
    return this.queue.run(() => this.releasePins(receipt))
  }

  private async releasePins(receipt: WorkerReceipt): Promise<void> {
    for (const file of receipt.pinnedFiles()) {
      const n = (this.pinned.get(file) ?? 1) - 1
      if (n > 0) this.pinned.set(file, n)
      else {
        this.pinned.delete(file)
        if (this.doomed.delete(file)) await removeFile(join(this.valuesDir, file)).catch(() => {})
      }
    }
  }

  // --- lifecycle -------------------------------------------------------------

  /**
   * Remove all of the context's RAM and disk data. Its folder is first
   * renamed aside in one step: if that fails, nothing changed (the error
   * says so); what is renamed aside is removed now, or at the next start.
   */
  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return
      const trash = join(this.dir, '..', `${TRASH_PREFIX}${this.id}-${randomBytes(4).toString('hex')}`)
      await this.guarded(`deleting context ${this.id}`, () => renamePath(this.dir, trash)).catch((e: unknown) => {
        if ((e as { code?: unknown }).code !== 'ENOENT') throw e
      })
      this.closed = true
      this.forget()
      await removeTree(trash).catch(() => {})
    })
  }

  /** Stop using the context but keep a durable one's data on disk (bridge shutdown). */
  detach(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return
      this.closed = true
      this.forget(true)
      if (!this.durable && this.hasFolder) await removeTree(this.dir).catch(() => {})
    })
  }

  /** Let go of what it holds in memory (`keepEntries`: a detached durable context still lists its keys). */
  private forget(keepEntries = false): void {
    this.ram.clear()
    this.ramSizes.clear()
    this.ramUsage = 0
    if (keepEntries) return
    this.entries.clear()
    this.diskUsage = 0
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Bytes of this context's files on disk. */
  async diskBytes(): Promise<number> {
    let total = 0
    for (const meta of this.entries.values()) {
      if (!meta.file) continue
      total += await stat(join(this.valuesDir, meta.file)).then(
        (s) => s.size,
        () => 0,
      )
    }
    return total
  }
}
