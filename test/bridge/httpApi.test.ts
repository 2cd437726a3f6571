import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startBridge, BridgeConfigError, type Bridge } from '../../bridge/bridge.js'
import { decodePng } from '../../bridge/codec/png.js'
import { fromWire } from '../../bridge/values/wireJson.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'

let comfy: ComfyStandIn
let bridge: Bridge
const PNG = readFileSync(join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png'))

beforeAll(async () => {
  comfy = await startComfyStandIn()
  bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: mkdtempSync(join(tmpdir(), 'bridge-')) })
})
afterAll(async () => {
  await bridge.close()
  await comfy.close()
})

const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${bridge.url}/api${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  }
}

const invertWorkflow: ApiPrompt = {
  '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'image' } },
  '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
  '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'image', input_data: ['2', 0] } },
}

describe('bridge HTTP API', () => {
  it('health says which ComfyUI it drives', async () => {
    const r = await api('GET', '/health')
    expect(r.body).toMatchObject({
      ok: true,
      service: 'discomfort-bridge',
      comfy: { url: comfy.url, reachable: true, version: '0.3.54' },
    })
  })

  it('contexts: create, store JSON and PNG values, read them, usage, receipts, delete', async () => {
    const created = await api('POST', '/contexts', { name: 'api test' })
    expect(created.status).toBe(201)
    const id = String(created.body!.id)
    expect((await api('PUT', `/contexts/${id}/values/seed`, { value: 42 })).body).toMatchObject({
      key: 'seed',
      comfyType: 'INT',
      passBy: 'val',
    })
    const png = await fetch(`${bridge.url}/api/contexts/${id}/values/photo`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: PNG,
    })
    expect(await png.json()).toMatchObject({ key: 'photo', comfyType: 'IMAGE', kind: 'image' })
    const seed = await api('GET', `/contexts/${id}/values/seed`)
    expect(seed.body).toMatchObject({ summary: '42', value: { kind: 'number', value: 42 } })
    const photo = await api('GET', `/contexts/${id}/values/photo`)
    const value = fromWire(photo.body!.value) as { frames: Uint8Array[] }
    expect(Buffer.from(value.frames[0]!).equals(PNG)).toBe(true)
    const thumb = await fetch(`${bridge.url}/api/contexts/${id}/values/photo/thumbnail`)
    expect(thumb.headers.get('content-type')).toBe('image/png')
    expect(decodePng(new Uint8Array(await thumb.arrayBuffer()))).toMatchObject({ width: 64, height: 48 })
    expect((await api('GET', `/contexts/${id}/usage`)).body).toMatchObject({ stored_keys_count: 2 })
    expect(Object.keys((await api('GET', `/contexts/${id}/receipts`)).body!.entries as object)).toEqual([
      'seed',
      'photo',
    ])
    const keys = (await api('GET', `/contexts/${id}/keys`)).body as unknown as Array<{
      key: string
      storageType: string
    }>
    expect(keys.map((k) => `${k.key}:${k.storageType}`)).toEqual(['seed:ram', 'photo:ram'])
    expect((await api('DELETE', `/contexts/${id}/values/seed`)).status).toBe(204)
    expect((await api('GET', `/contexts/${id}/values/seed`)).body).toMatchObject({
      error: { type: 'not_found', message: expect.stringMatching(/has no key "seed" \(it has: photo\)/) },
    })
    expect((await api('DELETE', `/contexts/${id}`)).status).toBe(204)
    expect((await api('GET', `/contexts/${id}`)).status).toBe(404)
  })

  it('errors are JSON with a message a person can act on', async () => {
    expect((await api('GET', '/nope')).body).toEqual({
      error: { type: 'not_found', message: 'No route GET /api/nope.' },
    })
    const bad = await fetch(`${bridge.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      error: {
        type: 'invalid_json',
        message: expect.stringMatching(/^The request body is not JSON: .+ at position 1\b.*\.$/),
      },
    })
    // A body over the limit is refused from its declared length, before it is read.
    const big = await fetch(`${bridge.url}/api/runs/x/rerun`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'x'.repeat(20_000) }),
    })
    expect(big.status).toBe(413)
    expect(await big.json()).toEqual({
      error: { type: 'body_too_large', message: 'The request body is larger than the limit (16,384 bytes).' },
    })
    // A path the API has under another method: 405, naming it.
    expect((await api('DELETE', '/runs')).body).toEqual({
      error: { type: 'method_not_allowed', message: '/api/runs does not take DELETE.' },
    })
    expect((await api('POST', '/runs', { workflows: ['/etc/passwd'] })).body).toMatchObject({
      error: { message: expect.stringMatching(/does not read files named by HTTP clients/) },
    })
    const convert = await api('POST', '/convert', {
      workflow: { nodes: [{ id: 3, type: 'Nope', inputs: [] }], links: [] },
      name: 'x.json',
    })
    expect(convert.status).toBe(400)
    expect(convert.body).toMatchObject({
      error: {
        type: 'unknown_node_types',
        message: expect.stringMatching(/x\.json uses node types.*"Nope" \(node 3\)/s),
      },
    })
  })

  it('refuses bodies over the size limit with 413', async () => {
    const small = await startBridge({ port: 0, comfyUrl: comfy.url, root: mkdtempSync(join(tmpdir(), 'bridge-')) })
    try {
      const res = await fetch(`${small.url}/api/convert`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: { pad: 'x'.repeat(70 * 1024 * 1024) } }),
      })
      expect(res.status).toBe(413)
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/larger than the limit/)
    } finally {
      await small.close()
    }
  })

  it('runs: submit, follow events over SSE, read the result; a loop over iterations', async () => {
    const ctx = String((await api('POST', '/contexts', {})).body!.id)
    await fetch(`${bridge.url}/api/contexts/${ctx}/values/image`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: PNG,
    })
    const run = await api('POST', '/runs', {
      workflows: [{ name: 'invert.json', workflow: invertWorkflow }],
      context: ctx,
      iterations: 3,
    })
    expect(run.status).toBe(202)
    const id = String(run.body!.id)
    const events = await (await fetch(`${bridge.url}/api/runs/${id}/events`)).text()
    const types = [...events.matchAll(/^event: (.+)$/gm)].map((m) => m[1])
    expect(types.filter((t) => t === 'workflow-finished')).toHaveLength(3)
    expect(types.at(-1)).toBe('run-finished')
    expect((await api('GET', `/runs/${id}`)).body).toMatchObject({
      status: 'succeeded',
      outputs: ['image'],
      progress: { step: 3, totalSteps: 3 },
    })
    const result = (await api('GET', `/runs/${id}/result`)).body!
    const image = (fromWire(result.outputs) as Record<string, { frames: Uint8Array[] }>).image!
    // Inverted three times: back to inverted once.
    expect(Array.from(decodePng(image.frames[0]!).rgba.subarray(0, 3))).toEqual([255, 0, 0])
  })

  it('runs: the history lists the latest, oldest first, and pages back by creation time', async () => {
    const ctx = String((await api('POST', '/contexts', {})).body!.id)
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const run = await api('POST', '/runs', {
        workflows: [{ name: 'invert.json', workflow: invertWorkflow }],
        context: ctx,
      })
      ids.push(String(run.body!.id))
      await (await fetch(`${bridge.url}/api/runs/${ids.at(-1)}/events`)).text()
    }
    const page = async (query: string) =>
      ((await api('GET', `/runs?${query}`)).body as unknown as Array<{ id: string; createdAt: string }>) ?? []
    const latest = await page('limit=2')
    expect(latest.map((r) => r.id)).toEqual(ids.slice(1))
    const back = await page(`limit=2&before=${encodeURIComponent(latest[0]!.createdAt)}`)
    expect(back.at(-1)!.id).toBe(ids[0])
    const wrong = await api('GET', '/runs?before=yesterday&limit=5000')
    expect(wrong.status).toBe(400)
    expect(JSON.stringify(wrong.body)).toMatch(/before is a run's createdAt.*limit|limit.*before is a run's createdAt/s)
  })

  it('runs: a failed run reports why, and cancel stops a running one', async () => {
    const failed = await api('POST', '/runs', { workflows: [{ name: 'invert.json', workflow: invertWorkflow }] })
    await (await fetch(`${bridge.url}/api/runs/${String(failed.body!.id)}/events`)).text()
    const view = (await api('GET', `/runs/${String(failed.body!.id)}`)).body!
    expect(view).toMatchObject({
      status: 'failed',
      error: {
        name: 'RunError',
        message: expect.stringMatching(/invert\.json: INPUT port "image" \(node 1\) needs "image"/),
      },
    })
    expect((await api('GET', `/runs/${String(failed.body!.id)}/result`)).status).toBe(409)

    const slow: ApiPrompt = {
      '1': { class_type: 'PrimitiveString', inputs: { value: 'x' } },
      '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 200, step_ms: 10 } },
      '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['2', 0] } },
    }
    const running = await api('POST', '/runs', { workflows: [{ name: 'slow.json', workflow: slow }] })
    const id = String(running.body!.id)
    await new Promise((r) => setTimeout(r, 150))
    expect((await api('POST', `/runs/${id}/cancel`)).status).toBe(202)
    await (await fetch(`${bridge.url}/api/runs/${id}/events`)).text()
    expect((await api('GET', `/runs/${id}`)).body).toMatchObject({ status: 'cancelled' })
  })

  it('the queue route compiles a page prompt, answers like ComfyUI, and commits outputs to the context', async () => {
    const ctx = String((await api('POST', '/contexts', {})).body!.id)
    await api('PUT', `/contexts/${ctx}/values/text`, { value: 'from the page' })
    const page = new WebSocket(`${comfy.url.replace('http', 'ws')}/ws?clientId=page-1`)
    const seen: string[] = []
    page.on('message', (d) => seen.push(JSON.parse(String(d)).type))
    await new Promise((r) => page.on('open', r))
    const prompt: ApiPrompt = {
      '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'text' } },
      '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
      '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'shout', input_data: ['2', 0] } },
      '4': { class_type: 'PreviewAny', inputs: { source: ['2', 0] } },
    }
    const r = await api('POST', '/queue', { prompt, context_id: ctx, client_id: 'page-1' })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ prompt_id: expect.any(String), number: expect.any(Number), node_errors: {} })
    let shout: Record<string, unknown> | undefined
    for (let i = 0; i < 100; i++) {
      const v = await api('GET', `/contexts/${ctx}/values/shout`)
      if (v.status === 200) {
        shout = v.body
        break
      }
      await new Promise((res) => setTimeout(res, 20))
    }
    expect(shout).toMatchObject({ value: { kind: 'string', value: 'from the page!' } })
    expect(seen).toContain('executed')
    page.close()
    const missing = await api('POST', '/queue', { prompt, context_id: 'no-such-context', client_id: 'page-1' })
    // 400, like ComfyUI's own refusals, so the page shows the message
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({
      // No node at fault: the sentence is the message, as ComfyUI words its prompt-level refusals.
      error: { message: expect.stringMatching(/^There is no context "no-such-context"/), details: '' },
      node_errors: {},
    })
    // Every INPUT port whose key the context lacks is a node error of its own, as ComfyUI words a node
    // that fails validation: the page outlines each and lists each.
    const lacking: ApiPrompt = {
      '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'first_missing' } },
      '2': { class_type: 'DiscomfortPort', inputs: { unique_id: 'second_missing' } },
      '3': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: ['2', 0], delimiter: '' } },
      '4': { class_type: 'PreviewAny', inputs: { source: ['3', 0] } },
    }
    const refused = await api('POST', '/queue', { prompt: lacking, contextId: ctx, clientId: 'page-1' })
    expect(refused.status).toBe(400)
    const portError = (key: string) => ({
      errors: [
        {
          type: 'custom_validation_failed',
          message: `"${key}" is not in the context`,
          details: 'give it a value with "set value" on this port or in the Discomfort panel',
          extra_info: { input_name: 'unique_id' },
        },
      ],
      dependent_outputs: [],
      class_type: 'DiscomfortPort',
    })
    expect(refused.body).toMatchObject({
      error: { message: 'Discomfort refused the run', details: expect.stringMatching(/2 INPUT ports need values/) },
      node_errors: { '1': portError('first_missing'), '2': portError('second_missing') },
    })
  })

  it('a context is renamed with PATCH: the new name is listed, told to pages live, and a durable one keeps it across a restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bridge-rename-'))
    const b1 = await startBridge({ port: 0, comfyUrl: comfy.url, root })
    const at = (b: Bridge) => (method: string, path: string, body?: unknown) =>
      fetch(`${b.url}/api${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json().catch(() => undefined)) as Record<string, unknown>,
      }))
    const call = at(b1)
    const made = await call('POST', '/contexts', { name: 'first name', durable: true })
    const id = String(made.body.id)
    const page = new WebSocket(`${b1.url.replace('http', 'ws')}/api/ws`)
    const told: Array<{ type: string; context?: { id: string; name?: string } }> = []
    page.on('message', (d) => told.push(JSON.parse(String(d))))
    await new Promise((r) => page.on('open', r))
    const renamed = await call('PATCH', `/contexts/${id}`, { name: '  second name ' })
    expect(renamed).toMatchObject({ status: 200, body: { id, name: 'second name', durable: true } })
    expect((await call('GET', '/contexts')).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, name: 'second name' })]),
    )
    for (let i = 0; i < 50 && !told.some((m) => m.context?.name === 'second name'); i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(told).toContainEqual(
      expect.objectContaining({
        type: 'context-changed',
        context: expect.objectContaining({ id, name: 'second name' }),
      }),
    )
    page.close()
    // What cannot be a name, and a context that is not there.
    expect(await call('PATCH', `/contexts/${id}`, { name: '   ' })).toMatchObject({ status: 400 })
    expect(await call('PATCH', `/contexts/${id}`, { name: 'x'.repeat(201) })).toMatchObject({ status: 400 })
    expect(await call('PATCH', `/contexts/${id}`, { name: 'ok', durable: false })).toMatchObject({ status: 400 })
    expect(await call('PATCH', '/contexts/no-such-context', { name: 'ok' })).toMatchObject({ status: 404 })
    // A page on ComfyUI's origin may send PATCH (the preflight names it).
    const preflight = await fetch(`${b1.url}/api/contexts/${id}`, {
      method: 'OPTIONS',
      headers: { origin: new URL(comfy.url).origin, 'access-control-request-method': 'PATCH' },
    })
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/\bPATCH\b/)
    await b1.close()
    const b2 = await startBridge({ port: 0, comfyUrl: comfy.url, root })
    try {
      expect((await at(b2)('GET', `/contexts/${id}`)).body).toMatchObject({ id, name: 'second name' })
    } finally {
      await b2.close()
    }
  })

  it("a run's workflows open again: a page run's graph under its tab's name, a script's as it gave them", async () => {
    const ctx = String((await api('POST', '/contexts', {})).body!.id)
    await api('PUT', `/contexts/${ctx}/values/text`, { value: 'hi' })
    const prompt: ApiPrompt = {
      '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'text' } },
      '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
      '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'shout', input_data: ['2', 0] } },
    }
    const graph = { last_node_id: 3, last_link_id: 2, nodes: [], links: [], groups: [], version: 0.4, extra: {} }
    const queued = await api('POST', '/queue', {
      prompt,
      contextId: ctx,
      clientId: 'page-2',
      extraData: { extra_pnginfo: { workflow: graph } },
      name: 'shouting',
    })
    const pageRun = String((queued.body!.discomfort as { runId: string }).runId)
    expect((await api('GET', `/runs/${pageRun}`)).body).toMatchObject({ workflows: ['shouting'], source: 'page' })
    expect((await api('GET', `/runs/${pageRun}/workflows`)).body).toEqual({
      runId: pageRun,
      workflows: [{ name: 'shouting', format: 'ui', workflow: graph }],
    })
    // A page that sent no graph: its API prompt, under the name every page run had before.
    const bare = await api('POST', '/queue', { prompt, contextId: ctx, clientId: 'page-2' })
    const bareRun = String((bare.body!.discomfort as { runId: string }).runId)
    expect((await api('GET', `/runs/${bareRun}/workflows`)).body).toMatchObject({
      workflows: [{ name: 'ComfyUI page', format: 'api', workflow: prompt }],
    })
    const script = await api('POST', '/runs', {
      workflows: [
        { name: 'one.json', workflow: prompt },
        { name: 'two.json', workflow: prompt },
      ],
      context: ctx,
    })
    expect((await api('GET', `/runs/${String(script.body!.id)}/workflows`)).body).toMatchObject({
      workflows: [
        { name: 'one.json', format: 'api', workflow: prompt },
        { name: 'two.json', format: 'api', workflow: prompt },
      ],
    })
    expect(await api('GET', '/runs/no-such-run/workflows')).toMatchObject({ status: 404 })
  })

  it("a script's run of a UI workflow reaches ComfyUI with that workflow, as the page sends it (ComfyUI's queue panel shows and opens it)", async () => {
    const graph = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../examples/workflows/make_canvas.json'), 'utf8'),
    )
    const before = new Set(comfy.executor.history.keys())
    const run = await api('POST', '/runs', {
      workflows: [{ name: 'make_canvas.json', workflow: graph }],
      inputs: { width: 4, height: 4, color: 0 },
    })
    for (let i = 0; i < 100 && (await api('GET', `/runs/${String(run.body!.id)}`)).body!.status !== 'succeeded'; i++)
      await new Promise((r) => setTimeout(r, 20))
    const sent = [...comfy.executor.history.entries()]
      .filter(([id]) => !before.has(id))
      .map(([, entry]) => (entry.prompt[3] as { extra_pnginfo?: { workflow?: unknown } }).extra_pnginfo?.workflow)
      .filter((w) => w !== undefined)
    expect(sent).toEqual([graph])
  })

  it('a typed number keeps the type it says: 1 sent as a non-integer is FLOAT, 1.5 sent as an integer is refused', async () => {
    const ctx = String((await api('POST', '/contexts', {})).body!.id)
    const float = await api('PUT', `/contexts/${ctx}/values/x`, { value: { kind: 'number', value: 1, integer: false } })
    expect(float).toMatchObject({ status: 200, body: { comfyType: 'FLOAT' } })
    expect((await api('GET', `/contexts/${ctx}/values/x`)).body).toMatchObject({
      value: { kind: 'number', value: 1, integer: false },
    })
    const wrong = await api('PUT', `/contexts/${ctx}/values/y`, {
      value: { kind: 'number', value: 1.5, integer: true },
    })
    expect(wrong.status).toBe(400)
    expect(JSON.stringify(wrong.body)).toMatch(/1\.5 is not a whole number/)
  })

  it('the WebSocket hub says hello with the contexts and streams changes', async () => {
    const ws = new WebSocket(`${bridge.url.replace('http', 'ws')}/api/ws`)
    const messages: Array<{ type: string }> = []
    ws.on('message', (d) => messages.push(JSON.parse(String(d))))
    await new Promise((r) => ws.on('open', r))
    const ctx = String((await api('POST', '/contexts', {})).body!.id)
    await api('PUT', `/contexts/${ctx}/values/k`, { value: 'v' })
    await new Promise((r) => setTimeout(r, 50))
    expect(messages[0]!.type).toBe('hello')
    expect(messages.filter((m) => m.type === 'context-changed').length).toBeGreaterThanOrEqual(2)
    ws.close()
  })
})

describe('who may talk to the bridge', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    await expect(startBridge({ host: '0.0.0.0', port: 0, comfyUrl: comfy.url, token: '' })).rejects.toThrow(
      BridgeConfigError,
    )
    await expect(startBridge({ host: '0.0.0.0', port: 0, comfyUrl: comfy.url, token: '' })).rejects.toThrow(
      /Refusing to listen on 0\.0\.0\.0 without a token/,
    )
  })

  it('with a token, checks it on HTTP and WebSocket', async () => {
    const secured = await startBridge({
      host: '0.0.0.0',
      port: 0,
      comfyUrl: comfy.url,
      token: 's3cret',
      root: mkdtempSync(join(tmpdir(), 'bridge-')),
    })
    const url = `http://127.0.0.1:${secured.port}`
    try {
      const no = await fetch(`${url}/api/health`)
      expect(no.status).toBe(401)
      expect(((await no.json()) as { error: { message: string } }).error.message).toMatch(/needs a token/)
      expect((await fetch(`${url}/api/health`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
      expect((await fetch(`${url}/api/health`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200)
      expect((await fetch(`${url}/api/health?token=s3cret`)).status).toBe(200)
      const refused = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${secured.port}/api/ws`)
        ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
        ws.on('open', () => resolve('open'))
      })
      expect(refused).toBe('403')
      const allowed = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${secured.port}/api/ws?token=s3cret`)
        ws.on('open', () => {
          ws.close()
          resolve('open')
        })
        ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
      })
      expect(allowed).toBe('open')
    } finally {
      await secured.close()
    }
  })

  it('allows CORS only for the ComfyUI origin, and refuses other browser origins', async () => {
    const comfyOrigin = new URL(comfy.url).origin
    const ok = await fetch(`${bridge.url}/api/health`, { headers: { origin: comfyOrigin } })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe(comfyOrigin)
    const preflight = await fetch(`${bridge.url}/api/queue`, {
      method: 'OPTIONS',
      headers: { origin: comfyOrigin, 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    const evil = await fetch(`${bridge.url}/api/contexts`, { headers: { origin: 'https://evil.example' } })
    expect(evil.status).toBe(403)
    expect(evil.headers.get('access-control-allow-origin')).toBeNull()
  })
})
