/**
 * The bridge's HTTP handler: access checks, then the route table
 * (shared/protocol/paths.ts) with each route's handler; without listening,
 * so tests can serve it from any server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ComfyClient } from '../comfy/comfyClient.js'
import type { Runner } from '../runs/runner.js'
import type { ContextStoreApi } from '../store/contextHandle.js'
import { errorBody } from './errors.js'
import { BridgeHttpError } from './httpError.js'
import { json, queryOf, readRequestBody, Router, type BridgeRequest } from './http.js'
import { contextRoutes } from './routes/contexts.js'
import { miscRoutes } from './routes/misc.js'
import { runRoutes } from './routes/runs.js'
import type { RunManager } from '../runs/manager.js'
import type { ServerPool } from '../pool/serverPool.js'
import type { SweepService } from '../sweep/sweepService.js'
import { serverRoutes, sweepRoutes } from './routes/sweeps.js'
import { refusal, type AccessRules } from './security.js'
import { MCP_PATH, mcpHandler, type SelfAddress } from '../mcp/http.js'

export interface AppDeps {
  comfy: ComfyClient
  runner: Runner
  store: ContextStoreApi
  runs: RunManager
  sweeper?: SweepService
  pool?: ServerPool
  token?: string
  allowedOrigins: ReadonlySet<string>
  /** The address the bridge listens on (default 127.0.0.1): Host headers must name it or loopback. */
  host?: string
  /** The Comfy API v2 routes (absent: none under /api/v2). */
  v2?: (req: IncomingMessage, res: ServerResponse, path: string, search: string) => Promise<void>
  /** Where MCP tools reach this bridge (its own API on loopback); absent: no `/mcp`. */
  mcp?: SelfAddress
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

export function createApp(deps: AppDeps): RequestListener {
  const router = new Router()
  contextRoutes(router, deps.store)
  runRoutes(router, deps.runs)
  if (deps.sweeper) sweepRoutes(router, deps.sweeper)
  if (deps.pool) serverRoutes(router, deps.pool)
  miscRoutes(router, deps)
  const access: AccessRules = {
    ...(deps.token ? { token: deps.token } : {}),
    allowedOrigins: deps.allowedOrigins,
    host: deps.host ?? '127.0.0.1',
  }
  const mcp = deps.mcp ? mcpHandler(deps.mcp) : undefined

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = raw.url ?? '/'
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    if (path === '/' || path === '') {
      raw.resume()
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('Discomfort bridge. The API is under /api (try /api/health).\n')
      return
    }
    if (path === '/api' || path.startsWith('/api/') || path === MCP_PATH) {
      const refused = refusal(raw, res, access)
      if (refused) {
        raw.resume()
        if (refused !== 'answered') json(res, refused.body, refused.status)
        return
      }
    }
    if (deps.v2 && (path === '/api/v2' || path.startsWith('/api/v2/'))) {
      await deps.v2(raw, res, path, q < 0 ? '' : url.slice(q + 1))
      return
    }
    if (path === MCP_PATH && mcp) {
      await mcp(raw, res)
      return
    }
    const method = raw.method ?? 'GET'
    const found = router.match(method === 'HEAD' ? 'GET' : method, path)
    if (!found) {
      raw.resume()
      throw router.knowsPath(path)
        ? new BridgeHttpError(405, `${path} does not take ${method}.`, 'method_not_allowed')
        : new BridgeHttpError(404, `No route ${method} ${path}.`, 'not_found')
    }
    const req: BridgeRequest = {
      raw,
      method,
      path,
      params: found.params,
      query: queryOf(q < 0 ? '' : url.slice(q + 1)),
      headers: raw.headers,
      body: await readRequestBody(raw, found.entry.body),
    }
    await found.entry.handler(req, res)
  }

  return (raw, res) => {
    handle(raw, res).catch((error: unknown) => {
      const { status, body } = errorBody(error)
      if (status >= 500 && status !== 502 && status !== 503 && status !== 504)
        console.error('[discomfort bridge]', error)
      if (res.headersSent) {
        res.destroy()
        return
      }
      // A refused body may still be arriving: the connection closes after this answer rather than read it.
      if (status === 413) res.setHeader('connection', 'close')
      json(res, body, status)
    })
  }
}
