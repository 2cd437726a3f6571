/**
 * The bridge's writes to its own disk (context values, receipts, sweep
 * outputs), in one place: so that a write that fails (a full disk, an I/O
 * error, a permission taken away) becomes one error with a stable code and no
 * absolute path (docs/FAULTS.md, "The disk is finite and fallible"), and so
 * that tests can make any write fail (`diskFaults`) without a real full disk.
 */
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { mkdir, open, rename, rm, statfs, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { DiscomfortError } from '../../shared/errors.js'

/** The write operations the layer performs. */
export type DiskOp = 'open' | 'write' | 'sync' | 'rename' | 'unlink' | 'mkdir' | 'rm'

/**
 * Test hook: a function that, for an operation on a path, returns the errno
 * code (`ENOSPC`, `EIO`, `EACCES`, ...) to fail it with, or undefined.
 */
export const diskFaults: {
  inject?: ((op: DiskOp, path: string) => string | undefined) | undefined
  /** The free space `assertRoom` sees instead of the disk's. */
  freeBytes?: number | undefined
} = {}

function injected(op: DiskOp, path: string): void {
  const code = diskFaults.inject?.(op, path)
  if (code) throw Object.assign(new Error(`${code}: injected fault, ${op} '${path}'`), { code, syscall: op, path })
}

/** The disk is full (or the user's quota is): nothing was written. */
class StorageFullError extends DiscomfortError {
  static override code = 'storage_full'
  static override status = 507
  override name = 'StorageFullError'
}

/** The disk failed a write (an I/O error, or a file or folder the bridge may no longer write). */
class StorageFailedError extends DiscomfortError {
  static override code = 'storage_failed'
  static override status = 503
  override name = 'StorageFailedError'
}

const FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG'])
const FAILED: Record<string, string> = {
  EIO: 'an input/output error',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
}

/**
 * A file-system error as the bridge reports it: `what` says what was being
 * done ("saving "image" in context 3f…"), the error its kind and errno, never
 * the path (the bridge's home is its own business). Other errors pass through.
 */
export function storageError(e: unknown, what: string): unknown {
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return e
  if (FULL.has(code))
    return new StorageFullError(
      `The bridge's disk is full (${code}): ${what} was not done, and nothing changed. Free space on the disk that holds the bridge's home folder, or store less.`,
      { cause: e },
    )
  const why = FAILED[code]
  if (why)
    return new StorageFailedError(
      `The bridge could not write to its disk (${code}, ${why}): ${what} was not done, and nothing changed. Check the disk and the permissions of the bridge's home folder.`,
      { cause: e },
    )
  return e
}

/**
 * Write a file so that it is never seen half-written: a temp file beside it,
 * fsync, rename, fsync of the folder. Without `sync` the rename still makes
 * the write atomic for other processes and after a crash of this one; only a
 * power loss could lose it (used for ephemeral data, discarded at the next
 * start anyway). Whatever fails, the temp file is removed.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: { sync?: boolean } = {},
): Promise<void> {
  const sync = options.sync ?? true
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  injected('open', temp)
  const handle = await open(temp, 'w')
  try {
    try {
      injected('write', temp)
      await handle.writeFile(data)
      if (sync) {
        injected('sync', temp)
        await handle.sync()
      }
    } finally {
      await handle.close()
    }
    injected('rename', path)
    await rename(temp, path)
  } catch (e) {
    await unlink(temp).catch(() => {})
    throw e
  }
  if (!sync) return
  const dir = await open(dirname(path), 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}

/**
 * Write a whole file in place (no temp file: for outputs the ledger names
 * only once they are whole). Small ones at once, since a promise round trip
 * costs more than the write; large ones off the event loop.
 */
export async function writeWhole(path: string, bytes: Uint8Array): Promise<void> {
  injected('write', path)
  if (bytes.byteLength <= SMALL_WRITE) writeFileSync(path, bytes)
  else await writeFile(path, bytes)
}

const SMALL_WRITE = 64 * 1024

/** Append to a file and make sure it reached the disk before resolving. */
export async function appendSynced(path: string, text: string): Promise<void> {
  injected('open', path)
  const handle = await open(path, 'a')
  try {
    try {
      injected('write', path)
    } catch (e) {
      // A disk that fills mid-write keeps the start of it: so does the injected fault.
      await handle.write(text.slice(0, Math.floor(text.length / 2)))
      throw e
    }
    await handle.write(text)
    injected('sync', path)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Remove a file (gone already is fine). */
export async function removeFile(path: string): Promise<void> {
  injected('unlink', path)
  await unlink(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e
  })
}

/** Remove a folder and all it holds. */
export async function removeTree(path: string): Promise<void> {
  injected('rm', path)
  await rm(path, { recursive: true, force: true })
}

/** Rename a file or folder (one step: it is either done or not). */
export async function renamePath(from: string, to: string): Promise<void> {
  injected('rename', from)
  await rename(from, to)
}

/**
 * Refuse work before it starts when the disk holding `dir` has less room than
 * `bytes` (plus a margin for the records that go with it): a StorageFullError
 * saying how much it needs and has. Test hook: `diskFaults.freeBytes`.
 */
export async function assertRoom(dir: string, bytes: number, what: string): Promise<void> {
  const free =
    diskFaults.freeBytes ??
    (await statfs(dir).then(
      (s) => s.bavail * s.bsize,
      () => Number.POSITIVE_INFINITY,
    ))
  const needed = bytes + ROOM_MARGIN
  if (needed > free)
    throw new StorageFullError(
      `The bridge's disk has room for ${mb(free)} and ${what} needs about ${mb(needed)}: it was refused before anything was written. Free space on the disk that holds the bridge's home folder, or ask for less.`,
    )
}

/** Room kept free besides the work itself (records, receipts, the ledger's journal). */
const ROOM_MARGIN = 16 * 1024 * 1024
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`

/** Make a folder and its parents. */
export async function makeFolder(path: string): Promise<void> {
  injected('mkdir', path)
  await mkdir(path, { recursive: true })
}
