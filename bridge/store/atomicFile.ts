/**
 * Writes that never leave a half-written file: temp file, fsync, rename,
 * fsync of the folder. Without `sync` the rename still makes the write
 * atomic for other processes and after a crash of this one; only a power
 * loss could lose it (used for ephemeral data, which is discarded at the
 * next start anyway).
 */
import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: { sync?: boolean } = {},
): Promise<void> {
  const sync = options.sync ?? true
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'w')
  try {
    await handle.writeFile(data)
    if (sync) await handle.sync()
  } finally {
    await handle.close()
  }
  try {
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
