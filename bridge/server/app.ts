/**
 * The bridge's Express app, without listening, so tests can run it in-process.
 */
import express, { type Express } from 'express'
import type { ComfyClient } from '../comfy/comfyClient.js'
import type { Runner } from '../runs/runner.js'
import type { ContextStoreApi } from '../store/contextHandle.js'
import { errorHandler } from './errors.js'
import { BridgeHttpError } from './httpError.js'
import { contextsRouter } from './routes/contexts.js'
import { miscRouter } from './routes/misc.js'
import { runsRouter } from './routes/runs.js'
import type { RunManager } from '../runs/manager.js'
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
  // Every route is mounted at its path in the route table (shared/protocol/routes.ts), behind the checks.
  app.use(
    '/api',
    securityMiddleware({
      ...(deps.token ? { token: deps.token } : {}),
      allowedOrigins: deps.allowedOrigins,
      host: deps.host ?? '127.0.0.1',
    }),
  )
  app.use(contextsRouter(deps.store, limits))
  app.use(runsRouter(deps.runs, limits))
  if (deps.sweeper) app.use(sweepsRouter(deps.sweeper, limits))
  if (deps.pool) app.use(serversRouter(deps.pool, limits))
  app.use(miscRouter({ comfy: deps.comfy, runner: deps.runner, store: deps.store, runs: deps.runs, limits }))
  app.use('/api', (req, _res, next) =>
    next(new BridgeHttpError(404, `No route ${req.method} /api${req.path}.`, 'not_found')),
  )
  app.get('/', (_req, res) => {
    res.type('text/plain').send('Discomfort bridge. The API is under /api (try /api/health).\n')
  })
  app.use(errorHandler)
  return app
}
