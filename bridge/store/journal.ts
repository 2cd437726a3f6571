/**
 * A durable context's record on disk: `receipts.json`, a snapshot of every
 * entry and the runs committed, and `journal.jsonl`, one line per change
 * since. A change costs one append (and its fsync), whatever the context
 * holds; the snapshot is written again only once the journal has grown as
 * long as the context (so that stays proportional to the work done).
 *
 * Each line starts with a line break and carries a sequence number: a line
 * torn by a crash or a full disk stands alone and is skipped, and the
 * snapshot says up to which number it already holds. An append that fails is
 * cut off again (or the snapshot written at once), so a change answered with
 * an error does not come back after a restart.
 */
import { open, readFile, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import type { CommittedRun, EntryMeta } from '../../shared/protocol/index.js'
import { appendSynced, writeFileAtomic } from './disk.js'

export interface Snapshot {
  format: 1
  contextId: string
  name?: string
  durable: boolean
  createdAt: string
  nextVersion: number
  entries: Record<string, EntryMeta>
  runs: CommittedRun[]
  /** The last journal line this snapshot holds. */
  seq?: number
}

/** One change: entries written and removed, the run it committed, the next version number. */
export interface Change {
  seq: number
  put?: EntryMeta[]
  del?: string[]
  run?: CommittedRun
  next: number
}

const SNAPSHOT = 'receipts.json'
const JOURNAL = 'journal.jsonl'

export class Journal {
  private seq: number
  private lines = 0
  /** Bytes of journal.jsonl known to be whole (an append that fails is cut back to here). */
  private size = 0
  /** A failed append could not be cut back: the next change writes a snapshot instead. */
  private mustSnapshot = false

  constructor(
    private readonly dir: string,
    seq = 0,
    size = 0,
    lines = 0,
  ) {
    this.seq = seq
    this.size = size
    this.lines = lines
  }

  /** The snapshot and the changes after it, as on disk; torn lines skipped. */
  static async read(dir: string): Promise<{ snapshot: Snapshot; changes: Change[]; journal: Journal }> {
    const snapshot = JSON.parse(await readFile(join(dir, SNAPSHOT), 'utf8')) as Snapshot
    const text = await readFile(join(dir, JOURNAL), 'utf8').catch(() => '')
    const changes: Change[] = []
    let seq = snapshot.seq ?? 0
    for (const line of text.split('\n')) {
      if (!line) continue
      let change: Change
      try {
        change = JSON.parse(line) as Change
      } catch {
        continue
      }
      if (typeof change.seq !== 'number' || change.seq <= seq) continue
      seq = change.seq
      changes.push(change)
    }
    return { snapshot, changes, journal: new Journal(dir, seq, Buffer.byteLength(text), changes.length) }
  }

  /** Whether the snapshot should be written now rather than one more line (the journal has grown as long as the context). */
  due(entries: number): boolean {
    return this.mustSnapshot || this.lines >= Math.max(256, entries)
  }

  /** Append one change, synced before it resolves. */
  async append(change: Omit<Change, 'seq'>): Promise<void> {
    const line = `\n${JSON.stringify({ seq: this.seq + 1, ...change })}`
    const path = join(this.dir, JOURNAL)
    try {
      await appendSynced(path, line)
    } catch (e) {
      // Cut back what part of the line reached the file, so it cannot come back; failing that, a snapshot next.
      await truncate(path, this.size).catch(() => {
        this.mustSnapshot = true
      })
      this.seq += 1
      throw e
    }
    this.seq += 1
    this.size += Buffer.byteLength(line)
    this.lines += 1
  }

  /** Write the whole state as the snapshot (it holds every line so far), then empty the journal. */
  async snapshot(state: Omit<Snapshot, 'seq'>, sync: boolean): Promise<void> {
    this.seq += 1
    await writeFileAtomic(join(this.dir, SNAPSHOT), JSON.stringify({ ...state, seq: this.seq }), { sync })
    this.mustSnapshot = false
    this.lines = 0
    // Lines the snapshot holds are skipped anyway: emptying the journal only saves reading them.
    const emptied = await truncate(join(this.dir, JOURNAL), 0).then(
      () => true,
      () => false,
    )
    if (emptied) this.size = 0
  }
}

/** Make sure a file's contents reached the disk. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
