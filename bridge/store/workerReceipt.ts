/** A run's view of a master context: the entries it may read, and what it stages for one atomic commit. */
import type { EntryMeta } from '../../shared/protocol/index.js'
import { ContextClosedError, ContextKeyError } from './errors.js'
import { validateKey } from './keys.js'
import type { ContextValue, PassBy } from '../values/values.js'

export interface SaveOptions {
  comfyType?: string
  passBy?: PassBy
  producer?: string
}

/** What a receipt needs of the context that issued it. */
export interface ReceiptIssuer {
  readonly id: string
  readSnapshot(entry: { meta: EntryMeta; value?: ContextValue }): Promise<ContextValue>
  commitReceipt(receipt: WorkerReceipt): Promise<EntryMeta[]>
  discardReceipt(receipt: WorkerReceipt): Promise<void>
}

/**
 * What one run may read, and what it produces. `commit()` hands the staged
 * values to the master in one change; `discard()` drops them. Either ends it.
 */
export class WorkerReceipt {
  private readonly staged = new Map<string, { value: ContextValue; options: SaveOptions }>()
  private readonly read = new Set<string>()
  private ended = false

  constructor(
    private readonly master: ReceiptIssuer,
    readonly runId: string,
    private readonly snapshot: Map<string, { meta: EntryMeta; value?: ContextValue }>,
  ) {}

  keys(): string[] {
    return [...this.snapshot.keys()]
  }

  meta(key: string): EntryMeta | undefined {
    const s = this.snapshot.get(key)
    return s ? { ...s.meta } : undefined
  }

  has(key: string): boolean {
    return this.snapshot.has(key)
  }

  async load(key: string): Promise<ContextValue> {
    const entry = this.snapshot.get(key)
    if (!entry) {
      throw new ContextKeyError(
        `Context ${this.master.id} has no key "${key}" for run ${this.runId}` +
          (this.snapshot.size ? ` (it has: ${this.keys().slice(0, 20).join(', ')}).` : ' (it is empty).'),
      )
    }
    this.read.add(key)
    return this.master.readSnapshot(entry)
  }

  stage(key: string, value: ContextValue, options: SaveOptions = {}): void {
    validateKey(key)
    if (this.ended) throw new ContextClosedError(`Run ${this.runId}'s receipt has already ended.`)
    this.staged.set(key, { value, options: { producer: this.runId, ...options } })
  }

  stagedKeys(): string[] {
    return [...this.staged.keys()]
  }

  /** @internal */
  stagedItems(): Array<{ key: string; value: ContextValue; options: SaveOptions }> {
    return [...this.staged].map(([key, s]) => ({ key, value: s.value, options: s.options }))
  }

  /** @internal The entries it may read, as they were when it began. */
  snapshotEntries(): Array<[string, { meta: EntryMeta; value?: ContextValue }]> {
    return [...this.snapshot]
  }

  /** @internal */
  readKeys(): string[] {
    return [...this.read]
  }

  /** @internal */
  pinnedFiles(): string[] {
    return [...this.snapshot.values()].filter((s) => !s.value && s.meta.file).map((s) => s.meta.file!)
  }

  async commit(): Promise<EntryMeta[]> {
    if (this.ended) throw new ContextClosedError(`Run ${this.runId}'s receipt has already ended.`)
    this.ended = true
    return this.master.commitReceipt(this)
  }

  async discard(): Promise<void> {
    if (this.ended) return
    this.ended = true
    this.staged.clear()
    await this.master.discardReceipt(this)
  }
}
