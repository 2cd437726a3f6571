/**
 * One error family: every error class the package exports extends
 * DiscomfortError and declares a stable code and an HTTP status; no source
 * file declares an error on plain Error, and the bridge answers with the
 * class's status and code.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as pkg from '../bridge/index.js'
import { errorBody } from '../bridge/server/errors.js'

const ROOT = resolve(import.meta.dirname, '..')
type ErrorClass = (abstract new (...args: never[]) => Error) & { code?: unknown; status?: unknown }

const exported = (Object.entries(pkg) as Array<[string, unknown]>).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' && (entry[1] as { prototype?: unknown }).prototype instanceof Error,
)

describe('one error family', () => {
  it('every exported error class extends DiscomfortError with a code and a status', () => {
    expect(exported.length).toBeGreaterThan(20)
    for (const [name, cls] of exported) {
      expect(cls.prototype instanceof pkg.DiscomfortError || (cls as unknown) === pkg.DiscomfortError, name).toBe(true)
      expect(cls.code, name).toMatch(/^[a-z_]+$/)
      expect(cls.status, name).toBeGreaterThanOrEqual(400)
      expect(cls.status, name).toBeLessThan(600)
    }
  })

  it('classes with their own meaning have their own code', () => {
    const own = exported.filter(([, cls]) => Object.hasOwn(cls, 'code'))
    const codes = own.map(([, cls]) => cls.code)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('no error class but the root extends plain Error', () => {
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name)
        if (e.isDirectory()) walk(p)
        else if (
          p.endsWith('.ts') &&
          !p.endsWith(join('shared', 'errors.ts')) &&
          /class \w+ extends Error\b/.test(readFileSync(p, 'utf8'))
        )
          offenders.push(p)
      }
    }
    for (const dir of ['bridge', 'shared', 'extension/src']) walk(join(ROOT, dir))
    expect(offenders).toEqual([])
  })

  it('the HTTP answer takes the status and code from the error, whatever its class is called', () => {
    class Renamed extends pkg.ContextKeyError {}
    expect(errorBody(new Renamed('gone'))).toEqual({
      status: 404,
      body: { error: { type: 'not_found', message: 'gone' } },
    })
    expect(errorBody(new pkg.KeyFormatError('bad'))).toMatchObject({
      status: 400,
      body: { error: { type: 'bad_key' } },
    })
    expect(errorBody(new pkg.ComfyTimeoutError('slow'))).toMatchObject({
      status: 504,
      body: { error: { type: 'comfy_timeout' } },
    })
    expect(errorBody(new Error('bug'))).toMatchObject({ status: 500, body: { error: { type: 'internal' } } })
  })
})
