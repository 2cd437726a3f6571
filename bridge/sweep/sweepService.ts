/**
 * What the routes and the page's live feed need of sweeps, whoever runs
 * them: this bridge alone (Sweeper, with its SQLite ledger) or every bridge
 * on one Redis (ClusterSweeper, on BullMQ).
 */
import type { SweepSpec, SweepEvent, SweepItem, SweepView } from '../../shared/protocol/index.js'

type Maybe<T> = T | Promise<T>

export interface SweepService {
  /** Record a sweep (durably), answer with it, and start it. */
  start(body: SweepSpec): Promise<SweepView>
  view(id: string): Maybe<SweepView>
  list(): Maybe<SweepView[]>
  items(id: string, options?: { after?: number; limit?: number; finished?: boolean }): Maybe<SweepItem[]>
  /** Stop starting items; running ones are cancelled. Finished items stay. */
  cancel(id: string): Maybe<SweepView>
  /** Is someone still working on it (so a follower should wait for its end)? */
  isActive(id: string): Maybe<boolean>
  /** An item's output file (`items/<n>-<key>.<ext>`): a folder to send it from, or its bytes. */
  outputFile(id: string, file: string): Promise<{ folder: string } | { bytes: Uint8Array }>
  onAny(listener: (id: string, e: SweepEvent) => void): () => void
  subscribe(id: string, listener: (e: SweepEvent) => void): () => void
  /** After a restart: go on with what is left. */
  resume(): Promise<string[]>
  /** Bridge shutdown. */
  stop(): Maybe<void>
}
