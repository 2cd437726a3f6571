/**
 * The run ledger: every sweep and sweep item the bridge accepts, in one
 * SQLite file, written and synced to disk before the bridge answers (item
 * progress after that is in the WAL: it survives the bridge being killed;
 * after a power loss the last items may run again, never commit twice). After a crash, items that were running go back to pending;
 * items that finished are not run again. An item's commit is the single
 * guarded change of its row to `done`, so a retry after a commit changes
 * nothing.
 *
 * Why SQLite: one file beside the contexts, transactions and fsync we can
 * rely on, no server to run, and synchronous calls that take microseconds (a
 * sweep of 100k items is one transaction). The runtime's own (`node:sqlite`,
 * Node 22.13 and later): nothing compiled at install.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { openSqlite } from './sqlite.js'
import type {
  ItemInputs,
  ItemOutput,
  ItemStatus,
  RunFailure,
  RunView,
  SweepItem,
  SweepView,
} from '../../shared/protocol/index.js'

export interface NewSweep {
  id: string
  label?: string
  contextId: string
  /** The workflows' names and content, so a restarted bridge can run what is left. */
  workflows: Array<{ name: string; workflow: Record<string, unknown> }>
  options: SweepOptions
  folder: string
  items: ItemInputs[]
}

export interface SweepOptions {
  attempts: number
  concurrency?: number
  commitToContext: boolean
}

interface SweepRow {
  id: string
  label: string | null
  context_id: string
  workflows: string
  options: string
  total: number
  status: 'running' | 'finished' | 'cancelled'
  folder: string
  created_at: string
  finished_at: string | null
}

interface ItemRow {
  sweep_id: string
  idx: number
  status: ItemStatus
  inputs: string
  attempts: number
  server: string | null
  reason: string | null
  outputs: string | null
  error: string | null
  failures: string | null
  started_at: string | null
  finished_at: string | null
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sweeps (
  id TEXT PRIMARY KEY,
  label TEXT,
  context_id TEXT NOT NULL,
  workflows TEXT NOT NULL,
  options TEXT NOT NULL,
  total INTEGER NOT NULL,
  status TEXT NOT NULL,
  folder TEXT NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE TABLE IF NOT EXISTS items (
  sweep_id TEXT NOT NULL REFERENCES sweeps(id),
  idx INTEGER NOT NULL,
  status TEXT NOT NULL,
  inputs TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  server TEXT,
  reason TEXT,
  outputs TEXT,
  error TEXT,
  failures TEXT,
  started_at TEXT,
  finished_at TEXT,
  PRIMARY KEY (sweep_id, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_by_status ON items (sweep_id, status, idx);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,
  view TEXT NOT NULL,
  request TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_time ON runs (created_at);
`

/** How many runs the history keeps (the oldest go first). */
export const KEPT_RUN_HISTORY = 10_000
/** How many of the latest runs can be run again (each keeps its workflows; the run manager bounds their size). */
export const KEPT_RUN_REQUESTS = 200
/** The history is trimmed to those bounds after this many records (a run makes about three). */
export const TRIM_EVERY_PUTS = 100

/** How a run that was queued or running when its bridge stopped ends in the history. */
export const stoppedWithBridge = (at: string, bridge?: string): Pick<RunView, 'status' | 'finishedAt' | 'error'> => ({
  status: 'failed',
  finishedAt: at,
  error: {
    name: 'BridgeStoppedError',
    code: 'bridge_stopped',
    message: bridge
      ? `The bridge ${bridge} stopped while this run was queued or running, so the run was stopped too; what its finished workflows committed is kept, the rest is not.`
      : 'The bridge stopped while this run was queued or running; what its finished workflows committed is kept, the rest is not.',
  },
})

const now = () => new Date().toISOString()

interface RunRow {
  view: string
  /** 1 when the run's request is still kept (it can be run again). */
  again: number
}
const viewOf = (row: RunRow): RunView => ({ ...(JSON.parse(row.view) as RunView), rerunnable: row.again === 1 })

export class Ledger {
  private readonly db: DatabaseSync
  private readonly stmt: {
    item: StatementSync
    pending: StatementSync
    counts: StatementSync
    putRun: StatementSync
    insertItem: StatementSync
    running: StatementSync
    commit: StatementSync
    retry: StatementSync
    fail: StatementSync
  }

  constructor(readonly file: string) {
    this.db = openSqlite(file)
    this.db.exec('PRAGMA journal_mode = WAL')
    // Per-item changes survive a crash of the process (WAL); a sweep's record is also synced to disk
    // before the bridge answers (createSweep), so an acknowledged sweep survives a power loss too.
    this.db.exec('PRAGMA synchronous = NORMAL')
    this.db.exec('PRAGMA foreign_keys = ON')
    this.db.exec(SCHEMA)
    // Ledgers written before runs could be run again have no request column.
    const runColumns = this.db.prepare('PRAGMA table_info(runs)').all() as unknown as Array<{ name: string }>
    if (!runColumns.some((c) => c.name === 'request')) this.db.exec('ALTER TABLE runs ADD COLUMN request TEXT')
    this.stmt = {
      item: this.db.prepare('SELECT * FROM items WHERE sweep_id = ? AND idx = ?'),
      pending: this.db.prepare(
        `SELECT idx FROM items WHERE sweep_id = ? AND status = 'pending' AND idx > ? ORDER BY idx LIMIT ?`,
      ),
      counts: this.db.prepare('SELECT status, COUNT(*) AS n FROM items WHERE sweep_id = ? GROUP BY status'),
      putRun: this.db.prepare(
        `INSERT INTO runs (id, created_at, status, view, request) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, view = excluded.view,
           request = COALESCE(excluded.request, runs.request)`,
      ),
      insertItem: this.db.prepare(
        'INSERT INTO items (sweep_id, idx, status, inputs) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      running: this.db.prepare(
        `UPDATE items SET status = 'running', attempts = attempts + 1, server = ?, reason = ?, started_at = ?
         WHERE sweep_id = ? AND idx = ? AND status = 'pending'`,
      ),
      commit: this.db.prepare(
        `UPDATE items SET status = 'done', outputs = ?, error = NULL, finished_at = ?
         WHERE sweep_id = ? AND idx = ? AND status != 'done'`,
      ),
      retry: this.db.prepare(
        `UPDATE items SET status = 'pending', failures = ? WHERE sweep_id = ? AND idx = ? AND status = 'running'`,
      ),
      fail: this.db.prepare(
        `UPDATE items SET status = 'failed', error = ?, failures = ?, finished_at = ?
         WHERE sweep_id = ? AND idx = ? AND status != 'done'`,
      ),
    }
  }

  /** Record a sweep and all its items in one transaction (durable when this returns). */
  createSweep(s: NewSweep): void {
    this.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO sweeps (id, label, context_id, workflows, options, total, status, folder, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
        )
        .run(
          s.id,
          s.label ?? null,
          s.contextId,
          JSON.stringify(s.workflows),
          JSON.stringify(s.options),
          s.items.length,
          s.folder,
          now(),
        )
      for (const [i, inputs] of s.items.entries()) this.stmt.insertItem.run(s.id, i, 'pending', JSON.stringify(inputs))
    })
    this.db.exec('PRAGMA wal_checkpoint(FULL)')
  }

  /** After a crash: what was running is pending again. Returns the sweeps still to finish. */
  recover(): string[] {
    this.db.prepare(`UPDATE items SET status = 'pending' WHERE status = 'running'`).run()
    return (
      this.db.prepare(`SELECT id FROM sweeps WHERE status = 'running' ORDER BY created_at`).all() as Array<{
        id: string
      }>
    ).map((r) => r.id)
  }

  sweepRecord(
    id: string,
  ): { workflows: NewSweep['workflows']; options: SweepOptions; contextId: string; folder: string } | undefined {
    const row = this.db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as SweepRow | undefined
    if (!row) return undefined
    return {
      workflows: JSON.parse(row.workflows),
      options: JSON.parse(row.options),
      contextId: row.context_id,
      folder: row.folder,
    }
  }

  view(id: string): SweepView | undefined {
    const row = this.db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as SweepRow | undefined
    return row ? this.toView(row) : undefined
  }

  list(limit = 100): SweepView[] {
    const rows = this.db
      .prepare('SELECT * FROM sweeps ORDER BY created_at DESC LIMIT ?')
      .all(limit) as unknown as SweepRow[]
    return rows.map((r) => this.toView(r))
  }

  /** Up to `limit` pending item numbers, lowest first. */
  pending(sweepId: string, limit: number, after = -1): number[] {
    return (this.stmt.pending.all(sweepId, after, limit) as Array<{ idx: number }>).map((r) => r.idx)
  }

  item(sweepId: string, idx: number): SweepItem | undefined {
    const row = this.stmt.item.get(sweepId, idx) as ItemRow | undefined
    return row ? toItem(row) : undefined
  }

  /** Items in order, from `after` (exclusive), optionally only finished ones (done or failed). */
  items(sweepId: string, options: { after?: number; limit?: number; finished?: boolean } = {}): SweepItem[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM items WHERE sweep_id = ? AND idx > ? ${options.finished ? "AND status IN ('done', 'failed')" : ''}
         ORDER BY idx LIMIT ?`,
      )
      .all(sweepId, options.after ?? -1, options.limit ?? 1000) as unknown as ItemRow[]
    return rows.map(toItem)
  }

  /** Claim a pending item for an attempt on `server`; false if it is not pending (taken, or finished). */
  markRunning(sweepId: string, idx: number, server: string, reason: string): boolean {
    return this.stmt.running.run(server, reason, now(), sweepId, idx).changes === 1
  }

  /** The item's commit: true the first time, false when it was already committed. */
  commit(sweepId: string, idx: number, outputs: ItemOutput[]): boolean {
    return this.stmt.commit.run(JSON.stringify(outputs), now(), sweepId, idx).changes === 1
  }

  /** An attempt failed because its server did: back to pending, with the failure noted. */
  retry(sweepId: string, idx: number, failures: SweepItem['failures']): void {
    this.stmt.retry.run(JSON.stringify(failures ?? []), sweepId, idx)
  }

  fail(sweepId: string, idx: number, error: RunFailure, failures: SweepItem['failures']): void {
    this.stmt.fail.run(JSON.stringify(error), JSON.stringify(failures ?? []), now(), sweepId, idx)
  }

  /** Marks the sweep finished (or cancelled) once no item is pending or running. */
  finishIfDone(sweepId: string, status: 'finished' | 'cancelled' = 'finished'): boolean {
    const open = this.db
      .prepare(`SELECT COUNT(*) AS n FROM items WHERE sweep_id = ? AND status IN ('pending', 'running')`)
      .get(sweepId) as { n: number }
    if (open.n > 0 && status === 'finished') return false
    this.db
      .prepare(`UPDATE sweeps SET status = ?, finished_at = ? WHERE id = ? AND status = 'running'`)
      .run(status, now(), sweepId)
    return true
  }

  // --- the run history (scripted and page runs) ------------------------------------

  /**
   * Record a run, or its new state (the first call is made before the bridge
   * answers its request). `request` is what it takes to run it again, given once.
   */
  putRun(view: RunView, request?: string): void {
    const { events: _events, ...kept } = view
    this.stmt.putRun.run(view.id, view.createdAt, view.status, JSON.stringify(kept), request ?? null)
    if (++this.putsSinceTrim >= TRIM_EVERY_PUTS) this.trimRuns()
  }

  /** What a run was asked to do (see RunManager's RunRequest), if it was kept. */
  runRequest(id: string): string | undefined {
    const row = this.db.prepare('SELECT request FROM runs WHERE id = ?').get(id) as
      | { request: string | null }
      | undefined
    return row?.request ?? undefined
  }

  /** The latest runs (created before `before`, an ISO time, when given), newest first. */
  runs(limit = 200, before?: string): RunView[] {
    return (
      this.db
        .prepare(
          `SELECT view, request IS NOT NULL AS again FROM runs WHERE created_at < ? ORDER BY created_at DESC LIMIT ?`,
        )
        .all(before ?? '\uffff', limit) as unknown as RunRow[]
    ).map(viewOf)
  }

  run(id: string): RunView | undefined {
    const row = this.db.prepare('SELECT view, request IS NOT NULL AS again FROM runs WHERE id = ?').get(id) as
      | RunRow
      | undefined
    return row ? viewOf(row) : undefined
  }

  /** After a restart: runs that were queued or running failed with the bridge; the history stays bounded. */
  recoverRuns(): number {
    const open = this.db.prepare(`SELECT view FROM runs WHERE status IN ('queued', 'running')`).all() as Array<{
      view: string
    }>
    const at = now()
    this.transaction(() => {
      for (const { view } of open) {
        const run = JSON.parse(view) as RunView
        this.putRun({ ...run, ...stoppedWithBridge(at) })
      }
      this.trimRuns()
    })
    return open.length
  }

  private putsSinceTrim = 0

  /** The history keeps KEPT_RUN_HISTORY runs, and what it takes to re-run only the latest KEPT_RUN_REQUESTS. */
  private trimRuns(): void {
    this.putsSinceTrim = 0
    this.db
      .prepare(
        `DELETE FROM runs WHERE id IN (SELECT id FROM runs ORDER BY created_at DESC LIMIT -1 OFFSET ${KEPT_RUN_HISTORY})`,
      )
      .run()
    this.db
      .prepare(
        `UPDATE runs SET request = NULL WHERE request IS NOT NULL AND id IN
           (SELECT id FROM runs ORDER BY created_at DESC LIMIT -1 OFFSET ${KEPT_RUN_REQUESTS})`,
      )
      .run()
  }

  close(): void {
    if (this.db.isOpen) this.db.close()
  }

  /** Run `work` as one transaction: all of it, or (when it throws) none. */
  private transaction(work: () => void): void {
    this.db.exec('BEGIN IMMEDIATE')
    try {
      work()
      this.db.exec('COMMIT')
    } catch (e) {
      this.db.exec('ROLLBACK')
      throw e
    }
  }

  private toView(row: SweepRow): SweepView {
    const counts = this.stmt.counts.all(row.id) as Array<{ status: ItemStatus; n: number }>
    const count = (s: ItemStatus) => counts.find((c) => c.status === s)?.n ?? 0
    const workflows = JSON.parse(row.workflows) as NewSweep['workflows']
    return {
      id: row.id,
      ...(row.label ? { label: row.label } : {}),
      status: row.status,
      contextId: row.context_id,
      workflows: workflows.map((w) => w.name),
      total: row.total,
      done: count('done'),
      failed: count('failed'),
      running: count('running'),
      createdAt: row.created_at,
      ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
      folder: row.folder,
    }
  }
}

function toItem(row: ItemRow): SweepItem {
  return {
    sweepId: row.sweep_id,
    index: row.idx,
    status: row.status,
    inputs: JSON.parse(row.inputs) as ItemInputs,
    attempts: row.attempts,
    ...(row.server ? { server: row.server } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.outputs ? { outputs: JSON.parse(row.outputs) as ItemOutput[] } : {}),
    ...(row.error ? { error: JSON.parse(row.error) as RunFailure } : {}),
    ...(row.failures ? { failures: JSON.parse(row.failures) as SweepItem['failures'] } : {}),
    ...(row.started_at ? { startedAt: row.started_at } : {}),
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
  }
}
