/**
 * `/api/v2` route by route, as the official SDK reads it: every document is
 * checked against the contract's schema (the same fields the SDK's models
 * require), every refusal against the contract's envelope and codes, on a
 * bridge over two stand-in ComfyUIs of each server generation.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { decodePng } from '../../bridge/codec/png.js'
import { blake3Hex } from '../../bridge/v2/hash.js'
import { V2AssetSchema, V2HealthSchema, V2JobListSchema, V2JobSchema, type V2Job } from '../../shared/protocol/v2.js'
import { startComfyStandIn, type ComfyProfile, type ComfyStandIn } from '../comfyStandIn/server.js'

const PHOTO = readFileSync(resolve(import.meta.dirname, '../../examples/v2/photo.png'))
const WORKFLOW = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../examples/v2/workflow_api.json'), 'utf8'),
) as Record<string, { inputs: Record<string, unknown> }>

for (const profile of ['0.3.75', 'current'] as ComfyProfile[]) {
  describe(`/api/v2 on stand-ins of ComfyUI ${profile}`, () => {
    let comfys: ComfyStandIn[] = []
    let bridge: Bridge
    let base = ''
    beforeAll(async () => {
      comfys = await Promise.all([0, 1].map(() => startComfyStandIn({ profile, promptDelayMs: 300 })))
      bridge = await startBridge({
        port: 0,
        comfyUrl: comfys[0]!.url,
        servers: [{ url: comfys[1]!.url }],
        root: mkdtempSync(join(tmpdir(), 'v2-contract-')),
        announce: false,
      })
      base = `${bridge.url}/api/v2`
    })
    afterAll(async () => {
      await bridge?.close()
      for (const c of comfys) await c.close()
    })

    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
      const text = await res.text()
      return {
        status: res.status,
        headers: res.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      }
    }
    const refusal = (answer: { body: Record<string, unknown> }) =>
      answer.body.error as { code: string; message: string; details: unknown }

    const upload = async (bytes: Uint8Array, expected?: string) => {
      const form = new FormData()
      form.set('content_type', 'image/png')
      form.set('file_path', 'photo.png')
      form.set('expected_hash', expected ?? `blake3:${await blake3Hex(bytes)}`)
      form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png')
      const res = await fetch(`${base}/assets`, {
        method: 'POST',
        body: form,
        headers: { 'idempotency-key': crypto.randomUUID() },
      })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    }
    const until = async (id: string, ok: (j: V2Job) => boolean): Promise<V2Job> => {
      for (let i = 0; i < 300; i++) {
        const job = V2JobSchema.parse((await call('GET', `/jobs/${id}`)).body)
        if (ok(job)) return job
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error(`job ${id} never got there`)
    }
    const withAsset = (assetId: string, hash: string) => {
      const wf = structuredClone(WORKFLOW)
      wf['10']!.inputs.image = { __type: 'core/ASSET', info: { id: assetId, hash, file_path: 'photo.png' } }
      return wf
    }

    it('keeps an upload by its blake3 hash: 201 new, 200 again, HEAD by hash, from-hash, a wrong hash refused', async () => {
      const hash = `blake3:${await blake3Hex(PHOTO)}`
      expect((await fetch(`${base}/assets/by-hash/${hash}`, { method: 'HEAD' })).status).toBe(404)
      const first = await upload(PHOTO)
      expect(first.status).toBe(201)
      const asset = V2AssetSchema.parse(first.body)
      expect(asset).toMatchObject({ hash, size_bytes: PHOTO.byteLength, content_type: 'image/png', created_new: true })
      const again = await upload(PHOTO)
      expect([again.status, again.body.id, again.body.created_new]).toEqual([200, asset.id, false])
      expect((await fetch(`${base}/assets/by-hash/${hash}`, { method: 'HEAD' })).status).toBe(200)
      const minted = await call('POST', '/assets/from-hash', { hash, file_path: 'photo.png' })
      expect([minted.status, minted.body.id]).toEqual([200, asset.id])
      const unknown = await call('POST', '/assets/from-hash', { hash: `blake3:${'0'.repeat(64)}` })
      expect([unknown.status, refusal(unknown).code]).toEqual([404, 'blob_not_found'])
      const changed = await upload(PHOTO, `blake3:${'1'.repeat(64)}`)
      expect([changed.status, (changed.body.error as { code: string }).code]).toEqual([409, 'hash_mismatch'])
      const content = await fetch(asset.url)
      expect(Buffer.from(await content.arrayBuffer()).equals(PHOTO)).toBe(true)
      const head = await fetch(asset.url, { headers: { range: 'bytes=0-9' } })
      expect([head.status, head.headers.get('content-range'), (await head.arrayBuffer()).byteLength]).toEqual([
        206,
        `bytes 0-9/${PHOTO.byteLength}`,
        10,
      ])
    })

    it('runs a job with an asset on the pool: 201, links absolute, outputs by node with their bytes, kept by hash', async () => {
      const asset = V2AssetSchema.parse((await upload(PHOTO)).body)
      const submitted = await call(
        'POST',
        '/jobs',
        { workflow: withAsset(asset.id, asset.hash!), metadata: { batch: 'b1' } },
        {
          'idempotency-key': crypto.randomUUID(),
        },
      )
      expect(submitted.status).toBe(201)
      const job = V2JobSchema.parse(submitted.body)
      expect(job.urls.self).toBe(`${base}/jobs/${job.id}`)
      const done = await until(job.id, (j) => j.status === 'succeeded')
      expect(done.outputs).toHaveLength(1)
      const out = done.outputs[0]!
      expect(out).toMatchObject({ node_id: '9', type: 'image', content_type: 'image/png', job_id: job.id })
      const content = await fetch(`${base}/assets/${out.id}/content`)
      // Served as what it is, never as a page of the bridge's origin.
      expect(content.headers.get('x-content-type-options')).toBe('nosniff')
      const bytes = new Uint8Array(await content.arrayBuffer())
      expect(out.size_bytes).toBe(bytes.byteLength)
      expect(out.hash).toBe(`blake3:${await blake3Hex(bytes)}`)
      const png = decodePng(bytes)
      // ImageInvert of the red photo: cyan.
      expect([png.width, png.height, png.rgba[0], png.rgba[1], png.rgba[2]]).toEqual([64, 48, 0, 255, 255])
      expect(done.started_at).not.toBeNull()
      expect(done.completed_at).not.toBeNull()
      expect(done.server).toMatch(/127\.0\.0\.1/)
      // The output fed back as an input: an upload of its own, which outlives the job's retention.
      const reused = await call('POST', '/assets/from-hash', { hash: out.hash, file_path: 'again.png' })
      expect([reused.status, reused.body.job_id, reused.body.expires_at]).toEqual([201, null, null])
      expect(reused.body.id).not.toBe(out.id)
      const wf = await call('GET', `/jobs/${job.id}/workflow`)
      expect(wf.body).toMatchObject({ format: 'api', workflow: { '9': { class_type: 'SaveImage' } } })
    })

    it('refuses a second submit with the same Idempotency-Key (422 idempotency_key_reuse), and runs nothing for it', async () => {
      const key = crypto.randomUUID()
      const wf = {
        '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'k' } },
      }
      const first = await call('POST', '/jobs', { workflow: wf }, { 'idempotency-key': key })
      expect(first.status).toBe(201)
      const second = await call('POST', '/jobs', { workflow: wf }, { 'idempotency-key': key })
      expect([second.status, refusal(second).code]).toEqual([422, 'idempotency_key_reuse'])
      const listed = (await call('GET', '/jobs?limit=100')).body.jobs as V2Job[]
      expect(listed.filter((j) => j.id === first.body.id)).toHaveLength(1)
    })

    it('refuses what it cannot run, each with the contract code, recording nothing', async () => {
      const missing = await call('POST', '/jobs', { workflow: withAsset('no-such-asset', `blake3:${'2'.repeat(64)}`) })
      expect([missing.status, refusal(missing).code]).toEqual([422, 'missing_asset'])
      expect(refusal(missing).details).toEqual({ missing_ids: ['no-such-asset'] })
      const ui = await call('POST', '/jobs', { workflow: { nodes: [], links: [], last_node_id: 0 } })
      expect([ui.status, refusal(ui).code]).toEqual([422, 'workflow_format_ui'])
      const labels = await call('POST', '/jobs', { workflow: WORKFLOW, metadata: { 'bad key!': 'x' } })
      expect([labels.status, refusal(labels).code]).toEqual([422, 'metadata_invalid'])
      const keyed = await call('POST', '/jobs', {
        workflow: WORKFLOW,
        extra_data: { api_key_comfy_org: 'comfyui-secret' },
      })
      expect([keyed.status, refusal(keyed).code]).toEqual([422, 'extra_data_not_supported'])
      expect(JSON.stringify(keyed.body)).not.toContain('comfyui-secret')
      const unknownClass = await call('POST', '/jobs', {
        workflow: { ...WORKFLOW, '11': { class_type: 'NoSuchNode', inputs: { image: ['10', 0] } } },
      })
      expect([unknownClass.status, refusal(unknownClass).code]).toEqual([422, 'invalid_workflow'])
      expect(refusal(unknownClass).details).toMatchObject({
        node_errors: { '11': { class_type: 'NoSuchNode', errors: [{ type: 'missing_node_type' }] } },
      })
      const noOutput = await call('POST', '/jobs', {
        workflow: { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } } },
      })
      expect([noOutput.status, refusal(noOutput).code]).toEqual([422, 'invalid_workflow'])
      const unknown = await call('GET', `/jobs/${crypto.randomUUID()}`)
      expect([unknown.status, refusal(unknown).code]).toEqual([404, 'not_found'])
      const cursor = await call('GET', '/jobs?cursor=nonsense')
      expect([cursor.status, refusal(cursor).code]).toEqual([400, 'invalid_cursor'])
    })

    it('lists jobs newest first, page by page with next_cursor, filtered by labels', async () => {
      const wf = {
        '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'l' } },
      }
      const ids: string[] = []
      for (let i = 0; i < 5; i++)
        ids.push(
          String(
            (await call('POST', '/jobs', { workflow: wf, metadata: { sweep: 'list-test', n: String(i) } })).body.id,
          ),
        )
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page = V2JobListSchema.parse(
          (await call('GET', `/jobs?limit=2&metadata[sweep]=list-test${cursor ? `&cursor=${cursor}` : ''}`)).body,
        )
        expect(page.jobs.length).toBeLessThanOrEqual(2)
        seen.push(...page.jobs.map((j) => j.id))
        cursor = page.next_cursor
      } while (cursor)
      expect(seen).toEqual([...ids].reverse())
      const one = (await call('GET', '/jobs?metadata[sweep]=list-test&metadata[n]=3')).body.jobs as V2Job[]
      expect(one.map((j) => j.id)).toEqual([ids[3]])
    })

    it('cancels: a running prompt is interrupted on its server, a waiting one never runs, an ended one stays as it was', async () => {
      // A prompt of 50 steps of 100 ms (a test-only node of the stand-in that checks for interruption at each step).
      const slow = (color: number) => ({
        '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
        '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 50, step_ms: 100 } },
        '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'c' } },
      })
      {
        const jobs = await Promise.all(
          [0, 1, 2].map(async (i) => V2JobSchema.parse((await call('POST', '/jobs', { workflow: slow(i) })).body)),
        )
        const running = await until(jobs[0]!.id, (j) => j.status === 'running')
        const cancelled = V2JobSchema.parse((await call('POST', `/jobs/${running.id}/cancel`)).body)
        expect(['canceling', 'canceled']).toContain(cancelled.status)
        const waiting = jobs[2]!
        const c2 = V2JobSchema.parse((await call('POST', `/jobs/${waiting.id}/cancel`)).body)
        expect(['canceling', 'canceled']).toContain(c2.status)
        const ended = await until(running.id, (j) => j.status === 'canceled')
        expect(ended.outputs).toEqual([])
        expect((await until(waiting.id, (j) => j.status === 'canceled')).outputs).toEqual([])
        // The running prompt stopped well before its 5 s were up (the server is free for the next).
        expect(Date.parse(ended.completed_at!) - Date.parse(running.started_at!)).toBeLessThan(4000)
        const again = await call('POST', `/jobs/${ended.id}/cancel`)
        expect([again.status, (again.body as V2Job).status]).toEqual([200, 'canceled'])
        await until(jobs[1]!.id, (j) => j.status === 'succeeded')
      }
    })

    it('streams events: status, progress, then the outputs, then the terminal status, then the end', async () => {
      const asset = V2AssetSchema.parse((await upload(PHOTO)).body)
      const job = V2JobSchema.parse((await call('POST', '/jobs', { workflow: withAsset(asset.id, asset.hash!) })).body)
      const res = await fetch(job.urls.events, { headers: { accept: 'text/event-stream' } })
      expect(res.headers.get('content-type')).toBe('text/event-stream')
      const text = await res.text()
      const events = text
        .split('\n\n')
        .filter((b) => b.startsWith('event:'))
        .map((b) => ({
          event: /^event: (.+)$/m.exec(b)![1]!,
          data: JSON.parse(/^data: (.+)$/m.exec(b)![1]!) as Record<string, unknown>,
        }))
      expect(events[0]!.event).toBe('status')
      const names = events.map((e) => e.event)
      expect(names.at(-1)).toBe('status')
      expect(events.at(-1)!.data).toEqual({ status: 'succeeded' })
      expect(names.indexOf('output')).toBeGreaterThan(0)
      expect(names.indexOf('output')).toBeLessThan(names.length - 1)
      expect(events.find((e) => e.event === 'output')!.data).toMatchObject({ node_id: '9', type: 'image' })
      // After the end, a new stream gives the outcome at once.
      const after = await (await fetch(job.urls.events)).text()
      expect(after).toMatch(/event: output[\s\S]*event: status\ndata: {"status":"succeeded"}/)
    })

    it('answers health with the pool', async () => {
      const health = V2HealthSchema.parse((await call('GET', '/health')).body)
      expect(health.servers.map((s) => s.up)).toEqual([true, true])
    })
  })
}
