/**
 * Invariant 2 of docs/FAULTS.md, over generated scenarios: a full disk, an
 * I/O error or a permission taken away, at any write the context store makes
 * (a value, receipts.json, a spill from RAM, a context's folder), loses no
 * acknowledged value, answers with a stable code and no absolute path,
 * changes nothing when it answers an error (saves and deletes alike), and
 * leaves no temp or orphaned file after a restart.
 *
 * The faults come from the store's own file layer (`diskFaults`), which can
 * fail any operation with any errno; the real-process test in
 * realProcess.test.ts fills a real (tmpfs) disk.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { startBridge } from '../../bridge/bridge.js'
import { ContextStore } from '../../bridge/store/contextStore.js'
import { diskFaults, type DiskOp } from '../../bridge/store/disk.js'
import { fromJs, toJs } from '../../bridge/values/valueFrom.js'
import { startComfyStandIn } from '../comfyStandIn/server.js'

const RUNS = Number(process.env.FAULTS_RUNS ?? 150)
const SEED = process.env.FAULTS_SEED === undefined ? 22 : Number(process.env.FAULTS_SEED)
const CODES = ['ENOSPC', 'EDQUOT', 'EIO', 'EACCES', 'EROFS'] as const
const KEYS = ['a', 'b', 'c', 'd', 'e'] as const

type Op =
  | { do: 'save'; key: string; size: number; fill: string }
  | { do: 'delete'; key: string }
  | { do: 'load'; key: string }
  | { do: 'durable' }

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      do: fc.constant('save' as const),
      key: fc.constantFrom(...KEYS),
      size: fc.integer({ min: 0, max: 3000 }),
      fill: fc.constantFrom('x', 'y', 'z'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('delete' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('load' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 1, arbitrary: fc.constant({ do: 'durable' as const }) },
)

interface DiskScenario {
  durable: boolean
  ops: Op[]
  /** Which write operations fail (by their number since the start of the ops), and how. */
  faults: Array<{ nth: number; code: (typeof CODES)[number] }>
  /** From the fault on, every write fails (a disk that stays full), or only that one. */
  sticky: boolean
}

const diskScenario: fc.Arbitrary<DiskScenario> = fc.record({
  durable: fc.boolean(),
  ops: fc.array(op, { minLength: 1, maxLength: 25 }),
  faults: fc.array(fc.record({ nth: fc.nat(60), code: fc.constantFrom(...CODES) }), { minLength: 1, maxLength: 4 }),
  sticky: fc.boolean(),
})

afterEach(() => {
  diskFaults.inject = undefined
})

/** Every file left in the store's folder (relative names), temp files included. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
}

async function check(s: DiskScenario): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'fallible-disk-'))
  // 4 KB of RAM per context: values spill to disk often.
  let store = new ContextStore({ root, ramCapacityBytes: 4096 })
  await store.init()
  const ctx = await store.create({ durable: s.durable })
  let durable = s.durable
  /** What the store acknowledged: the truth every read must match. */
  const model = new Map<string, string>()
  let writes = 0
  let failing = false
  diskFaults.inject = (_op: DiskOp, _path: string) => {
    const n = writes++
    const hit = s.faults.find((f) => f.nth === n)
    if (hit) failing = true
    if (hit) return hit.code
    return failing && s.sticky ? s.faults[0]!.code : undefined
  }
  const expectStorageError = (e: unknown, what: string) => {
    const err = e as { code?: string; status?: number; message?: string }
    expect(['storage_full', 'storage_failed'], `${what}: ${err.message}`).toContain(err.code)
    expect([507, 503]).toContain(err.status)
    expect(err.message).not.toContain(root)
    expect(err.message).toMatch(/nothing changed/)
  }
  for (const o of s.ops) {
    switch (o.do) {
      case 'save': {
        const text = o.fill.repeat(o.size)
        try {
          await ctx.save(o.key, fromJs(text))
          model.set(o.key, text)
        } catch (e) {
          expectStorageError(e, `save ${o.key}`)
        }
        break
      }
      case 'delete':
        try {
          const had = await ctx.delete(o.key)
          expect(had).toBe(model.has(o.key))
          model.delete(o.key)
        } catch (e) {
          expectStorageError(e, `delete ${o.key}`)
        }
        break
      case 'load':
        if (model.has(o.key)) {
          // A read may meet the disk too (loading back from disk, spilling another value to make room).
          const value = await ctx.load(o.key)
          expect(toJs(value)).toBe(model.get(o.key))
        }
        break
      case 'durable':
        try {
          await ctx.makeDurable()
          durable = true
        } catch (e) {
          expectStorageError(e, 'make durable')
        }
        break
    }
    // After every step, with the disk still failing: what was acknowledged is there, nothing else.
    expect(ctx.listKeys().sort()).toEqual([...model.keys()].sort())
  }
  // The disk works again: every acknowledged value reads back as it was acknowledged.
  diskFaults.inject = undefined
  for (const [key, text] of model) expect(toJs(await ctx.load(key))).toBe(text)
  await ctx.flush()
  await store.shutdown()

  // A restart: a durable context comes back whole, an ephemeral one leaves nothing; no temp or orphaned file.
  store = new ContextStore({ root, ramCapacityBytes: 4096 })
  await store.init()
  const contexts = join(root, 'contexts')
  if (durable) {
    const back = await store.open(ctx.id)
    expect(back.listKeys().sort()).toEqual([...model.keys()].sort())
    for (const [key, text] of model) expect(toJs(await back.load(key))).toBe(text)
    const receipts = JSON.parse(readFileSync(join(contexts, ctx.id, 'receipts.json'), 'utf8')) as {
      entries: Record<string, { file?: string }>
    }
    const referenced = new Set(Object.values(receipts.entries).map((m) => `values/${m.file}`))
    for (const f of filesUnder(join(contexts, ctx.id)))
      expect(
        ['receipts.json', 'journal.jsonl', 'owner.json'].includes(f) || referenced.has(f),
        `left behind: ${f}`,
      ).toBe(true)
  } else {
    expect(filesUnder(contexts)).toEqual([])
  }
  await store.shutdown()
}

describe('the disk is finite and fallible (generated scenarios)', () => {
  it('the named example: the disk fills while a context spills from RAM, and every acknowledged value stays readable', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fallible-disk-'))
    const store = new ContextStore({ root, ramCapacityBytes: 4096 })
    await store.init()
    const ctx = await store.create()
    await ctx.save('first', fromJs('a'.repeat(3000)))
    diskFaults.inject = () => 'ENOSPC'
    // Room for this one only by spilling 'first' to disk, which is full: both stay (in RAM, over capacity).
    await ctx.save('second', fromJs('b'.repeat(3000)))
    await ctx.save('third', fromJs('c'.repeat(3000)))
    expect(ctx.spillFailure).toMatch(/disk is full \(ENOSPC\)/)
    diskFaults.inject = undefined
    expect(toJs(await ctx.load('first'))).toBe('a'.repeat(3000))
    expect(toJs(await ctx.load('second'))).toBe('b'.repeat(3000))
    expect(toJs(await ctx.load('third'))).toBe('c'.repeat(3000))
    // And once there is room again, they spill as before.
    await ctx.save('fourth', fromJs('d'))
    expect(ctx.spillFailure).toBeUndefined()
    expect(ctx.getUsage().ram_usage_bytes).toBeLessThanOrEqual(4096)
    await store.shutdown()
  })

  it('a DELETE of a context that answers an error changed nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fallible-disk-'))
    const store = new ContextStore({ root, ramCapacityBytes: 4096 })
    await store.init()
    const ctx = await store.create({ durable: true })
    await ctx.save('kept', fromJs('still here'))
    diskFaults.inject = (op) => (op === 'rename' ? 'EACCES' : undefined)
    await expect(store.close(ctx.id)).rejects.toMatchObject({ code: 'storage_failed', status: 503 })
    diskFaults.inject = undefined
    expect(toJs(await store.get(ctx.id)!.load('kept'))).toBe('still here')
    expect(await store.close(ctx.id)).toBe(true)
    expect(filesUnder(join(root, 'contexts'))).toEqual([])
    await store.shutdown()
  })

  it(
    `holds over ${RUNS} generated scenarios (seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(diskScenario, async (s) => {
          try {
            await check(s)
          } finally {
            diskFaults.inject = undefined
          }
        }),
        { numRuns: RUNS, seed: SEED },
      )
    },
    10 * 60_000,
  )

  it(
    `a sweep whose output files the disk refuses: those items fail with the storage code and leave no file, the rest are whole (${Math.max(10, Math.round(RUNS / 10))} generated, seed ${SEED})`,
    async () => {
      const comfy = await startComfyStandIn()
      const root = mkdtempSync(join(tmpdir(), 'fallible-sweep-'))
      const bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root, log: () => {} })
      const concat = {
        name: 'concat.json',
        workflow: {
          '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'text' } },
          '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
          '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['2', 0] } },
        },
      }
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.uniqueArray(fc.nat(7), { maxLength: 8 }),
            fc.constantFrom(...CODES),
            async (refused, code) => {
              const tag = Math.random().toString(36).slice(2, 8)
              diskFaults.inject = (op, path) =>
                op === 'write' && refused.some((i) => path.endsWith(`/items/${i}-out.json`)) ? code : undefined
              const res = await fetch(`${bridge.url}/api/sweeps`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                  workflows: [concat],
                  vary: { text: Array.from({ length: 8 }, (_, i) => `${tag}${i}`) },
                }),
              })
              const sweep = (await res.json()) as { id: string; folder: string }
              let view = { status: 'running', done: 0, failed: 0, folder: '' }
              for (let i = 0; i < 400 && view.status === 'running'; i++) {
                await new Promise((r) => setTimeout(r, 25))
                view = (await (await fetch(`${bridge.url}/api/sweeps/${sweep.id}`)).json()) as typeof view
              }
              diskFaults.inject = undefined
              expect(view.status).toBe('finished')
              expect(view.failed).toBe(refused.length)
              expect(view.done).toBe(8 - refused.length)
              const items = (await (await fetch(`${bridge.url}/api/sweeps/${sweep.id}/items`)).json()) as Array<{
                index: number
                status: string
                error?: { code: string; message: string }
              }>
              for (const item of items) {
                if (refused.includes(item.index)) {
                  expect(item.status).toBe('failed')
                  expect(['storage_full', 'storage_failed']).toContain(item.error?.code)
                  expect(item.error?.message).not.toContain(root)
                } else expect(item.status).toBe('done')
              }
              const files = filesUnder(join(view.folder, 'items'))
              expect(files.sort()).toEqual(
                Array.from({ length: 8 }, (_, i) => i)
                  .filter((i) => !refused.includes(i))
                  .map((i) => `${i}-out.json`)
                  .sort(),
              )
            },
          ),
          { numRuns: Math.max(10, Math.round(RUNS / 10)), seed: SEED },
        )
      } finally {
        diskFaults.inject = undefined
        await bridge.close()
        await comfy.close()
      }
    },
    5 * 60_000,
  )
})
