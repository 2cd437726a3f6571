/**
 * Hostile and careless requests against a real bridge on loopback, each with
 * the status a careful user expects, and nothing stored from a refused one.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'

let comfy: ComfyStandIn
let bridge: Bridge
let root: string
let ctx: string
const PNG = readFileSync(join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png'))

beforeAll(async () => {
  comfy = await startComfyStandIn()
  root = mkdtempSync(join(tmpdir(), 'bridge-abuse-'))
  bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root })
  ctx = (await send('POST', '/contexts', { body: { name: 'abuse' } })).json.id as string
})
afterAll(async () => {
  await bridge.close()
  await comfy.close()
})

interface Answer {
  status: number
  json: Record<string, unknown> & { error?: { message: string } }
}

/** A raw HTTP request (fetch cannot set Host). */
function send(
  method: string,
  path: string,
  o: { body?: unknown; raw?: Buffer; type?: string; host?: string; base?: Bridge } = {},
): Promise<Answer> {
  const b = o.base ?? bridge
  const payload = o.raw ?? (o.body !== undefined ? Buffer.from(JSON.stringify(o.body)) : undefined)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: b.port,
        method,
        path: `/api${path}`,
        headers: {
          host: o.host ?? `127.0.0.1:${b.port}`,
          ...(payload ? { 'content-type': o.type ?? 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString()
          resolve({
            status: res.statusCode ?? 0,
            json: text?.startsWith('{') ? (JSON.parse(text) as Answer['json']) : {},
          })
        })
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** A PNG whose header declares width × height, with a tiny (wrong) body: what a decompression bomb looks like before decoding. */
function declaredPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    return Buffer.concat([len, Buffer.from(type), data, Buffer.alloc(4)])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

describe('DNS rebinding: the Host header must name the bridge', () => {
  it('answers 421 to a foreign Host, and serves loopback names', async () => {
    for (const host of ['evil.example', `evil.example:${bridge.port}`, '192.168.1.5', 'localhost.evil.example']) {
      const r = await send('GET', '/contexts', { host })
      expect(r.status, host).toBe(421)
    }
    expect((await send('PUT', `/contexts/${ctx}/values/k`, { body: { value: 1 }, host: 'evil.example' })).status).toBe(
      421,
    )
    expect((await send('GET', `/contexts/${ctx}/values/k`)).status).toBe(404) // nothing was stored
    for (const host of [`127.0.0.1:${bridge.port}`, `localhost:${bridge.port}`, `[::1]:${bridge.port}`]) {
      expect((await send('GET', '/contexts', { host })).status, host).toBe(200)
    }
  })

  it('refuses a WebSocket whose Host is foreign', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/ws`, { headers: { host: 'evil.example' } })
    const outcome = await new Promise<string>((r) => {
      ws.on('open', () => r('open'))
      ws.on('error', () => r('refused'))
      ws.on('unexpected-response', () => r('refused'))
    })
    ws.terminate()
    expect(outcome).toBe('refused')
  })
})

describe('values from HTTP clients are bytes or JSON, never paths', () => {
  it('refuses {"file": path} as a value and as a run input, and stores nothing', async () => {
    for (const file of ['/etc/passwd', join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png'), '/nonexistent.png']) {
      const put = await send('PUT', `/contexts/${ctx}/values/leak`, { body: { value: { file } } })
      expect(put.status).toBe(400)
      expect(put.json.error!.message).toMatch(/does not read files named by HTTP clients/)
      expect(put.json.error!.message).not.toMatch(/ENOENT|EISDIR/)
      const run = await send('POST', '/runs', {
        body: {
          context: ctx,
          workflows: [
            { name: 'w', workflow: { '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'leak' } } } },
          ],
          inputs: { leak: { file } },
        },
      })
      expect(run.status).toBe(400)
    }
    expect((await send('GET', `/contexts/${ctx}/values/leak`)).status).toBe(404)
  })
})

describe('images are checked from their header, before any decoding', () => {
  it('refuses a PNG declaring 20000×20000 (a decompression bomb) with 400, and stays healthy', async () => {
    const bomb = declaredPng(20000, 20000)
    for (const type of ['IMAGE', 'MASK']) {
      const r = await send('PUT', `/contexts/${ctx}/values/bomb?type=${type}`, { raw: bomb, type: 'image/png' })
      expect(r.status).toBe(400)
      expect(r.json.error!.message).toMatch(/declares 20000×20000 pixels, over the limit of 67,108,864/)
    }
    expect((await send('GET', '/health')).status).toBe(200)
    expect((await send('GET', `/contexts/${ctx}/values/bomb`)).status).toBe(404)
  })

  it('refuses bytes that are no PNG as an image or a mask, and bad ?type= and comfyType', async () => {
    expect(
      (
        await send('PUT', `/contexts/${ctx}/values/x`, {
          raw: Buffer.from('not a png at all, just text'),
          type: 'image/png',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await send('PUT', `/contexts/${ctx}/values/x?type=MASK`, {
          raw: Buffer.from('GIF89a........................'),
          type: 'image/png',
        })
      ).status,
    ).toBe(400)
    expect((await send('PUT', `/contexts/${ctx}/values/x?type=FOO`, { raw: PNG, type: 'image/png' })).status).toBe(400)
    expect((await send('PUT', `/contexts/${ctx}/values/x`, { body: { value: 1, comfyType: 123 } })).status).toBe(400)
    expect((await send('GET', `/contexts/${ctx}/values/x`)).status).toBe(404)
    expect((await send('PUT', `/contexts/${ctx}/values/x?type=MASK`, { raw: PNG, type: 'image/png' })).status).toBe(200)
  })
})

describe('no single request freezes the bridge', () => {
  it('refuses iterations beyond the maximum with 400', async () => {
    const r = await send('POST', '/runs', {
      body: {
        workflows: [{ name: 'w', workflow: { '1': { class_type: 'PrimitiveInt', inputs: { value: 1 } } } }],
        iterations: 1_000_000_000,
      },
    })
    expect(r.status).toBe(400)
    expect(r.json.error!.message).toMatch(/iterations: at most 100000/)
  })

  it('keeps answering while a long run of a workflow with nothing to run goes on', async () => {
    const run = await send('POST', '/runs', {
      body: {
        workflows: [{ name: 'w', workflow: { '1': { class_type: 'PrimitiveInt', inputs: { value: 1 } } } }],
        iterations: 100_000,
      },
    })
    expect(run.status).toBe(202)
    const started = Date.now()
    const health = await send('GET', '/health')
    expect(health.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(2000)
    expect((await send('POST', `/runs/${String(run.json.id)}/cancel`)).status).toBeLessThan(500)
  })
})

describe('durable contexts after a restart', () => {
  it('8 concurrent first saves to one durable context are all kept, and survive another restart', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bridge-durable-'))
    let b = await startBridge({ port: 0, comfyUrl: comfy.url, root: home })
    expect((await send('POST', '/contexts', { body: { id: 'kept', durable: true }, base: b })).status).toBe(201)
    await b.close()
    b = await startBridge({ port: 0, comfyUrl: comfy.url, root: home })
    const keys = Array.from({ length: 8 }, (_, i) => `k${i}`)
    const answers = await Promise.all(
      keys.map((k, i) => send('PUT', `/contexts/kept/values/${k}`, { body: { value: i }, base: b })),
    )
    expect(answers.map((a) => a.status)).toEqual(keys.map(() => 200))
    for (const [i, k] of keys.entries())
      expect((await send('GET', `/contexts/kept/values/${k}`, { base: b })).json).toMatchObject({ value: { value: i } })
    await b.close()
    b = await startBridge({ port: 0, comfyUrl: comfy.url, root: home })
    for (const [i, k] of keys.entries())
      expect((await send('GET', `/contexts/kept/values/${k}`, { base: b })).json).toMatchObject({ value: { value: i } })
    await b.close()
  })
})

describe('malformed ids, keys and values: a 4xx that says why, and nothing stored', () => {
  it('ids and keys that can never exist are 400 (not 404 or 500), without the home folder in the message', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/contexts', { id: 123 }],
      ['POST', '/contexts', { id: '' }],
      ['POST', '/contexts', { id: '../evil' }],
      ['POST', '/contexts', { id: 'a\\b' }],
      ['POST', '/contexts', { id: 'x'.repeat(300) }],
      ['POST', '/contexts', { id: '🙂'.repeat(60) }], // 60 characters, 240 bytes
      ['PUT', `/contexts/${ctx}/values/${'k'.repeat(256)}`, { value: 1 }],
      ['PUT', `/contexts/${ctx}/values/${encodeURIComponent('🙂'.repeat(60))}`, { value: 1 }],
      ['PUT', `/contexts/${ctx}/values/${encodeURIComponent(' padded ')}`, { value: 1 }],
    ]
    for (const [method, path, body] of cases) {
      const r = await send(method, path, { body })
      expect(r.status, `${method} ${path.slice(0, 60)}`).toBe(400)
      expect(r.json.error!.message).not.toContain(root)
    }
  })

  it('values that claim a kind are checked like new ones; deep JSON is refused', async () => {
    const bad: unknown[] = [
      { kind: 'latent', bytes: { $bytes: 'AAAA' }, shape: 'x' },
      { kind: 'image', frames: [{ $bytes: 'AAAA' }], width: 1, height: 1 },
      { kind: 'mask', png: { $bytes: Buffer.from('nope').toString('base64') } },
      { kind: 'number', value: 'seven' },
      { kind: 'ref', recipe: { prompt: {}, output: ['9', 0], type: 'MODEL' } },
    ]
    for (const [i, value] of bad.entries()) {
      const r = await send('PUT', `/contexts/${ctx}/values/bad${i}`, { body: { value } })
      expect(r.status, JSON.stringify(value).slice(0, 60)).toBe(400)
      expect((await send('GET', `/contexts/${ctx}/values/bad${i}`)).status).toBe(404)
    }
    const deep = Buffer.from(`{"value":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)
    const r = await send('PUT', `/contexts/${ctx}/values/deep`, { raw: deep })
    expect(r.status).toBe(400)
    expect(r.json.error!.message).toMatch(/nested deeper than 100 levels/)
    const good = await send('PUT', `/contexts/${ctx}/values/fine`, {
      body: { value: { kind: 'image', frames: [{ $bytes: PNG.toString('base64') }], width: 1, height: 1 } },
    })
    expect(good.json).toMatchObject({ kind: 'image' })
    expect((await send('GET', `/contexts/${ctx}/values/fine`)).json).toMatchObject({ value: { width: 64, height: 48 } })
  })
})
