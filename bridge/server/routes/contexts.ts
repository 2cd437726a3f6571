/** /api/contexts: contexts, their keys and values, usage and receipts. */
import express, { Router, type Request } from 'express'
import type { ContextHandle, ContextStoreApi } from '../../store/contextHandle.js'
import { imageFromPngs, latentFromBytes, maskFromPng } from '../../values/valueFrom.js'
import { describeValue, type ContextValue, type PassBy } from '../../values/values.js'
import { toContextValue } from '../../values/inputs.js'
import { BridgeHttpError } from '../httpError.js'
import { inputFromClient } from '../wire.js'
import { routes, type KeyEntry } from '../../../shared/protocol/index.js'
import { envelopeBody, on, readBody, sendDocument } from '../bodies.js'

const param = (req: Request, name: string): string => String(req.params[name])

export function contextsRouter(store: ContextStoreApi, limits: { json: string; binary: string }): Router {
  const router = Router()
  // Opened each time: a shared store reads what other bridges changed since.
  const context = (req: Request): Promise<ContextHandle> => store.open(param(req, 'id'))

  on(router, routes.listContexts, (_req, res) => {
    res.json(store.list().map((c) => c.summary()))
  })

  on(router, routes.createContext, express.json({ limit: limits.json }), async (req, res) => {
    const body = readBody(routes.createContext, req.body)
    if (body.id !== undefined && store.get(body.id)) {
      res.json(store.get(body.id)!.summary())
      return
    }
    const c = await store.create({
      ...(body.id !== undefined ? { id: body.id } : {}),
      ...(body.name !== undefined ? { name: body.name } : {}),
      durable: body.durable === true,
    })
    res.status(201).json(c.summary())
  })

  on(router, routes.context, async (req, res) => {
    const c = await context(req)
    res.json({ ...c.summary(), entries: c.allMeta(), runs: c.recentRuns() })
  })

  on(router, routes.closeContext, async (req, res) => {
    const closed = await store.close(param(req, 'id'))
    if (!closed) throw new BridgeHttpError(404, `There is no open context "${param(req, 'id')}".`, 'not_found')
    res.status(204).end()
  })

  /** Keep an ephemeral context from now on: its values go to disk and it outlives the bridge. */
  on(router, routes.makeDurable, async (req, res) => {
    const c = await context(req)
    await c.makeDurable()
    res.json(c.summary())
  })

  on(router, routes.usage, async (req, res) => {
    res.json((await context(req)).getUsage())
  })

  on(router, routes.receipts, async (req, res) => {
    const c = await context(req)
    res.json({ contextId: c.id, entries: Object.fromEntries(c.allMeta().map((m) => [m.key, m])), runs: c.recentRuns() })
  })

  on(router, routes.keys, async (req, res) => {
    const c = await context(req)
    // With a one-line summary of each value held in RAM, so a list of many keys needs no request per key.
    res.json(
      c.allMeta().map((m) => {
        const summary = c.peekSummary(m.key)
        const entry: KeyEntry = {
          ...m,
          storageType: c.getStorageInfo(m.key).storage_type,
          ...(summary ? { summary } : {}),
        }
        return entry
      }),
    )
  })

  on(router, routes.storageInfo, async (req, res) => {
    res.json((await context(req)).getStorageInfo(param(req, 'key')))
  })

  /** JSON by default; `?format=raw` gives the bytes (first image frame, or `?frame=N`). */
  on(router, routes.value, async (req, res) => {
    const c = await context(req)
    const key = param(req, 'key')
    const value = await c.load(key)
    if (req.query.format === 'raw') {
      sendRaw(res, value, Number(req.query.frame ?? 0), key)
      return
    }
    sendDocument(req, res, { meta: c.meta(key), summary: describeValue(value), value })
  })

  on(router, routes.thumbnail, async (req, res) => {
    const value = await (await context(req)).load(param(req, 'key'))
    if (value.kind !== 'image' && value.kind !== 'mask') {
      throw new BridgeHttpError(
        404,
        `"${param(req, 'key')}" is ${value.kind === 'ref' ? 'a reference' : `a ${value.kind}`}, not an image: it has no thumbnail.`,
        'no_thumbnail',
      )
    }
    res.setHeader('Cache-Control', 'no-cache')
    sendRaw(res, value, 0, param(req, 'key'))
  })

  /**
   * Store a value: JSON `{value, comfyType?, passBy?}` (bytes as `{"$bytes": base64}`),
   * or a raw body: `image/png` (an IMAGE, or a MASK with `?type=MASK`) or
   * `application/octet-stream` with `?type=LATENT`.
   */
  on(
    router,
    routes.saveValue,
    express.raw({ type: ['image/png', 'application/octet-stream'], limit: limits.binary }),
    ...envelopeBody(limits.binary),
    express.json({ limit: limits.json }),
    async (req, res) => {
      const c = await context(req)
      const key = param(req, 'key')
      let value: ContextValue
      let comfyType: string | undefined
      let passBy: PassBy | undefined
      if (Buffer.isBuffer(req.body)) {
        const type = String(req.query.type ?? (req.is('image/png') ? 'IMAGE' : 'LATENT')).toUpperCase()
        if (type !== 'IMAGE' && type !== 'MASK' && type !== 'LATENT')
          throw new BridgeHttpError(
            400,
            `?type= for raw bytes is IMAGE, MASK or LATENT (got "${String(req.query.type).slice(0, 40)}").`,
          )
        const bytes = new Uint8Array(req.body)
        value =
          type === 'MASK'
            ? maskFromPng(bytes, key)
            : type === 'LATENT'
              ? latentFromBytes(bytes, key)
              : imageFromPngs([bytes], key)
        comfyType = type
      } else {
        const body = readBody(routes.saveValue, req.body, `PUT value "${key}"`)
        if (!('value' in body))
          throw new BridgeHttpError(400, `PUT a JSON body {"value": ...} or PNG / .latent bytes to store "${key}".`)
        comfyType = body.comfyType
        passBy = body.passBy
        value = await toContextValue(inputFromClient(body.value, `value "${key}"`), comfyType, `value "${key}"`)
      }
      const meta = await c.save(key, value, { ...(comfyType ? { comfyType } : {}), ...(passBy ? { passBy } : {}) })
      res.json(meta)
    },
  )

  on(router, routes.deleteValue, async (req, res) => {
    const deleted = await (await context(req)).delete(param(req, 'key'))
    if (!deleted)
      throw new BridgeHttpError(404, `Context ${param(req, 'id')} has no key "${param(req, 'key')}".`, 'not_found')
    res.status(204).end()
  })

  return router
}

function sendRaw(res: express.Response, value: ContextValue, frame: number, key: string): void {
  switch (value.kind) {
    case 'image': {
      const bytes = value.frames[frame]
      if (!bytes)
        throw new BridgeHttpError(
          404,
          `"${key}" has ${value.frames.length} frame(s); there is no frame ${frame}.`,
          'not_found',
        )
      res.type('image/png').send(Buffer.from(bytes))
      return
    }
    case 'mask':
      res.type('image/png').send(Buffer.from(value.png))
      return
    case 'latent':
      res.type('application/octet-stream').setHeader('Content-Disposition', `attachment; filename="${key}.latent"`)
      res.send(Buffer.from(value.bytes))
      return
    case 'ref':
      res.json(value.recipe)
      return
    default:
      res.json(value.value)
  }
}
