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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import express from 'express'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import { COMFY_FIXTURES, loadObjectInfo } from '../helpers/fixtures.js'
import { chaosMiddleware, type Chaos } from './chaos.js'
import { Executor, type ExecutorOptions } from './executor.js'
import { Folders } from './files.js'
import { TEST_NODE_DEFS } from './nodes.js'
import { fileRoutes } from './routes/files.js'
import { frontendRoutes } from './routes/frontend.js'
import { type ComfyProfile, currentObjectInfo, currentSystemStats, serverFeatures } from './profile.js'
import { infoRoutes } from './routes/info.js'
import { jobRoutes, methodNotAllowedOnJobs } from './routes/jobs.js'
import { promptRoutes } from './routes/prompts.js'
import type { StandInState } from './state.js'

export type { ComfyProfile } from './profile.js'

export interface ComfyStandInOptions extends ExecutorOptions {
  /**
   * Which ComfyUI server to play: '0.3.75' (default) or 'current' (ComfyUI 0.46:
   * jobs API and cancel at /api/jobs…, canonical-UUID prompt ids, missing_node_type,
   * node replacements, its /system_stats and feature flags).
   */
  profile?: ComfyProfile
  /** Folder for input/, output/ and temp/ (a fresh temporary folder by default, removed at close). */
  root?: string
  /** Port on 127.0.0.1 (0: any free port). */
  port?: number
  /** A built ComfyUI frontend (the `comfyui-frontend-package`'s static folder) to serve at `/`. */
  frontendDir?: string
  /** Extension web folders served at `/extensions/<name>/` and listed by `/extensions`. */
  extensions?: Record<string, string>
  /**
   * Test hooks over HTTP for a stand-in in its own process (not part of
   * ComfyUI's API): `POST /__stand-in/frame` sends its body to every
   * WebSocket as a frame (binary unless the body is text/plain), as a custom
   * node's `send_sync` can; `POST /__stand-in/restart` does what `restart()` does.
   */
  testHooks?: boolean
}

export interface ComfyStandIn {
  /** Which ComfyUI server it plays. */
  readonly profile: ComfyProfile
  url: string
  port: number
  folders: Folders
  executor: Executor
  /** How many times the test-only model loader has run. */
  readonly modelLoads: number
  /** Misbehaviour on HTTP, chosen per request (chaos mode); empty: none. */
  chaos: Chaos
  /** Send one raw frame (text or binary) to every WebSocket, as a custom node's `send_sync` can. */
  sendRaw(frame: string | Uint8Array): void
  /**
   * What a restart does: nothing survives (queue, running prompt, history, cache, queue counter);
   * every WebSocket drops; the server keeps its port.
   */
  restart(): void
  /** Close every WebSocket (the server keeps running), as when a network drops. */
  dropSockets(): void
  close(): Promise<void>
}

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

export async function startComfyStandIn(options: ComfyStandInOptions = {}): Promise<ComfyStandIn> {
  const ownRoot = options.root === undefined
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'comfy-stand-in-'))
  const folders = new Folders(root)
  const profile: ComfyProfile = options.profile ?? '0.3.75'
  const captured: ObjectInfo = { ...loadObjectInfo(), ...TEST_NODE_DEFS }
  const baseInfo = profile === 'current' ? currentObjectInfo(captured) : captured
  const sockets = new Map<string, WebSocket>()
  const allSockets = new Set<WebSocket>()
  const settings: Record<string, unknown> = {}
  const userdata = new Map<string, Buffer>()
  const stats = profile === 'current' ? currentSystemStats(systemStats()) : systemStats()

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
  const chaos: Chaos = {}
  app.use(chaosMiddleware(chaos))
  if (options.testHooks) {
    app.post('/__stand-in/frame', express.raw({ type: () => true, limit: '64mb' }), (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
      const frame = req.is('text/plain') ? body.toString('utf8') : new Uint8Array(body)
      for (const ws of allSockets) if (ws.readyState === ws.OPEN) ws.send(frame, { binary: typeof frame !== 'string' })
      res.end()
    })
    app.post('/__stand-in/restart', (_req, res) => {
      executor.forget()
      for (const ws of allSockets) ws.terminate()
      res.end()
    })
  }
  const api = express.Router()

  const state: StandInState = {
    profile,
    folders,
    executor,
    objectInfo,
    stats,
    settings,
    userdata,
    extensionDirs: options.extensions ?? {},
    sockets,
  }
  infoRoutes(api, state)
  frontendRoutes(api, state)
  promptRoutes(api, state)
  fileRoutes(api, state)
  for (const [name, dir] of Object.entries(state.extensionDirs)) {
    app.use(`/extensions/${name}`, express.static(dir, { fallthrough: false }))
  }

  // ComfyUI's internal routes (server.py mounts them at /internal only): the console log the frontend's
  // error dialog attaches to its report. The stand-in logs nothing, so it is empty.
  app.get('/internal/logs', (_req, res) => {
    res.json('')
  })
  app.get('/internal/logs/raw', (_req, res) => {
    res.json({ entries: [], size: { cols: null, rows: null } })
  })
  if (profile === 'current') {
    // The jobs routes carry /api in their own paths: /api/jobs… and /api/api/jobs…, never /jobs.
    const jobs = express.Router()
    jobRoutes(jobs, executor)
    app.use('/', jobs)
    app.use('/api', jobs)
  }
  app.use('/api', api)
  app.use('/', api)
  if (options.frontendDir) app.use('/', express.static(options.frontendDir))
  app.use(methodNotAllowedOnJobs)

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
          if (msg.type === 'feature_flags') sendJson(ws, 'feature_flags', serverFeatures(profile))
        } catch {
          // Other client text is ignored.
        }
      })
    })
  })

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    profile,
    url: `http://127.0.0.1:${port}`,
    port,
    folders,
    executor,
    get modelLoads() {
      return executor.modelLoads.count
    },
    chaos,
    sendRaw(frame) {
      for (const ws of allSockets) if (ws.readyState === ws.OPEN) ws.send(frame, { binary: typeof frame !== 'string' })
    },
    restart() {
      executor.forget()
      for (const ws of allSockets) ws.terminate()
    },
    dropSockets() {
      for (const ws of allSockets) ws.terminate()
    },
    async close() {
      for (const ws of allSockets) ws.terminate()
      wss.close()
      // Requests left hanging (chaos mode) are cut, or close would wait for them.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
      if (ownRoot) rmSync(root, { recursive: true, force: true })
    },
  }
}
