/**
 * The bridge's Express app, without listening, so tests can run it in-process.
 */
import express, { type Express } from 'express'
import type { ComfyClient } from '../comfy/comfyClient.js'
import type { Runner } from '../run/runner.js'
import type { ContextStoreApi } from '../store/contextHandle.js'
import { errorHandler } from './errors.js'
import { BridgeHttpError } from './httpError.js'
import { contextsRouter } from './routes/contexts.js'
import { miscRouter } from './routes/misc.js'
import { runsRouter } from './routes/runs.js'
import type { RunManager } from './runManager.js'
import type { ServerPool } from '../pool/serverPool.js'
import type { SweepService } from '../sweep/sweepService.js'
import { serversRouter, sweepsRouter } from './routes/sweeps.js'
import { securityMiddleware } from './security.js'

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
  limits?: { json?: string; binary?: string }
}

export function createApp(deps: AppDeps): Express {
  const limits = { json: deps.limits?.json ?? '64mb', binary: deps.limits?.binary ?? '256mb' }
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  const api = express.Router()
  api.use(
    securityMiddleware({
      ...(deps.token ? { token: deps.token } : {}),
      allowedOrigins: deps.allowedOrigins,
      host: deps.host ?? '127.0.0.1',
    }),
  )
  api.use('/contexts', contextsRouter(deps.store, limits))
  api.use('/runs', runsRouter(deps.runs, limits))
  if (deps.sweeper) api.use('/sweeps', sweepsRouter(deps.sweeper, limits))
  if (deps.pool) api.use('/servers', serversRouter(deps.pool, limits))
  api.use(miscRouter({ comfy: deps.comfy, runner: deps.runner, store: deps.store, runs: deps.runs, limits }))
  api.use((req, _res, next) => next(new BridgeHttpError(404, `No route ${req.method} /api${req.path}.`, 'not_found')))
  app.use('/api', api)
  app.get('/', (_req, res) => {
    res.type('text/plain').send('Discomfort bridge. The API is under /api (try /api/health).\n')
  })
  app.use(errorHandler)
  return app
}
