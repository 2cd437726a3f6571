/** /api/contexts: contexts, their keys and values, usage and receipts. */
import type { ServerResponse } from 'node:http'
import type { ContextHandle, ContextStoreApi } from '../../store/contextHandle.js'
import { imageFromPngs, latentFromBytes, maskFromPng } from '../../values/valueFrom.js'
import { describeValue, type ContextValue, type PassBy } from '../../values/values.js'
import { toContextValue } from '../../values/inputs.js'
import { BridgeHttpError } from '../httpError.js'
import { inputFromClient } from '../wire.js'
import { routes, type KeyEntry } from '../../../shared/protocol/index.js'
import { bodies, readBody, sendDocument } from '../bodies.js'
import { bytes, json, noContent, mediaType, type BridgeRequest, type Router } from '../http.js'

const param = (req: BridgeRequest, name: string): string => String(req.params[name])

export function contextRoutes(router: Router, store: ContextStoreApi): void {
  // Opened each time: a shared store reads what other bridges changed since.
  const context = (req: BridgeRequest): Promise<ContextHandle> => store.open(param(req, 'id'))

  router.on(routes.listContexts, undefined, (_req, res) => {
    json(
      res,
      store.list().map((c) => c.summary()),
    )
  })

  router.on(routes.createContext, bodies.json, async (req, res) => {
    const body = readBody(routes.createContext, req.body)
    if (body.id !== undefined && store.get(body.id)) {
      json(res, store.get(body.id)!.summary())
      return
    }
    const c = await store.create({
      ...(body.id !== undefined ? { id: body.id } : {}),
      ...(body.name !== undefined ? { name: body.name } : {}),
      durable: body.durable === true,
    })
    json(res, c.summary(), 201)
  })

  router.on(routes.context, undefined, async (req, res) => {
    const c = await context(req)
    json(res, { ...c.summary(), entries: c.allMeta(), runs: c.recentRuns() })
  })

  router.on(routes.updateContext, bodies.small, async (req, res) => {
    const body = readBody(routes.updateContext, req.body)
    const c = await context(req)
    await c.rename(body.name)
    json(res, c.summary())
  })

  router.on(routes.closeContext, undefined, async (req, res) => {
    const closed = await store.close(param(req, 'id'))
    if (!closed) throw new BridgeHttpError(404, `There is no open context "${param(req, 'id')}".`, 'not_found')
    noContent(res, 204)
  })

  /** Keep an ephemeral context from now on: its values go to disk and it outlives the bridge. */
  router.on(routes.makeDurable, undefined, async (req, res) => {
    const c = await context(req)
    await c.makeDurable()
    json(res, c.summary())
  })

  router.on(routes.usage, undefined, async (req, res) => {
    json(res, (await context(req)).getUsage())
  })

  router.on(routes.receipts, undefined, async (req, res) => {
    const c = await context(req)
    json(res, {
      contextId: c.id,
      entries: Object.fromEntries(c.allMeta().map((m) => [m.key, m])),
      runs: c.recentRuns(),
    })
  })

  router.on(routes.keys, undefined, async (req, res) => {
    const c = await context(req)
    // With a one-line summary of each value held in RAM, so a list of many keys needs no request per key.
    json(
      res,
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

  router.on(routes.storageInfo, undefined, async (req, res) => {
    json(res, (await context(req)).getStorageInfo(param(req, 'key')))
  })

  /** JSON by default; `?format=raw` gives the bytes (first image frame, or `?frame=N`). */
  router.on(routes.value, undefined, async (req, res) => {
    const c = await context(req)
    const key = param(req, 'key')
    const value = await c.load(key)
    if (req.query.format === 'raw') {
      sendRaw(res, value, Number(req.query.frame ?? 0), key)
      return
    }
    sendDocument(req, res, { meta: c.meta(key), summary: describeValue(value), value })
  })

  router.on(routes.thumbnail, undefined, async (req, res) => {
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
  router.on(routes.saveValue, bodies.value, async (req, res) => {
    const c = await context(req)
    const key = param(req, 'key')
    let value: ContextValue
    let comfyType: string | undefined
    let passBy: PassBy | undefined
    if (Buffer.isBuffer(req.body)) {
      const type = String(req.query.type ?? (mediaType(req.raw) === 'image/png' ? 'IMAGE' : 'LATENT')).toUpperCase()
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
    json(res, meta)
  })

  router.on(routes.deleteValue, undefined, async (req, res) => {
    const deleted = await (await context(req)).delete(param(req, 'key'))
    if (!deleted)
      throw new BridgeHttpError(404, `Context ${param(req, 'id')} has no key "${param(req, 'key')}".`, 'not_found')
    noContent(res, 204)
  })
}

function sendRaw(res: ServerResponse, value: ContextValue, frame: number, key: string): void {
  switch (value.kind) {
    case 'image': {
      const frameBytes = value.frames[frame]
      if (!frameBytes)
        throw new BridgeHttpError(
          404,
          `"${key}" has ${value.frames.length} frame(s); there is no frame ${frame}.`,
          'not_found',
        )
      bytes(res, frameBytes, 'image/png')
      return
    }
    case 'mask':
      bytes(res, value.png, 'image/png')
      return
    case 'latent':
      bytes(res, value.bytes, 'application/octet-stream', {
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(key)}.latent`,
      })
      return
    case 'ref':
      json(res, value.recipe)
      return
    default:
      json(res, value.value)
  }
}
