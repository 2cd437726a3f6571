/**
 * The runtime's SQLite (`node:sqlite`). Node 22 announces it as experimental
 * on first load with a warning on stderr; that one line is not the user's
 * business (the API the ledger uses is the one Node 24 keeps), so it is held
 * back while the module loads. Every other warning goes through.
 */
import { createRequire } from 'node:module'
import type { DatabaseSync } from 'node:sqlite'

type Sqlite = typeof import('node:sqlite')
let loaded: Sqlite | undefined

function sqlite(): Sqlite {
  if (loaded) return loaded
  const emit = process.emitWarning
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message
    if (/^SQLite is an experimental feature/.test(text)) return
    return (emit as (...args: unknown[]) => void).call(process, warning, ...rest)
  }) as typeof process.emitWarning
  try {
    loaded = createRequire(import.meta.url)('node:sqlite') as Sqlite
  } finally {
    process.emitWarning = emit
  }
  return loaded
}

/** Open (or create) a database file. */
export const openSqlite = (file: string): DatabaseSync => new (sqlite().DatabaseSync)(file)
