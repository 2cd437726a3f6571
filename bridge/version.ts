/** The package's own version and folder, read once from its package.json (the same from bridge/ and dist/bridge/). */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const file = join(dir, 'package.json')
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'discomfort')
      return dir
    const parent = dirname(dir)
    if (parent === dir)
      throw new Error(`discomfort: cannot find its own package.json above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
}

/** The folder that holds package.json, __init__.py and web/: what ComfyUI loads as a custom node. */
export const PACKAGE_ROOT = findPackageRoot()
export const VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version
