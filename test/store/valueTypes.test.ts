/**
 * Values keep their type. A key's ComfyUI type is the one given when it was
 * saved, else the one it already has, else the value's own; it changes only
 * when a new type is given. So a FLOAT stays FLOAT when a whole number is
 * saved into it, and an INT refuses a fraction (saying how to change the
 * type) instead of silently holding one. Held for the context store by
 * generated save sequences, and for the HTTP API and the client as a user
 * meets it.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { Discomfort } from '../../bridge/client/discomfort.js'
import { ContextStore } from '../../bridge/store/contextStore.js'
import { fromJs } from '../../bridge/values/valueFrom.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'

let dir: string
let comfy: ComfyStandIn
let bridge: Bridge
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'value-types-'))
  comfy = await startComfyStandIn()
  bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: join(dir, 'bridge') })
})
afterAll(async () => {
  await bridge?.close()
  await comfy?.close()
})

const save = fc.record({
  value: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1000, max: 1000, noNaN: true })),
  type: fc.option(fc.constantFrom('INT', 'FLOAT'), { nil: undefined }),
})

describe("a key's type", () => {
  it('is what was given, else what it was, and a number always reads back as that type (generated saves)', async () => {
    const store = new ContextStore({ root: join(dir, 'store'), ramCapacityBytes: 10_000_000 })
    await store.init()
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(save, { minLength: 1, maxLength: 8 }), async (saves) => {
          const ctx = await store.create({})
          let type: string | undefined
          let held: number | undefined
          for (const s of saves) {
            const expected = s.type ?? type ?? (Number.isInteger(s.value) ? 'INT' : 'FLOAT')
            const refused = expected === 'INT' && !Number.isInteger(s.value)
            const saved = ctx.save('k', fromJs(s.value), s.type ? { comfyType: s.type } : {})
            if (refused) {
              await expect(saved).rejects.toMatchObject({ code: 'bad_value' })
            } else {
              await saved
              type = expected
              held = s.value
            }
            // What the key holds is what the last accepted save made it, refused ones changed nothing.
            expect(ctx.meta('k')?.comfyType).toBe(type)
            if (held !== undefined) {
              const value = await ctx.load('k')
              expect(value).toMatchObject({ kind: 'number', value: held, integer: type === 'INT' })
            }
          }
          await store.close(ctx.id)
        }),
        { numRuns: 60 },
      )
    } finally {
      await store.shutdown()
    }
  })

  it('over HTTP: 2 then 0.5 is refused with a way out, a FLOAT given changes it, and 3 then stays FLOAT', async () => {
    const ctx = (await (
      await fetch(`${bridge.url}/api/contexts`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      })
    ).json()) as { id: string }
    const put = (body: unknown) =>
      fetch(`${bridge.url}/api/contexts/${ctx.id}/values/scale`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect(((await (await put({ value: 2 })).json()) as { comfyType: string }).comfyType).toBe('INT')
    const refused = await put({ value: 0.5 })
    expect(refused.status).toBe(400)
    const error = ((await refused.json()) as { error: { type: string; message: string } }).error
    expect(error.type).toBe('bad_value')
    expect(error.message).toMatch(/"scale" holds an INT.*FLOAT/)
    expect(((await (await put({ value: 0.5, comfyType: 'FLOAT' })).json()) as { comfyType: string }).comfyType).toBe(
      'FLOAT',
    )
    expect(((await (await put({ value: 3 })).json()) as { comfyType: string }).comfyType).toBe('FLOAT')
    const read = (await (await fetch(`${bridge.url}/api/contexts/${ctx.id}/values/scale`)).json()) as {
      value: { kind: string; value: number; integer: boolean }
    }
    expect(read.value).toEqual({ kind: 'number', value: 3, integer: false })
  })

  it('from the client: a value saved as FLOAT is a FLOAT however whole it is', async () => {
    const d = await Discomfort.create({ bridgeUrl: bridge.url, embedded: false })
    await using ctx = d.Context()
    await ctx.save('strength', 1, { comfyType: 'FLOAT' })
    expect(await ctx.getStorageInfo('strength')).toMatchObject({ comfy_type: 'FLOAT' })
    await ctx.save('strength', 2)
    expect(await ctx.getStorageInfo('strength')).toMatchObject({ comfy_type: 'FLOAT' })
    await expect(ctx.save('steps', 20).then(() => ctx.save('steps', 20.5))).rejects.toMatchObject({ code: 'bad_value' })
  })
})
