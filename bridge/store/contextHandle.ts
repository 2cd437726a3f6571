/**
 * What the bridge does with a context and with the set of contexts, whoever
 * holds them: this machine's folder (ContextStore, the default) or a Redis
 * shared by several bridges (RedisContextStore). Routes, runs and sweeps
 * use only these.
 */
import type { CommittedRun, ContextSummary, EntryMeta, StorageInfo, Usage } from '../../shared/protocol/index.js'
import type { ContextValue } from '../values/values.js'
import type { ReceiptIssuer, SaveOptions, WorkerReceipt } from './workerReceipt.js'

export interface ContextHandle extends ReceiptIssuer {
  readonly id: string
  readonly name: string | undefined
  readonly durable: boolean
  readonly isClosed: boolean
  listKeys(): string[]
  has(key: string): boolean
  meta(key: string): EntryMeta | undefined
  allMeta(): EntryMeta[]
  /** The latest runs committed into it. */
  recentRuns(): CommittedRun[]
  summary(): ContextSummary
  getUsage(): Usage
  /** A one-line description of a value the store can give without reading it (or undefined). */
  peekSummary(key: string): string | undefined
  getStorageInfo(key: string): StorageInfo
  load(key: string): Promise<ContextValue>
  save(key: string, value: ContextValue, options?: SaveOptions): Promise<EntryMeta>
  delete(key: string): Promise<boolean>
  /** A run's receipt: what it may read as of now, and what it stages to commit at once. */
  beginRun(runId: string): Promise<WorkerReceipt>
  makeDurable(): Promise<void>
  /** Give it another name (what people see; the id stays), kept as durably as the context. */
  rename(name: string): Promise<void>
  /** Write anything still pending (metadata coalesced for ephemeral contexts). */
  flush(): Promise<void>
}

export interface CreateContextOptions {
  id?: string
  name?: string
  /** Keep every committed value on disk, and survive a bridge restart. */
  durable?: boolean
  ramCapacityBytes?: number
}

/** Called after each committed change (for live updates). */
export type ContextChangeListener = (
  context: ContextHandle,
  change: { keys: string[]; deleted?: boolean; runId?: string },
) => void

export interface ContextStoreApi {
  /** Where it keeps contexts, for people: a folder or a Redis URL. */
  readonly dir: string
  create(options?: CreateContextOptions): Promise<ContextHandle>
  /** An open context, or one opened from where the store keeps them. */
  open(id: string): Promise<ContextHandle>
  get(id: string): ContextHandle | undefined
  list(): ContextHandle[]
  /** Remove a context and all its data. */
  close(id: string): Promise<boolean>
  shutdown(): Promise<void>
}
