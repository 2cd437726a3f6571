/**
 * `/api/v2` on the bridge: the routes of `shared/protocol/v2.ts` over the v2
 * jobs and assets. Answers as the contract says, field for field: 201 for
 * a new job, links absolute (from the request's Host), errors as
 * `{"error": {"code", "message", "details"}}`, events as SSE with the
 * outputs before the terminal status.
 */
import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import type { z } from 'zod/v4'
import { describeIssues } from '../../shared/protocol/index.js'
import {
  FromHashBodySchema,
  ListJobsQuerySchema,
  SubmitJobBodySchema,
  terminalV2,
  v2Paths,
  type V2Asset,
  type V2ErrorAnswer,
  type V2Job,
  type V2JobStatus,
  type V2Output,
} from '../../shared/protocol/v2.js'
import { BridgeHttpError } from '../server/httpError.js'
import { type BridgeRequest, json, noContent, queryOf, readRequestBody, Router } from '../server/http.js'
import { blake3Hex } from './hash.js'
import { JOB_RETENTION_MS, type JobChange, V2Error, type V2Jobs } from './jobs.js'
import type { AssetRow, JobRow, StoredOutput } from './store.js'

/** The largest asset an upload takes (the reference proxy's default too). */
const MAX_ASSET_BYTES = 100 * 1024 * 1024
/** A comment line on an open event stream this often, so an idle client does not give up (the SDK's read timeout is 45 s). */
const KEEPALIVE_MS = 15_000

const JSON_BODY = { json: 64 * 1024 * 1024 }
const ISO = (s: string) => new Date(s).toISOString().replace('Z', '+00:00')

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body ?? {})
  if (!parsed.success) throw new V2Error(400, 'invalid_request', `${what}: ${describeIssues(parsed.error)}.`)
  return parsed.data
}

const baseOf = (req: BridgeRequest): string => `http://${req.headers.host ?? '127.0.0.1'}`

function outputView(base: string, o: StoredOutput, asset: AssetRow | undefined, jobId: string): V2Output {
  return {
    node_id: o.node_id,
    name: o.name,
    type: o.type,
    content_type: asset?.content_type ?? 'application/octet-stream',
    size_bytes: asset?.size ?? 0,
    id: o.asset_id,
    hash: asset?.hash ?? null,
    url: `${base}/api/v2/assets/${o.asset_id}/content`,
    url_expires_at: ISO(asset?.expires_at ?? new Date(Date.now() + JOB_RETENTION_MS).toISOString()),
    job_id: jobId,
  }
}

function assetView(base: string, a: AssetRow, createdNew?: boolean): V2Asset {
  return {
    id: a.id,
    hash: a.hash,
    size_bytes: a.size,
    content_type: a.content_type,
    file_path: a.file_path,
    ...(createdNew !== undefined ? { created_new: createdNew } : {}),
    created_at: ISO(a.created_at),
    url: `${base}/api/v2/assets/${a.id}/content`,
    url_expires_at: ISO(a.expires_at ?? new Date(Date.now() + JOB_RETENTION_MS).toISOString()),
    expires_at: a.expires_at ? ISO(a.expires_at) : null,
    job_id: a.job_id,
  }
}

export function v2Handler(jobs: V2Jobs, servers: () => Array<{ label: string; url: string; up: boolean }>) {
  const router = new Router()
  const store = jobs.store

  const jobView = (base: string, row: JobRow): V2Job => {
    const self = `${base}/api/v2/jobs/${row.id}`
    return {
      id: row.id,
      status: row.status,
      created_at: ISO(row.created_at),
      started_at: row.started_at ? ISO(row.started_at) : null,
      completed_at: row.completed_at ? ISO(row.completed_at) : null,
      expires_at: ISO(row.expires_at),
      queue_position: null,
      progress:
        row.status === 'running' ? (jobs.progress(row.id) ?? { value: 0, nodes_done: 0, nodes_total: 0 }) : null,
      outputs: (JSON.parse(row.outputs) as StoredOutput[]).map((o) =>
        outputView(base, o, store.asset(o.asset_id), row.id),
      ),
      error: row.error ? JSON.parse(row.error) : null,
      metadata: JSON.parse(row.metadata) as Record<string, string>,
      urls: { self, events: `${self}/events`, cancel: `${self}/cancel` },
      run_id: row.run_id,
      server: row.server,
      attempts: row.attempts,
    }
  }

  router.on(v2Paths.health, undefined, (_req, res) => {
    json(res, { status: 'healthy', service: 'discomfort-bridge', servers: servers() })
  })

  router.on(v2Paths.submitJob, JSON_BODY, async (req, res) => {
    const key = req.headers['idempotency-key']
    const idem = Array.isArray(key) ? key[0] : key
    if (idem !== undefined && (idem.length === 0 || idem.length > 255 || !/^[\x20-\x7e]+$/.test(idem)))
      throw new V2Error(400, 'invalid_request', 'Idempotency-Key is 1 to 255 printable ASCII characters.')
    const body = SubmitJobBodySchema.safeParse(req.body ?? {})
    if (!body.success) {
      const onLabels = body.error.issues.some((i) => i.path[0] === 'metadata')
      throw new V2Error(
        422,
        onLabels ? 'metadata_invalid' : 'invalid_request',
        `POST /api/v2/jobs: ${describeIssues(body.error)}.`,
      )
    }
    const row = await jobs.submit(body.data, idem)
    json(res, jobView(baseOf(req), row), 201)
  })

  router.on(v2Paths.listJobs, undefined, (req, res) => {
    const q = parse(ListJobsQuerySchema, req.query, 'GET /api/v2/jobs')
    const limit = q.limit ?? 50
    const statuses = q.status ? new Set(q.status.split(',').map((s) => s.trim())) : undefined
    const labels = Object.entries(req.query)
      .map(([k, v]) => [/^metadata\[(.+)\]$/.exec(k)?.[1], v] as const)
      .filter((e): e is readonly [string, string] => e[0] !== undefined)
    if (labels.length > 3) throw new V2Error(400, 'invalid_metadata_filter', 'At most 3 metadata filters.')
    let before: { at: string; id: string } | undefined
    if (q.cursor) {
      const [at, id] = Buffer.from(q.cursor, 'base64url').toString('utf8').split('|')
      if (!at || !id || Number.isNaN(Date.parse(at)))
        throw new V2Error(400, 'invalid_cursor', 'This cursor was not issued here.')
      before = { at, id }
    }
    // Filters apply on the way: read pages until `limit` match or the jobs end (bounded by the table).
    const out: JobRow[] = []
    let last: JobRow | undefined
    let more = false
    for (let scanned = 0; out.length < limit && scanned < 10_000; ) {
      const page = store.page(before, 200)
      scanned += page.length
      for (const row of page) {
        last = row
        const meta = JSON.parse(row.metadata) as Record<string, string>
        if (statuses && !statuses.has(row.status)) continue
        if (labels.some(([k, v]) => meta[k] !== v)) continue
        out.push(row)
        if (out.length === limit) break
      }
      if (page.length < 200) break
      before = { at: last!.created_at, id: last!.id }
    }
    if (out.length === limit && last) more = store.page({ at: last.created_at, id: last.id }, 1).length > 0
    const base = baseOf(req)
    json(res, {
      jobs: out.map((r) => jobView(base, r)),
      next_cursor: more && last ? Buffer.from(`${last.created_at}|${last.id}`).toString('base64url') : null,
    })
  })

  router.on(v2Paths.job, undefined, (req, res) => {
    json(res, jobView(baseOf(req), jobs.require(String(req.params.id))))
  })

  router.on(v2Paths.cancelJob, undefined, async (req, res) => {
    json(res, jobView(baseOf(req), await jobs.cancel(String(req.params.id))))
  })

  router.on(v2Paths.jobWorkflow, undefined, (req, res) => {
    json(res, { workflow: JSON.parse(jobs.require(String(req.params.id)).workflow), format: 'api' })
  })

  router.on(v2Paths.jobEvents, undefined, (req, res) => {
    const id = String(req.params.id)
    const row = jobs.require(id)
    const base = baseOf(req)
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' })
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    // Outputs before the terminal status: a client stops reading at that status.
    const finish = (status: V2JobStatus) => {
      const now = store.job(id)
      for (const o of JSON.parse(now?.outputs ?? '[]') as StoredOutput[])
        send('output', outputView(base, o, store.asset(o.asset_id), id))
      if (now?.error) send('log', { level: 'error', message: (JSON.parse(now.error) as { message: string }).message })
      send('status', { status })
      res.end()
    }
    if (terminalV2(row.status)) return finish(row.status)
    send('status', { status: row.status })
    const progress = jobs.progress(id)
    if (progress) send('progress', progress)
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS)
    const off = jobs.listen(id, (change: JobChange) => {
      if (change.type === 'progress') send('progress', change.progress)
      else if (change.type === 'status') {
        if (terminalV2(change.status)) {
          stop()
          finish(change.status)
        } else send('status', { status: change.status })
      }
    })
    const stop = () => {
      clearInterval(keepalive)
      off()
    }
    res.on('close', stop)
  })

  router.on(
    v2Paths.uploadAsset,
    { raw: { types: ['multipart/form-data'], limit: MAX_ASSET_BYTES + 64 * 1024 } },
    async (req, res) => {
      if (!Buffer.isBuffer(req.body))
        throw new V2Error(422, 'invalid_request', 'POST /api/v2/assets takes multipart/form-data with a "file" part.')
      let form: FormData
      try {
        form = await new Response(req.body as Uint8Array<ArrayBuffer>, {
          headers: { 'content-type': String(req.headers['content-type']) },
        }).formData()
      } catch (e) {
        throw new V2Error(422, 'invalid_request', `The multipart body could not be read: ${(e as Error).message}.`)
      }
      const file = form.get('file')
      if (!(file instanceof Blob)) throw new V2Error(422, 'invalid_request', 'The upload has no "file" part.')
      const bytes = new Uint8Array(await file.arrayBuffer())
      if (bytes.byteLength > MAX_ASSET_BYTES)
        throw new V2Error(413, 'payload_too_large', `An asset is at most ${MAX_ASSET_BYTES / 1024 / 1024} MB.`)
      const filePath = text(form.get('file_path')) ?? (file instanceof File ? file.name : undefined) ?? 'upload.bin'
      if (filePath.includes('..') || filePath.startsWith('/'))
        throw new V2Error(422, 'invalid_request', `file_path "${filePath}" must be relative, without "..".`)
      const hash = `blake3:${await blake3Hex(bytes)}`
      const expected = text(form.get('expected_hash'))
      if (expected && expected !== hash)
        throw new V2Error(
          409,
          'hash_mismatch',
          `The bytes hash to ${hash}, not ${expected}: the upload was changed on the way.`,
          {
            expected_hash: expected,
            actual_hash: hash,
          },
        )
      const known = store.uploadByHash(hash)
      if (known && (await store.hasBlob(hash))) return json(res, assetView(baseOf(req), known, false), 200)
      await store.putBlob(hash, bytes)
      const contentType = text(form.get('content_type')) ?? (file.type || 'application/octet-stream')
      json(res, assetView(baseOf(req), newUpload(hash, bytes.byteLength, contentType, filePath), true), 201)
    },
  )

  router.on(v2Paths.assetFromHash, { json: 64 * 1024 }, async (req, res) => {
    const body = parse(FromHashBodySchema, req.body, 'POST /api/v2/assets/from-hash')
    if (!(await store.hasBlob(body.hash)))
      throw new V2Error(404, 'blob_not_found', `This bridge holds no bytes with hash ${body.hash}; upload them.`)
    const known = store.uploadByHash(body.hash)
    if (known) return json(res, assetView(baseOf(req), known, false), 200)
    // Bytes a job wrote: an upload of its own, so it outlives that job's retention.
    const output = store.assetByHash(body.hash)
    const row = newUpload(
      body.hash,
      output?.size ?? 0,
      output?.content_type ?? 'application/octet-stream',
      body.file_path ?? null,
    )
    json(res, assetView(baseOf(req), row, true), 201)
  })

  router.on(v2Paths.assetByHash, undefined, async (req, res) => {
    const hash = String(req.params.hash)
    const known = store.assetByHash(hash)
    if (!known || !(await store.hasBlob(hash))) throw new V2Error(404, 'not_found', `No asset with hash ${hash}.`)
    json(res, assetView(baseOf(req), known))
  })

  router.on(v2Paths.asset, undefined, (req, res) => {
    json(res, assetView(baseOf(req), requireAsset(String(req.params.id))))
  })

  router.on(v2Paths.deleteAsset, undefined, async (req, res) => {
    await store.deleteAsset(requireAsset(String(req.params.id)))
    noContent(res)
  })

  router.on(v2Paths.assetContent, undefined, async (req, res) => {
    const a = requireAsset(String(req.params.id))
    const path = store.blobPath(a.hash)
    const size = await stat(path).then(
      (st) => st.size,
      () => {
        throw new V2Error(404, 'output_unavailable', `The bytes of asset ${a.id} are gone.`)
      },
    )
    // What an uploader said it is, served so that no page renders it as the bridge's own.
    const headers = {
      'content-type': a.content_type,
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
    }
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''))
    let first = 0
    let last = size - 1
    if (range && (range[1] || range[2])) {
      first = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]))
      last = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1
      if (first >= size || first > last) {
        res.writeHead(416, { 'content-range': `bytes */${size}` })
        res.end()
        return
      }
      res.writeHead(206, {
        ...headers,
        'content-range': `bytes ${first}-${last}/${size}`,
        'content-length': last - first + 1,
      })
    } else res.writeHead(200, { ...headers, 'content-length': size })
    if (req.method === 'HEAD' || size === 0) {
      res.end()
      return
    }
    // Streamed from the file: a large asset costs no more memory than a chunk.
    await pipeline(createReadStream(path, { start: first, end: last }), res).catch(() => res.destroy())
  })

  /** An upload's record (kept until deleted): its bytes are already under their hash. */
  const newUpload = (hash: string, size: number, contentType: string, filePath: string | null): AssetRow => {
    const row: AssetRow = {
      id: randomUUID(),
      hash,
      size,
      content_type: contentType,
      file_path: filePath,
      job_id: null,
      created_at: new Date().toISOString(),
      expires_at: null,
    }
    store.insertAsset(row)
    return row
  }

  const requireAsset = (id: string): AssetRow => {
    const a = store.asset(id)
    if (!a) throw new V2Error(404, 'not_found', `No asset ${id}.`)
    return a
  }

  /** One `/api/v2` request; every refusal in the contract's envelope. */
  return async (raw: IncomingMessage, res: ServerResponse, path: string, search: string): Promise<void> => {
    try {
      const method = raw.method ?? 'GET'
      const found = router.match(method === 'HEAD' ? 'GET' : method, path)
      if (!found) {
        raw.resume()
        throw router.knowsPath(path)
          ? new V2Error(405, 'method_not_allowed', `${path} does not take ${method}.`)
          : new V2Error(404, 'not_found', `No route ${method} ${path}.`)
      }
      const req: BridgeRequest = {
        raw,
        method,
        path,
        params: found.params,
        query: queryOf(search),
        headers: raw.headers,
        body: await readRequestBody(raw, found.entry.body),
      }
      await found.entry.handler(req, res)
    } catch (e) {
      if (res.headersSent) {
        res.destroy()
        return
      }
      const status = (e as { status?: number }).status ?? 500
      const code =
        e instanceof V2Error
          ? String(e.code)
          : e instanceof BridgeHttpError
            ? status === 413
              ? 'payload_too_large'
              : 'invalid_request'
            : (e as { code?: string }).code && status < 500
              ? String((e as { code?: string }).code)
              : 'internal'
      if (status >= 500 && !(e instanceof V2Error)) console.error('[discomfort bridge] /api/v2', e)
      // An unexpected failure's own text may name files on this machine: the log has it, the answer does not.
      const message =
        code === 'internal'
          ? 'The bridge failed on this request (its log says why).'
          : ((e as Error).message ?? String(e))
      const answer: V2ErrorAnswer = { error: { code, message, details: e instanceof V2Error ? e.details : null } }
      if (status === 413) res.setHeader('connection', 'close')
      json(res, answer, status)
    }
  }
}

const text = (v: ReturnType<FormData['get']>): string | undefined => (typeof v === 'string' && v.length ? v : undefined)
