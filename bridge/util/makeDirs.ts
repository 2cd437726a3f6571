/**
 * Create a folder and its missing parents, one level at a time.
 *
 * Node's `mkdir(path, { recursive: true })` never settles for some paths that
 * cannot exist (e.g. under /proc, seen on Node 20): a user-given output path
 * there hung the CLI. Walking up to the first existing folder and creating
 * each level with a plain mkdir fails at once instead, with the real reason.
 */
import { mkdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

export async function makeDirs(path: string): Promise<void> {
  const missing: string[] = []
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if ((await stat(dir)).isDirectory()) break
      throw Object.assign(new Error(`ENOTDIR: not a folder, '${dir}'`), { code: 'ENOTDIR' })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw e
      missing.push(dir)
    }
  }
  for (const dir of missing.reverse()) {
    await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e
    })
  }
}
