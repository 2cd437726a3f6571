/**
 * What one sweep item runs in: the master context, read through the item's
 * own worker receipts, with a layer of its own on top — its input values and
 * what its workflows produce. Nothing reaches the master, so siblings never
 * see or overwrite each other's values; the sweep decides what to keep.
 */
import type { EntryMeta } from '../../shared/protocol/index.js'
import type { RunTarget } from '../runs/runner.js'
import type { ContextHandle } from '../store/contextHandle.js'
import { valueHash, valueSize, type ContextValue } from '../values/values.js'
import { typedForKey } from '../values/valueFrom.js'
import { WorkerReceipt, type ReceiptIssuer, type SaveOptions } from '../store/workerReceipt.js'

interface LayerEntry {
  meta: EntryMeta
  value: ContextValue
}

export class ItemScope implements RunTarget, ReceiptIssuer {
  private readonly layer = new Map<string, LayerEntry>()
  /** The master receipt under each of this scope's receipts (it pins the master's files while they read). */
  private readonly underlying = new Map<WorkerReceipt, WorkerReceipt>()

  constructor(
    private readonly master: ContextHandle,
    /** Names the item in producers and errors: `<sweep>:<index>`. */
    readonly itemId: string,
  ) {}

  get id(): string {
    return this.master.id
  }

  /** The values the item's workflows wrote (its OUTPUT ports), by key. */
  produced(): Map<string, { value: ContextValue; meta: EntryMeta }> {
    const out = new Map<string, { value: ContextValue; meta: EntryMeta }>()
    for (const [key, e] of this.layer) if (e.meta.producer !== 'input') out.set(key, e)
    return out
  }

  meta(key: string): EntryMeta | undefined {
    return this.layer.get(key)?.meta ?? this.master.meta(key)
  }

  load(key: string): Promise<ContextValue> {
    const own = this.layer.get(key)
    return own ? Promise.resolve(own.value) : this.master.load(key)
  }

  /** The item's own inputs: kept in its layer, never in the master. */
  async save(key: string, value: ContextValue, options: SaveOptions = {}): Promise<EntryMeta> {
    return this.put(key, value, { ...options, producer: 'input' })
  }

  async beginRun(runId: string): Promise<WorkerReceipt> {
    const under = await this.master.beginRun(runId)
    const snapshot = new Map(under.snapshotEntries())
    for (const [key, e] of this.layer) snapshot.set(key, { meta: { ...e.meta }, value: e.value })
    const receipt = new WorkerReceipt(this, runId, snapshot)
    this.underlying.set(receipt, under)
    return receipt
  }

  readSnapshot(entry: { meta: EntryMeta; value?: ContextValue }): Promise<ContextValue> {
    return entry.value ? Promise.resolve(entry.value) : this.master.readSnapshot(entry)
  }

  async commitReceipt(receipt: WorkerReceipt): Promise<EntryMeta[]> {
    const metas = receipt.stagedItems().map((s) => this.put(s.key, s.value, s.options))
    await this.release(receipt)
    return metas
  }

  discardReceipt(receipt: WorkerReceipt): Promise<void> {
    return this.release(receipt)
  }

  private async release(receipt: WorkerReceipt): Promise<void> {
    const under = this.underlying.get(receipt)
    this.underlying.delete(receipt)
    await under?.discard()
  }

  private put(key: string, given: ContextValue, options: SaveOptions): EntryMeta {
    const previous = this.layer.get(key)?.meta
    const { comfyType, value } = typedForKey(
      given,
      options.comfyType,
      previous?.comfyType ?? this.master.meta(key)?.comfyType,
      key,
    )
    const meta: EntryMeta = {
      key,
      comfyType,
      passBy: options.passBy ?? (value.kind === 'ref' ? 'ref' : 'val'),
      kind: value.kind,
      tier: 'ram',
      sizeBytes: valueSize(value),
      hash: valueHash(value),
      version: (previous?.version ?? this.master.meta(key)?.version ?? 0) + 1,
      producer: options.producer ?? this.itemId,
      updatedAt: new Date().toISOString(),
    }
    this.layer.set(key, { meta, value })
    return { ...meta }
  }
}
