/**
 * The v2 ledger: jobs and assets in one SQLite file beside the contexts
 * (`v2.sqlite`), written before the bridge answers, and the assets' bytes
 * addressed by their blake3 hash (`v2/blobs/<hex>`, written whole then
 * renamed into place). A job's id answers after the bridge is killed and
 * started again; an Idempotency-Key is the unique column that refuses a
 * second submit with it.
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { DiscomfortError } from '../../shared/errors.js'
import { openSqlite } from '../ledger/sqlite.js'
import type { V2JobError, V2JobStatus } from '../../shared/protocol/v2.js'

export interface JobRow {
  id: string
  idem_key: string | null
  workflow: string
  metadata: string
  status: V2JobStatus
  run_id: string | null
  server: string | null
  attempts: number
  outputs: string
  error: string | null
  cancel_requested: number
  created_at: string
  started_at: string | null
  completed_at: string | null
  expires_at: string
}

/** An output as the ledger keeps it: the asset it is, and where it came from. */
export interface StoredOutput {
  node_id: string
  asset_id: string
  name: string
  type: 'image' | 'video' | 'audio' | 'text' | 'file' | 'latent'
}

export interface AssetRow {
  id: string
  hash: string
  size: number
  content_type: string
  file_path: string | null
  job_id: string | null
  created_at: string
  expires_at: string | null
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  idem_key TEXT UNIQUE,
  workflow TEXT NOT NULL,
  metadata TEXT NOT NULL,
  status TEXT NOT NULL,
  run_id TEXT,
  server TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  outputs TEXT NOT NULL DEFAULT '[]',
  error TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  started_at TEXT,
  completed_at TEXT,
  expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created_at, id);
CREATE TABLE IF NOT EXISTS assets (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  file_path TEXT,
  job_id TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT
);
CREATE INDEX IF NOT EXISTS assets_hash ON assets (hash);
CREATE INDEX IF NOT EXISTS assets_job ON assets (job_id);
`

/** A second submit with an Idempotency-Key already used. */
export class KeyReusedError extends DiscomfortError {
  static override code = 'idempotency_key_reuse'
  static override status = 422
  override name = 'KeyReusedError'
}

export class V2Store {
  private readonly db: DatabaseSync
  private readonly blobs: string
  private readonly q: Record<string, StatementSync>

  constructor(root: string) {
    mkdirSync(root, { recursive: true })
    this.blobs = join(root, 'v2', 'blobs')
    mkdirSync(this.blobs, { recursive: true })
    this.db = openSqlite(join(root, 'v2.sqlite'))
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;')
    this.db.exec(SCHEMA)
    const p = (sql: string) => this.db.prepare(sql)
    this.q = {
      insertJob: p(
        `INSERT INTO jobs (id, idem_key, workflow, metadata, status, created_at, expires_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
      ),
      job: p('SELECT * FROM jobs WHERE id = ?'),
      open: p(`SELECT * FROM jobs WHERE status IN ('queued', 'running', 'canceling') ORDER BY created_at`),
      started: p(
        `UPDATE jobs SET run_id = ?, attempts = attempts + 1, status = CASE WHEN status = 'canceling' THEN status ELSE 'queued' END
         WHERE id = ? AND status IN ('queued', 'running', 'canceling')`,
      ),
      running: p(
        `UPDATE jobs SET status = 'running', server = ?, started_at = COALESCE(started_at, ?) WHERE id = ? AND status = 'queued'`,
      ),
      cancelRequested: p(
        `UPDATE jobs SET cancel_requested = 1, status = CASE WHEN status IN ('queued', 'running') THEN 'canceling' ELSE status END WHERE id = ?`,
      ),
      // The one guarded change to an end: a job ends once, whatever tries again.
      finish: p(
        `UPDATE jobs SET status = ?, outputs = ?, error = ?, completed_at = ?, expires_at = ?
         WHERE id = ? AND status IN ('queued', 'running', 'canceling')`,
      ),
      page: p(`SELECT * FROM jobs WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`),
      expiredJobs: p(
        `SELECT id FROM jobs WHERE expires_at < ? AND status IN ('succeeded', 'canceled', 'failed', 'expired')`,
      ),
      deleteJob: p('DELETE FROM jobs WHERE id = ?'),
      insertAsset: p(
        `INSERT INTO assets (id, hash, size, content_type, file_path, job_id, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      asset: p('SELECT * FROM assets WHERE id = ?'),
      assetByHash: p('SELECT * FROM assets WHERE hash = ? ORDER BY created_at LIMIT 1'),
      uploadByHash: p('SELECT * FROM assets WHERE hash = ? AND job_id IS NULL ORDER BY created_at LIMIT 1'),
      deleteAsset: p('DELETE FROM assets WHERE id = ?'),
      expiredAssets: p('SELECT * FROM assets WHERE (expires_at IS NOT NULL AND expires_at < ?) OR job_id = ?'),
      hashUsers: p('SELECT COUNT(*) AS n FROM assets WHERE hash = ?'),
    }
  }

  insertJob(j: {
    id: string
    idemKey: string | undefined
    workflow: unknown
    metadata: Record<string, string>
    createdAt: string
    expiresAt: string
  }): void {
    try {
      this.q.insertJob!.run(
        j.id,
        j.idemKey ?? null,
        JSON.stringify(j.workflow),
        JSON.stringify(j.metadata),
        j.createdAt,
        j.expiresAt,
      )
    } catch (e) {
      if (/UNIQUE constraint failed: jobs\.idem_key/.test((e as Error).message))
        throw new KeyReusedError(`Idempotency-Key "${j.idemKey}" was used before.`)
      throw e
    }
  }

  /** Take a key back (the submit it came with was refused before anything ran), so the client may use it again. */
  forgetJob(id: string): void {
    this.q.deleteJob!.run(id)
  }

  job(id: string): JobRow | undefined {
    return this.q.job!.get(id) as JobRow | undefined
  }

  open(): JobRow[] {
    return this.q.open!.all() as unknown as JobRow[]
  }

  /** The job's new run; false when the job ended meanwhile (cancelled while it was being started). */
  started(id: string, runId: string): boolean {
    return Number(this.q.started!.run(runId, id).changes) === 1
  }

  running(id: string, server: string, at: string): void {
    this.q.running!.run(server, at, id)
  }

  requestCancel(id: string): void {
    this.q.cancelRequested!.run(id)
  }

  /** True when this call ended the job (false: it had ended already). */
  finish(
    id: string,
    status: V2JobStatus,
    outputs: StoredOutput[],
    error: V2JobError | null,
    at: string,
    expiresAt: string,
  ): boolean {
    return (
      Number(
        this.q.finish!.run(status, JSON.stringify(outputs), error ? JSON.stringify(error) : null, at, expiresAt, id)
          .changes,
      ) === 1
    )
  }

  /** Newest first, before the (created_at, id) of the cursor. */
  page(before: { at: string; id: string } | undefined, limit: number): JobRow[] {
    return this.q.page!.all(before?.at ?? '9999', before?.id ?? '', limit) as unknown as JobRow[]
  }

  insertAsset(a: AssetRow): void {
    this.q.insertAsset!.run(a.id, a.hash, a.size, a.content_type, a.file_path, a.job_id, a.created_at, a.expires_at)
  }

  asset(id: string): AssetRow | undefined {
    return this.q.asset!.get(id) as AssetRow | undefined
  }

  assetByHash(hash: string): AssetRow | undefined {
    return this.q.assetByHash!.get(hash) as AssetRow | undefined
  }

  /** An upload with these bytes (not a job's output, which expires with its job). */
  uploadByHash(hash: string): AssetRow | undefined {
    return this.q.uploadByHash!.get(hash) as AssetRow | undefined
  }

  /** Remove an asset's record, and its bytes when no other record names them. */
  async deleteAsset(a: AssetRow): Promise<void> {
    this.q.deleteAsset!.run(a.id)
    if (Number((this.q.hashUsers!.get(a.hash) as { n: number }).n) === 0)
      await rm(this.blobPath(a.hash), { force: true })
  }

  /** Jobs past their retention, and their outputs; assets past theirs. */
  async expire(now: string): Promise<number> {
    const jobs = this.q.expiredJobs!.all(now) as Array<{ id: string }>
    for (const { id } of jobs) {
      for (const a of this.q.expiredAssets!.all(now, id) as unknown as AssetRow[]) await this.deleteAsset(a)
      this.q.deleteJob!.run(id)
    }
    for (const a of this.q.expiredAssets!.all(now, '') as unknown as AssetRow[]) await this.deleteAsset(a)
    return jobs.length
  }

  blobPath(hash: string): string {
    return join(this.blobs, hash.replace(/^blake3:/, ''))
  }

  async hasBlob(hash: string): Promise<boolean> {
    return stat(this.blobPath(hash)).then(
      () => true,
      () => false,
    )
  }

  /** Keep bytes under their hash: written whole beside, then renamed (a reader never sees half a file). */
  async putBlob(hash: string, bytes: Uint8Array): Promise<void> {
    const path = this.blobPath(hash)
    if (await this.hasBlob(hash)) return
    const tmp = `${path}.${randomUUID()}.tmp`
    await writeFile(tmp, bytes)
    try {
      await rename(tmp, path)
    } catch (e) {
      // The same bytes kept by someone else at the same moment: theirs will do.
      await rm(tmp, { force: true })
      if (!(await this.hasBlob(hash))) throw e
    }
  }

  readBlob(hash: string): Promise<Buffer> {
    return readFile(this.blobPath(hash))
  }

  close(): void {
    this.db.close()
  }
}
