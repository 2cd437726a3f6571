/**
 * The Python client's suite (clients/python/ci.sh: its wheel in a fresh venv, then pytest against
 * real bridge processes) on a real ComfyUI 0.3.75 instead of the stand-in. What needs the stand-in's
 * test-only nodes or a second stand-in is left out there (pytest marker `stand_in_only`), and says so.
 */
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'
import type { ComfyTarget } from '../e2e/suite.js'
import { startRealComfy } from './startRealComfy.js'

const ROOT = resolve(import.meta.dirname, '../..')
let comfy: ComfyTarget | undefined
afterAll(async () => {
  await comfy?.close()
})

it('the Python client passes its suite against a real ComfyUI', async () => {
  comfy = await startRealComfy()
  const { code, stdout } = await promisify(execFile)('bash', [resolve(ROOT, 'clients/python/ci.sh')], {
    cwd: ROOT,
    env: { ...process.env, DISCOMFORT_TEST_COMFYUI_URL: comfy.url },
    timeout: 900_000,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    (done) => ({ code: 0, stdout: done.stdout }),
    (e: { code?: number; stdout?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? '' }),
  )
  const tail = stdout
    .split('\n')
    .filter((l) => !l.startsWith('WARNING: Location'))
    .slice(-60)
    .join('\n')
  expect(code, tail).toBe(0)
  const summary = stdout.split('\n').find((l) => /passed/.test(l) && /=====/.test(l)) ?? tail
  expect(summary).toMatch(/\d+ passed/)
  expect(summary).not.toMatch(/failed|error/)
  expect(summary).toMatch(/deselected/)
}, 1_000_000)
