/**
 * The contract both clients keep: the same tests against the HTTP client
 * (BridgeHttp, a bridge on a real port) and the in-process client (direct
 * calls). What each answers must match the protocol's schemas, and errors
 * carry the same code and status either way.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { BridgeHttp, type BridgeApi } from '../../bridge/client/bridgeHttp.js'
import { InProcessBridgeApi } from '../../bridge/client/inProcessApi.js'
import {
  ContextSummarySchema,
  EntryMetaSchema,
  RunEventSchema,
  StorageInfoSchema,
  UsageSchema,
} from '../../shared/protocol/index.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'

let comfy: ComfyStandIn
let bridge: Bridge
const PNG = new Uint8Array(readFileSync(join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png')))

beforeAll(async () => {
  comfy = await startComfyStandIn()
  bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: mkdtempSync(join(tmpdir(), 'contract-')) })
})
afterAll(async () => {
  await bridge.close()
  await comfy.close()
})

const clients: Array<[string, () => BridgeApi]> = [
  ['the HTTP client', () => new BridgeHttp(bridge.url)],
  ['the in-process client', () => new InProcessBridgeApi(bridge)],
]

const invert = {
  name: 'invert.json',
  workflow: {
    '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'picture' } },
    '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
    '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'inverted', input_data: ['2', 0] } },
  },
}

describe.each(clients)('%s', (_label, make) => {
  it('contexts and values: answers match the protocol', async () => {
    const api = make()
    const { id } = await api.createContext({ name: 'contract' })
    expect(ContextSummarySchema.parse(await api.createContext({ id })).id).toBe(id)
    EntryMetaSchema.parse(await api.save(id, 'seed', 42))
    EntryMetaSchema.parse(await api.save(id, 'picture', PNG, { comfyType: 'IMAGE' }))
    const seed = await api.load(id, 'seed')
    expect(seed.value).toEqual({ kind: 'number', value: 42, integer: true })
    EntryMetaSchema.parse(seed.meta)
    const picture = await api.load(id, 'picture')
    expect(picture.value.kind === 'image' && Buffer.from(picture.value.frames[0]!).equals(PNG)).toBe(true)
    expect((await api.context(id)).entries.map((e) => EntryMetaSchema.parse(e).key).sort()).toEqual(['picture', 'seed'])
    expect(UsageSchema.parse(await api.usage(id)).stored_keys_count).toBe(2)
    expect(StorageInfoSchema.parse(await api.storageInfo(id, 'picture'))).toMatchObject({
      comfy_type: 'IMAGE',
      pass_by: 'val',
    })
    await api.delete(id, 'seed')
    expect((await api.context(id)).entries.map((e) => e.key)).toEqual(['picture'])
    await api.closeContext(id)
  })

  it('runs: events match the protocol, outputs come back typed', async () => {
    const api = make()
    const { id } = await api.createContext({})
    const events: unknown[] = []
    const outcome = await api.submitAndFollow({ workflows: [invert], context: id, inputs: { picture: PNG } }, (e) =>
      events.push(e),
    )
    expect(outcome.error).toBeUndefined()
    expect(outcome.outputs?.inverted).toMatchObject({ kind: 'image', width: 64, height: 48 })
    const types = events.map((e) => RunEventSchema.parse(e).type)
    expect(types[0]).toBe('run-started')
    expect(types.at(-1)).toBe('run-finished')
    await api.closeContext(id)
  })

  it('errors carry the same code and status', async () => {
    const api = make()
    const missing = await api.load('no-such-context', 'k').catch((e: unknown) => e)
    expect(missing).toMatchObject({ code: 'not_found', status: 404 })
    const badKey = await api.createContext({ id: '../x' }).catch((e: unknown) => e)
    expect(badKey).toMatchObject({ code: 'bad_key', status: 400 })
    const failed = await api.submitAndFollow({ workflows: [invert] }, undefined)
    expect(failed.error).toMatchObject({ name: 'RunError', code: 'run_failed' })
  })
})
