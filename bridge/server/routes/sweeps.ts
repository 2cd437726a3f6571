/** /api/sweeps (submit, follow, re-attach, cancel, fetch outputs) and /api/servers (the pool). */
import express, { Router, type Request, type Response } from 'express'
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
import { on, parseBody, readBody } from '../bodies.js'
import { BridgeHttpError } from '../httpError.js'

const whole = (v: unknown, fallback: number, max: number): number => {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : Number.NaN
  return Number.isFinite(n) ? Math.min(Math.max(n, -1), max) : fallback
}

export function sweepsRouter(sweeper: SweepService, limits: { json: string }): Router {
  const router = Router()
  const id = (req: Request) => String(req.params.id)

  on(router, routes.listSweeps, async (_req, res) => {
    res.json(await sweeper.list())
  })
  on(router, routes.submitSweep, express.json({ limit: limits.json }), async (req, res) => {
    const body = readBody(routes.submitSweep, req.body)
    res.status(202).json(await sweeper.start(body))
  })
  on(router, routes.sweep, async (req, res) => {
    res.json(await sweeper.view(id(req)))
  })
  /** Items in order after `after` (exclusive); `finished=1`: only done or failed ones. */
  on(router, routes.sweepItems, async (req, res) => {
    res.json(
      await sweeper.items(id(req), {
        after: whole(req.query.after, -1, Number.MAX_SAFE_INTEGER),
        limit: whole(req.query.limit, 1000, 5000),
        finished: req.query.finished === '1',
      }),
    )
  })
  on(router, routes.cancelSweep, async (req, res) => {
    res.status(202).json(await sweeper.cancel(id(req)))
  })
  /** An output file of an item (as its `outputs` name it: `items/<n>-<key>.<ext>`). */
  on(router, routes.sweepFile, async (req, res, next) => {
    const sweepId = id(req)
    const file = String(req.params.file)
    if (!/^\d+-[A-Za-z0-9._-]+$/.test(file)) throw new BridgeHttpError(404, `No output file "${file}".`, 'not_found')
    const found = await sweeper.outputFile(sweepId, file)
    if ('bytes' in found) {
      res.type(file.slice(file.lastIndexOf('.'))).send(Buffer.from(found.bytes))
      return
    }
    res.sendFile(`items/${file}`, { root: found.folder, dotfiles: 'deny' }, (e) => {
      if (e) next(new BridgeHttpError(404, `Sweep ${sweepId} has no output items/${file}.`, 'not_found'))
    })
  })
  /**
   * Server-Sent Events: every finished item so far (done or failed), then
   * live item events, then the sweep when it ends. A client that lost its
   * connection comes back here and gets what it missed.
   */
  on(router, routes.sweepEvents, async (req: Request, res: Response) => {
    const sweepId = id(req)
    await sweeper.view(sweepId)
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
    const send = (e: SweepEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
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
    req.on('close', off)
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
  return router
}

export function serversRouter(pool: ServerPool, limits: { json: string }): Router {
  const router = Router()
  on(router, routes.listServers, (_req, res) => {
    res.json(pool.list())
  })
  /** Add one server, or several as a pool file's `{servers: [...]}`. */
  on(router, routes.addServers, express.json({ limit: limits.json }), async (req, res) => {
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
    res.status(201).json(added)
  })
  on(router, routes.removeServer, (req, res) => {
    const label = decodeURIComponent(String(req.params.label))
    if (!pool.remove(label)) throw new BridgeHttpError(404, `No server "${label}" in the pool.`, 'not_found')
    res.json(pool.list())
  })
  return router
}
