/**
 * A ComfyUI stand-in for tests: ComfyUI 0.3.54's HTTP and WebSocket API on a
 * real loopback port, every route also under `/api`, backed by the captured
 * object_info and a small set of really executed core nodes.
 *
 * @example
 * const comfy = await startComfyStandIn()
 * // ... point a client at comfy.url ...
 * await comfy.close()
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, extname, join, relative } from 'node:path'
import type { Duplex } from 'node:stream'
import express, { type Request, type Response } from 'express'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import { decodePng, encodePng } from '../../bridge/codec/png.js'
import { COMFY_FIXTURES, loadObjectInfo } from '../helpers/fixtures.js'
import { Executor, type ExecutorOptions } from './executor.js'
import { Folders, type FolderType } from './files.js'
import { TEST_NODE_DEFS } from './nodes.js'
import { validatePrompt } from './validate.js'

export interface ComfyStandInOptions extends ExecutorOptions {
  /** Folder for input/, output/ and temp/ (a fresh temporary folder by default, removed at close). */
  root?: string
  /** Port on 127.0.0.1 (0: any free port). */
  port?: number
  /** A built ComfyUI frontend (the `comfyui-frontend-package`'s static folder) to serve at `/`. */
  frontendDir?: string
  /** Extension web folders served at `/extensions/<name>/` and listed by `/extensions`. */
  extensions?: Record<string, string>
}

export interface ComfyStandIn {
  url: string
  port: number
  folders: Folders
  executor: Executor
  /** How many times the test-only model loader has run. */
  readonly modelLoads: number
  /** Close every WebSocket (the server keeps running), as when a network drops. */
  dropSockets(): void
  close(): Promise<void>
}

const MAX_UPLOAD = 100 * 1024 * 1024

function systemStats(): unknown {
  const capture = JSON.parse(
    readFileSync(join(COMFY_FIXTURES, 'frontend-1.41.3-bootstrap-and-queue.json'), 'utf8'),
  ) as Array<{
    t: string
    url?: string
    body?: string
  }>
  const res = capture.find((r) => r.t === 'res' && r.url === '/api/system_stats')
  return res?.body ? JSON.parse(res.body) : { system: { comfyui_version: '0.3.54' }, devices: [] }
}

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.json': 'application/json',
  '.txt': 'text/plain',
}
const FORCED_DOWNLOAD = new Set(['.html', '.htm', '.js', '.mjs', '.css'])

export async function startComfyStandIn(options: ComfyStandInOptions = {}): Promise<ComfyStandIn> {
  const ownRoot = options.root === undefined
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'comfy-stand-in-'))
  const folders = new Folders(root)
  const baseInfo: ObjectInfo = { ...loadObjectInfo(), ...TEST_NODE_DEFS }
  const sockets = new Map<string, WebSocket>()
  const allSockets = new Set<WebSocket>()
  const settings: Record<string, unknown> = {}
  const userdata = new Map<string, Buffer>()
  const stats = systemStats()

  const sendJson = (ws: WebSocket, type: string, data: Record<string, unknown>) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type, data }))
  }
  const executor = new Executor(
    baseInfo,
    folders,
    (type, data, sid) => {
      if (sid === null) {
        for (const ws of sockets.values()) sendJson(ws, type, data)
      } else {
        const ws = sockets.get(sid)
        if (ws) sendJson(ws, type, data)
      }
    },
    options,
  )

  /** object_info as the real server computes it per request: loader combos list input/. */
  const objectInfo = (): ObjectInfo => {
    const info: ObjectInfo = { ...baseInfo }
    const images = folders.inputFiles((n) => /\.(png|jpe?g|webp|gif|bmp|tiff?)$/i.test(n))
    const withCombo = (name: string, input: string, choices: string[], keepOptions: boolean) => {
      const def = structuredClone(info[name]!)
      const spec = def.input.required![input]!
      def.input.required![input] = keepOptions && spec[1] ? [choices, spec[1]] : [choices]
      info[name] = def
    }
    withCombo('LoadImage', 'image', images, true)
    withCombo('LoadImageMask', 'image', folders.inputFiles(), true)
    withCombo(
      'LoadLatent',
      'latent',
      folders.inputFiles((n) => n.endsWith('.latent')),
      false,
    )
    return info
  }

  const app = express()
  app.disable('x-powered-by')
  const api = express.Router()

  api.get('/object_info', (_req, res) => {
    res.json(objectInfo())
  })
  api.get('/object_info/:cls', (req, res) => {
    const def = objectInfo()[String(req.params.cls)]
    res.json(def ? { [String(req.params.cls)]: def } : {})
  })
  api.get('/system_stats', (_req, res) => {
    res.json(stats)
  })
  api.get('/features', (_req, res) => {
    res.json({ supports_preview_metadata: true, max_upload_size: MAX_UPLOAD })
  })
  api.get('/embeddings', (_req, res) => {
    res.json([])
  })
  api.get('/models', (_req, res) => {
    res.json([])
  })
  api.get('/experiment/models', (_req, res) => {
    res.json([])
  })
  api.get('/users', (_req, res) => {
    res.json({ storage: 'server', migrated: true })
  })
  api.get('/i18n', (_req, res) => {
    res.json({})
  })
  api.get('/settings', (_req, res) => {
    res.json(settings)
  })
  api.post('/settings', express.json(), (req, res) => {
    Object.assign(settings, req.body)
    res.end()
  })
  api.get('/settings/:id', (req, res) => {
    res.json(settings[String(req.params.id)] ?? null)
  })
  api.post('/settings/:id', express.json({ strict: false }), (req, res) => {
    settings[String(req.params.id)] = req.body
    res.end()
  })
  api.get('/userdata', (req, res) => {
    const dir = String(req.query.dir ?? '')
    const files = [...userdata.keys()].filter((k) => k.startsWith(`${dir}/`))
    if (files.length === 0) {
      res.status(404).type('text/plain').send('Not Found')
      return
    }
    res.json(files.map((f) => f.slice(dir.length + 1)))
  })
  api.get('/userdata/:file', (req, res) => {
    const data = userdata.get(decodeURIComponent(String(req.params.file)))
    if (!data) {
      res.status(404).end()
      return
    }
    res.send(data)
  })
  api.post('/userdata/:file', express.raw({ type: () => true, limit: MAX_UPLOAD }), (req, res) => {
    const file = decodeURIComponent(String(req.params.file))
    userdata.set(file, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))
    res.json(file)
  })

  api.get('/prompt', (_req, res) => {
    res.json({ exec_info: { queue_remaining: executor.queueRemaining } })
  })
  api.post('/prompt', express.raw({ type: () => true, limit: MAX_UPLOAD }), (req, res) => {
    let body: Record<string, unknown>
    try {
      body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '') as Record<string, unknown>
    } catch {
      res.status(500).type('text/plain').send(`500 Internal Server Error\n\nServer got itself in trouble`)
      return
    }
    if (!('prompt' in body)) {
      res.status(400).json({
        error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} },
        node_errors: {},
      })
      return
    }
    const targets = Array.isArray(body.partial_execution_targets)
      ? body.partial_execution_targets.map(String)
      : undefined
    const result = validatePrompt(body.prompt, objectInfo(), folders, targets)
    if (!result.ok) {
      res.status(400).json({ error: result.error, node_errors: result.nodeErrors })
      return
    }
    const number = typeof body.number === 'number' ? body.number : executor.nextNumber(body.front === true)
    const promptId = 'prompt_id' in body && body.prompt_id !== undefined ? String(body.prompt_id) : randomUUID()
    const extraData: Record<string, unknown> = { ...((body.extra_data as Record<string, unknown>) ?? {}) }
    if ('client_id' in body) extraData.client_id = body.client_id
    executor.enqueue({ number, promptId, prompt: result.prompt as ApiPrompt, extraData, outputs: result.outputs })
    res.json({ prompt_id: promptId, number, node_errors: result.nodeErrors })
  })

  api.get('/queue', (_req, res) => {
    res.json(executor.queueState())
  })
  api.post('/queue', express.json(), (req, res) => {
    const body = (req.body ?? {}) as { clear?: boolean; delete?: string[] }
    if (body.clear) executor.clearPending()
    if (Array.isArray(body.delete)) executor.deletePending(body.delete.map(String))
    res.end()
  })
  api.post('/interrupt', (_req, res) => {
    executor.interrupt()
    res.end()
  })
  api.post('/free', express.json(), (req, res) => {
    const body = (req.body ?? {}) as { free_memory?: boolean; unload_models?: boolean }
    if (body.free_memory) executor.freeMemory()
    res.end()
  })
  api.get('/history', (req, res) => {
    const entries = [...executor.history.entries()]
    const max = req.query.max_items === undefined ? undefined : Number(req.query.max_items)
    const chosen = max === undefined ? entries : entries.slice(Math.max(0, entries.length - max))
    res.json(Object.fromEntries(chosen))
  })
  api.get('/history/:id', (req, res) => {
    const entry = executor.history.get(String(req.params.id))
    res.json(entry ? { [String(req.params.id)]: entry } : {})
  })
  api.post('/history', express.json(), (req, res) => {
    const body = (req.body ?? {}) as { clear?: boolean; delete?: string[] }
    if (body.clear) executor.history.clear()
    for (const id of body.delete ?? []) executor.history.delete(String(id))
    res.end()
  })

  const upload = async (req: Request, res: Response, mask: boolean) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    let form: FormData
    try {
      form = await new globalThis.Request('http://stand-in/upload', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        body: new Uint8Array(raw),
      }).formData()
    } catch {
      res.status(400).end()
      return
    }
    const file = form.get('image')
    if (!file || typeof file === 'string' || !file.name) {
      res.status(400).end()
      return
    }
    const typeField = String(form.get('type') ?? 'input')
    if (!['input', 'temp', 'output'].includes(typeField)) {
      res.status(500).type('text/plain').send('500 Internal Server Error\n\nServer got itself in trouble')
      return
    }
    const type = typeField as FolderType
    const subfolder = String(form.get('subfolder') ?? '')
    const overwrite = ['true', '1'].includes(String(form.get('overwrite') ?? ''))
    let bytes: Uint8Array = new Uint8Array(await file.arrayBuffer())
    if (mask) {
      // /upload/mask: the original image with the uploaded image's alpha; nothing is written if the original is missing.
      let ref: { filename?: string; subfolder?: string; type?: string }
      try {
        ref = JSON.parse(String(form.get('original_ref') ?? '')) as typeof ref
      } catch {
        res.status(400).end()
        return
      }
      const refType = (ref.type ?? 'output') as FolderType
      const originalPath = join(folders.dir(refType), ref.subfolder ?? '', basename(String(ref.filename ?? '')))
      if (!existsSync(originalPath)) {
        res.json({ name: basename(file.name), subfolder, type })
        return
      }
      try {
        const original = decodePng(readFileSync(originalPath))
        const alpha = decodePng(bytes)
        const rgba = new Uint8Array(original.rgba)
        for (let p = 0; p < original.width * original.height; p++) {
          const x = p % original.width
          const y = Math.floor(p / original.width)
          const inside = x < alpha.width && y < alpha.height
          rgba[p * 4 + 3] = inside ? alpha.rgba[(y * alpha.width + x) * 4 + 3]! : 255
        }
        bytes = encodePng({ width: original.width, height: original.height, rgba }, { alpha: true })
      } catch {
        res.status(500).type('text/plain').send('500 Internal Server Error\n\nServer got itself in trouble')
        return
      }
    }
    let name: string
    try {
      name = folders.upload(type, subfolder, basename(file.name), bytes, overwrite)
    } catch {
      res.status(400).end()
      return
    }
    res.json({ name, subfolder, type })
  }
  api.post('/upload/image', express.raw({ type: 'multipart/form-data', limit: MAX_UPLOAD }), (req, res) =>
    upload(req, res, false),
  )
  api.post('/upload/mask', express.raw({ type: 'multipart/form-data', limit: MAX_UPLOAD }), (req, res) =>
    upload(req, res, true),
  )

  api.get('/view', (req, res) => {
    let filename = req.query.filename
    if (typeof filename !== 'string') {
      res.status(404).end()
      return
    }
    let type = String(req.query.type ?? 'output')
    const m = /^(.*) \[(input|output|temp)\]$/.exec(filename)
    if (m) {
      filename = m[1]!
      type = m[2]!
    }
    if (filename.startsWith('/') || filename.includes('..')) {
      res.status(400).end()
      return
    }
    filename = basename(filename)
    if (!['input', 'output', 'temp'].includes(type)) {
      res.status(400).end()
      return
    }
    const base = folders.dir(type as FolderType)
    const dir = join(base, String(req.query.subfolder ?? ''))
    if (!folders.isInside(dir, base)) {
      res.status(403).end()
      return
    }
    const path = join(dir, filename)
    if (!existsSync(path) || !statSync(path).isFile()) {
      res.status(404).end()
      return
    }
    const ext = extname(filename).toLowerCase()
    const ctype = FORCED_DOWNLOAD.has(ext)
      ? 'application/octet-stream'
      : (CONTENT_TYPES[ext] ?? 'application/octet-stream')
    res.setHeader('Content-Type', ctype)
    res.setHeader('Content-Disposition', `filename="${filename}"`)
    res.send(readFileSync(path))
  })

  // What the real frontend loads at start-up, so browser tests can run it against the stand-in.
  const extensionDirs = options.extensions ?? {}
  api.get('/extensions', (_req, res) => {
    const list: string[] = []
    for (const [name, dir] of Object.entries(extensionDirs)) {
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name)
          if (e.isDirectory()) walk(p)
          else if (e.name.endsWith('.js'))
            list.push(`/extensions/${encodeURIComponent(name)}/${relative(dir, p).split('\\').join('/')}`)
        }
      }
      if (existsSync(dir)) walk(dir)
    }
    res.json(list)
  })
  for (const [name, dir] of Object.entries(extensionDirs)) {
    app.use(`/extensions/${name}`, express.static(dir, { fallthrough: false }))
  }

  app.use('/api', api)
  app.use('/', api)
  if (options.frontendDir) app.use('/', express.static(options.frontendDir))

  const server: Server = createServer(app)
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://stand-in')
    if (url.pathname !== '/ws' && url.pathname !== '/api/ws') {
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const sid = url.searchParams.get('clientId') ?? randomUUID().replace(/-/g, '')
      // One socket per client id: a new one replaces the old in the table, and
      // when the old one closes it removes whatever entry has its id (as ComfyUI does).
      sockets.set(sid, ws)
      allSockets.add(ws)
      ws.on('close', () => {
        sockets.delete(sid)
        allSockets.delete(ws)
      })
      sendJson(ws, 'status', { status: { exec_info: { queue_remaining: executor.queueRemaining } }, sid })
      if (executor.lastNode?.sid === sid) sendJson(ws, 'executing', { node: executor.lastNode.node })
      let first = true
      ws.on('message', (data, isBinary) => {
        if (!first || isBinary) return
        first = false
        try {
          const msg = JSON.parse(data.toString()) as { type?: string }
          if (msg.type === 'feature_flags')
            sendJson(ws, 'feature_flags', { supports_preview_metadata: true, max_upload_size: MAX_UPLOAD })
        } catch {
          // Other client text is ignored.
        }
      })
    })
  })

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    folders,
    executor,
    get modelLoads() {
      return executor.modelLoads.count
    },
    dropSockets() {
      for (const ws of allSockets) ws.terminate()
    },
    async close() {
      for (const ws of allSockets) ws.terminate()
      wss.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      if (ownRoot) rmSync(root, { recursive: true, force: true })
    },
  }
}
