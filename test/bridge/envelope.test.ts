/** Bytes on the wire without base64: the envelope codec, and the bridge speaking it. */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { decodeEnvelope, ENVELOPE_TYPE, EnvelopeError, encodeEnvelope, hasBytes } from '../../shared/protocol/index.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'

const PNG = new Uint8Array(readFileSync(join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png')))
const join2 = (chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks))

describe('the envelope', () => {
  it('carries a document with byte parts and gives the parts back as views of the received bytes', () => {
    const doc = {
      value: { kind: 'image', frames: [PNG, new Uint8Array([1, 2, 3])], width: 64, height: 48 },
      note: 'é',
      n: [1, { deep: true }],
    }
    expect(hasBytes(doc)).toBe(true)
    expect(hasBytes({ a: [1, 'x'] })).toBe(false)
    const bytes = join2(encodeEnvelope(doc))
    expect(bytes.byteLength).toBeLessThan(PNG.byteLength + 200) // raw, not base64 (which is 4/3 the size)
    const back = decodeEnvelope(bytes) as typeof doc
    expect(back).toEqual(doc)
    expect(back.value.frames[0]!.buffer).toBe(bytes.buffer)
  })

  it('refuses what is not a whole envelope, saying why', () => {
    const good = join2(encodeEnvelope({ a: PNG }))
    expect(() => decodeEnvelope(new Uint8Array([1, 2, 3]))).toThrow(EnvelopeError)
    expect(() => decodeEnvelope(good.subarray(0, good.byteLength - 1))).toThrow(/cut short/)
    expect(() => decodeEnvelope(join2([good, new Uint8Array([0])]))).toThrow(/after its last part/)
    const header = new TextEncoder().encode('{"doc":{"$part":3},"parts":[]}')
    const forged = join2([new Uint8Array([0x44, 0x43, 0x45, 0x31, 0, 0, 0, header.byteLength]), header])
    expect(() => decodeEnvelope(forged)).toThrow(/part 3/)
  })
})

describe('the bridge speaks it', () => {
  let comfy: ComfyStandIn
  let bridge: Bridge
  beforeAll(async () => {
    comfy = await startComfyStandIn()
    bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: mkdtempSync(join(tmpdir(), 'envelope-')) })
  })
  afterAll(async () => {
    await bridge.close()
    await comfy.close()
  })

  it('stores an image sent in an envelope and answers with its bytes raw to a client that asks; JSON to others', async () => {
    await fetch(`${bridge.url}/api/contexts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id":"env"}',
    })
    const put = await fetch(`${bridge.url}/api/contexts/env/values/picture`, {
      method: 'PUT',
      headers: { 'content-type': ENVELOPE_TYPE },
      body: join2(encodeEnvelope({ value: PNG, comfyType: 'IMAGE' })),
    })
    expect(await put.json()).toMatchObject({ key: 'picture', kind: 'image', comfyType: 'IMAGE' })
    const raw = await fetch(`${bridge.url}/api/contexts/env/values/picture`, { headers: { accept: ENVELOPE_TYPE } })
    expect(raw.headers.get('content-type')).toBe(ENVELOPE_TYPE)
    const doc = decodeEnvelope(new Uint8Array(await raw.arrayBuffer())) as { value: { frames: Uint8Array[] } }
    expect(Buffer.from(doc.value.frames[0]!).equals(Buffer.from(PNG))).toBe(true)
    const json = await fetch(`${bridge.url}/api/contexts/env/values/picture`)
    expect(json.headers.get('content-type')).toMatch(/application\/json/)
    const bad = await fetch(`${bridge.url}/api/contexts/env/values/x`, {
      method: 'PUT',
      headers: { 'content-type': ENVELOPE_TYPE },
      body: new Uint8Array([0x44, 0x43, 0x45, 0x31, 0, 0, 9, 9]),
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /envelope could not be read: the envelope is cut short/,
    )
  })
})
