/** /api/sweeps (submit, follow, re-attach, cancel, fetch outputs) and /api/servers (the pool). */
import { createReadStream } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import {
  PoolFileSchema,
  readingSnakeCase,
  routes,
  ServerSpecSchema,
  type ServerInfo,
  type SweepEvent,
} from '../../../shared/protocol/index.js'
import type { ServerPool } from '../../pool/serverPool.js'
import type { SweepService } from '../../sweep/sweepService.js'
import { bodies, parseBody, readBody } from '../bodies.js'
import { bytes, json, type BridgeRequest, type Router } from '../http.js'
import { BridgeHttpError } from '../httpError.js'

const whole = (v: unknown, fallback: number, max: number): number => {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : Number.NaN
  return Number.isFinite(n) ? Math.min(Math.max(n, -1), max) : fallback
}

export function sweepRoutes(router: Router, sweeper: SweepService): void {
  const id = (req: BridgeRequest) => String(req.params.id)

  router.on(routes.listSweeps, undefined, async (_req, res) => {
    json(res, await sweeper.list())
  })
  router.on(routes.submitSweep, bodies.json, async (req, res) => {
    const body = readBody(routes.submitSweep, req.body)
    json(res, await sweeper.start(body), 202)
  })
  router.on(routes.sweep, undefined, async (req, res) => {
    json(res, await sweeper.view(id(req)))
  })
  /** Items in order after `after` (exclusive); `finished=1`: only done or failed ones. */
  router.on(routes.sweepItems, undefined, async (req, res) => {
    json(
      res,
      await sweeper.items(id(req), {
        after: whole(req.query.after, -1, Number.MAX_SAFE_INTEGER),
        limit: whole(req.query.limit, 1000, 5000),
        finished: req.query.finished === '1',
      }),
    )
  })
  router.on(routes.cancelSweep, undefined, async (req, res) => {
    json(res, await sweeper.cancel(id(req)), 202)
  })
  /** An output file of an item (as its `outputs` name it: `items/<n>-<key>.<ext>`). */
  router.on(routes.sweepFile, undefined, async (req, res) => {
    const sweepId = id(req)
    const file = String(req.params.file)
    if (!/^\d+-[A-Za-z0-9._-]+$/.test(file)) throw new BridgeHttpError(404, `No output file "${file}".`, 'not_found')
    const found = await sweeper.outputFile(sweepId, file)
    const type = mediaTypeOf(file)
    if ('bytes' in found) {
      bytes(res, found.bytes, type)
      return
    }
    await sendFile(
      res,
      join(found.folder, 'items', file),
      type,
      () => new BridgeHttpError(404, `Sweep ${sweepId} has no output items/${file}.`, 'not_found'),
    )
  })
  /**
   * Server-Sent Events: every finished item so far (done or failed), then
   * live item events (`?finished=1`: only finished ones), then the sweep when it ends. A client that lost its
   * connection comes back here and gets what it missed.
   */
  router.on(routes.sweepEvents, undefined, async (req, res) => {
    const sweepId = id(req)
    await sweeper.view(sweepId)
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
    // `?finished=1`: items only once they are done or failed (a follower that shows no progress).
    const onlyFinished = req.query.finished === '1'
    const send = (e: SweepEvent) => {
      if (onlyFinished && e.type === 'item' && e.item.status !== 'done' && e.item.status !== 'failed') return
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
    }
    const live: SweepEvent[] = []
    let replaying = true
    const off = sweeper.subscribe(sweepId, (e) => {
      if (replaying) live.push(e)
      else deliver(e)
    })
    const deliver = (e: SweepEvent) => {
      send(e)
      if (e.type === 'sweep' && e.sweep.status !== 'running') {
        off()
        res.end()
      }
    }
    res.on('close', off)
    for (let after = -1; ; ) {
      const page = await sweeper.items(sweepId, { after, limit: 5000, finished: true })
      for (const item of page) send({ type: 'item', item })
      if (page.length < 5000) break
      after = page[page.length - 1]!.index
    }
    replaying = false
    for (const e of live.splice(0)) deliver(e)
    const view = await sweeper.view(sweepId)
    if (view.status !== 'running' || !(await sweeper.isActive(sweepId))) deliver({ type: 'sweep', sweep: view })
  })
}

export function serverRoutes(router: Router, pool: ServerPool): void {
  router.on(routes.listServers, undefined, (_req, res) => {
    json(res, pool.list())
  })
  /** Add one server, or several as a pool file's `{servers: [...]}`. */
  router.on(routes.addServers, bodies.json, async (req, res) => {
    const specs =
      req.body && typeof req.body === 'object' && 'servers' in req.body
        ? parseBody(PoolFileSchema, req.body, 'POST /api/servers').servers
        : [parseBody(readingSnakeCase(ServerSpecSchema), req.body, 'POST /api/servers')]
    // Each joins once it answers as ComfyUI; the first that does not stops the rest.
    const added: ServerInfo[] = []
    for (const s of specs)
      added.push(
        await pool.admit({
          url: s.url,
          ...(s.label ? { label: s.label } : {}),
          ...(s.weight ? { weight: s.weight } : {}),
          ...(s.maxQueued ? { maxQueued: s.maxQueued } : {}),
        }),
      )
    json(res, added, 201)
  })
  for (const [route, paused] of [
    [routes.pauseServer, true],
    [routes.resumeServer, false],
  ] as const)
    router.on(route, undefined, (req, res) => {
      const label = String(req.params.label)
      const done = paused ? pool.pause(label) : pool.resume(label)
      if (!done) throw new BridgeHttpError(404, `No server "${label}" in the pool.`, 'not_found')
      json(res, pool.list())
    })
  for (const [route, paused] of [
    [routes.pausePool, true],
    [routes.resumePool, false],
  ] as const)
    router.on(route, undefined, (_req, res) => {
      if (paused) pool.pause()
      else pool.resume()
      json(res, pool.list())
    })
  router.on(routes.removeServer, undefined, (req, res) => {
    const label = String(req.params.label)
    if (!pool.remove(label)) throw new BridgeHttpError(404, `No server "${label}" in the pool.`, 'not_found')
    json(res, pool.list())
  })
}

const MEDIA_TYPES: Record<string, string> = { png: 'image/png', json: 'application/json' }

/** An output file's media type, from its name (items/<n>-<key>.<ext>, see sweep/itemFiles.ts). */
const mediaTypeOf = (file: string): string =>
  MEDIA_TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream'

/** A file streamed as the answer; `missing` is thrown when it cannot be opened (nothing sent yet). */
function sendFile(res: ServerResponse, path: string, type: string, missing: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(path)
    stream.once('error', (e) => {
      if (!res.headersSent) reject(missing())
      else {
        res.destroy(e)
        resolve()
      }
    })
    stream.once('open', () => {
      res.writeHead(200, { 'content-type': type })
      stream.pipe(res)
      stream.once('end', () => resolve())
    })
  })
}
