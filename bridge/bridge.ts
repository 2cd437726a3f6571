/**
 * Start a bridge: the context store, the ComfyUI client, the runner, and the
 * HTTP + WebSocket server, bound to 127.0.0.1 unless told otherwise (and then
 * only with a token).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ComfyClient, ComfyClientOptions } from './comfy/comfyClient.js'
import { ensureComfy, type ComfyLaunch, type LaunchedComfy } from './comfy/launcher.js'
import { withoutCredentials } from './comfy/comfyHttp.js'
import { Runner } from './runs/runner.js'
import { ServerPool, type ServerSpec } from './pool/serverPool.js'
import { Ledger } from './ledger/ledger.js'
import { Sweeper } from './sweep/sweeper.js'
import type { SweepService } from './sweep/sweepService.js'
import { createApp } from './server/app.js'
import { V2Jobs } from './v2/jobs.js'
import { v2Handler } from './v2/routes.js'
import { V2Store } from './v2/store.js'
import { RunManager } from './runs/manager.js'
import { isLoopbackHost, originsFor } from './server/security.js'
import { announceBridge } from './comfy/announce.js'
import { WsHub } from './server/wsHub.js'
import { loadPassByRules, loadWorkflowContextConfig } from './store/config.js'
import { ContextStore } from './store/contextStore.js'
import type { ContextChangeListener, ContextStoreApi } from './store/contextHandle.js'
import { clusterConfig, type ClusterConfig } from './cluster/clusterConfig.js'
import { hostname } from 'node:os'
import { setMaxImagePixels } from './values/valueFrom.js'
import { discomfortHome, env } from './env.js'
import { DEFAULT_BRIDGE_PORT, DEFAULT_COMFY_URL } from './defaults.js'
import { BridgeConfigError, PortInUseError } from './bridgeErrors.js'
import { join } from 'node:path'
import { makeDirs } from './util/makeDirs.js'

export { DEFAULT_BRIDGE_PORT, DEFAULT_COMFY_URL } from './defaults.js'
export { BridgeConfigError, PortInUseError } from './bridgeErrors.js'

export interface BridgeOptions {
  host?: string
  /** 0 for any free port. Default 8189. */
  port?: number
  comfyUrl?: string
  /** Required when `host` is not loopback. Default: $DISCOMFORT_TOKEN. */
  token?: string
  /** Folder for contexts. Default: $DISCOMFORT_HOME or ~/.discomfort. */
  root?: string
  /** Browser origins allowed besides the ComfyUI URL's. */
  allowOrigins?: string[]
  /** Start ComfyUI with this when it does not answer. */
  launch?: ComfyLaunch
  /** More ComfyUI servers for runs and sweeps, besides `comfyUrl` (which the ComfyUI page uses). */
  servers?: ServerSpec[]
  /** false: runs ignore what servers hold (least loaded only). Default true. */
  affinity?: boolean
  /** Convert UI workflows as this frontend version does (default: the one ComfyUI says it serves). */
  frontendVersion?: string
  /** RAM capacity per context (bytes), instead of workflow_context.json's. */
  ramCapacityBytes?: number
  /**
   * Join the other bridges on this Redis (a URL, or the details): contexts
   * live there, and sweep items are BullMQ jobs every bridge works on.
   * Default: $DISCOMFORT_REDIS_URL; none — this bridge alone, contexts on its disk.
   */
  redis?: string | ClusterConfig
  /** Bounds of every exchange with ComfyUI (time, size, stall, cancel grace) and how often a server that is out is probed: docs/FAULTS.md. */
  comfyBounds?: ComfyClientOptions & { probeIntervalMs?: number }
  /**
   * Tell the page of the ComfyUI it drives where it listens (written into that
   * ComfyUI's user data; default true), so the page finds it on any port.
   */
  announce?: boolean
  /** This bridge's name in sweep item records (default: host name and process id). */
  name?: string
  log?: (line: string) => void
}

export interface Bridge {
  url: string
  host: string
  port: number
  store: ContextStoreApi
  runner: Runner
  runs: RunManager
  comfy: ComfyClient
  pool: ServerPool
  sweeper: SweepService
  /** The ComfyUI this bridge started, if it did. */
  launched: LaunchedComfy | undefined
  close(): Promise<void>
}

async function portInUse(host: string, port: number): Promise<PortInUseError> {
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  try {
    const answer = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1500) })
    const health = (await answer.json()) as { service?: string; version?: string; comfy?: { url?: string } }
    if (health.service === 'discomfort-bridge') {
      return new PortInUseError(
        `A Discomfort bridge (${health.version ?? 'unknown version'}, driving ComfyUI at ${health.comfy?.url ?? '?'}) is already running at ${url}. ` +
          `Use it: \`discomfort run ... --bridge ${url}\` or DISCOMFORT_BRIDGE_URL=${url}; or stop it first.`,
        url,
      )
    }
  } catch {
    // not a bridge (or not HTTP at all)
  }
  try {
    // Comfy-Org's comfy-api-proxy also defaults to 8189: say so, since the bridge serves the same /api/v2.
    const answer = await fetch(`${url}/api/v2/health`, { signal: AbortSignal.timeout(1500) })
    const health = (await answer.json()) as { status?: string; upstream?: string }
    if (health.status === 'healthy' && typeof health.upstream === 'string')
      return new PortInUseError(
        `Port ${port} on ${host} is taken by a Comfy API v2 proxy (comfy-api-proxy, in front of ${health.upstream}), whose default port this is too. ` +
          `The bridge serves the same /api/v2 over its whole pool: stop the proxy and start the bridge here (SDK clients keep COMFY_BASE_URL=${url}), ` +
          `or start the bridge on another port with --port ${port + 1}.`,
      )
  } catch {
    // not that either
  }
  return new PortInUseError(
    `Port ${port} on ${host} is taken by another program (not a Discomfort bridge). Pick another with --port ${port + 1} ` +
      `(then point clients at it with --bridge http://127.0.0.1:${port + 1} or DISCOMFORT_BRIDGE_URL).`,
  )
}

export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? env('DISCOMFORT_TOKEN')
  if (!isLoopbackHost(host) && !token) {
    throw new BridgeConfigError(
      `Refusing to listen on ${host} without a token: anyone who can reach it could read your contexts and run workflows. ` +
        'Set one with --token (or DISCOMFORT_TOKEN), or listen on 127.0.0.1.',
    )
  }
  const log = options.log ?? (() => {})
  const comfyUrl = (options.comfyUrl ?? env('DISCOMFORT_COMFY_URL') ?? DEFAULT_COMFY_URL).replace(/\/+$/, '')
  const root = options.root ?? discomfortHome()
  const launched = await ensureComfy(comfyUrl, options.launch, log)

  let hub: WsHub | undefined
  const contextConfig = loadWorkflowContextConfig()
  if (contextConfig.MAX_IMAGE_PIXELS !== undefined) setMaxImagePixels(contextConfig.MAX_IMAGE_PIXELS)
  const onChange: ContextChangeListener = (context, change) => hub?.contextChanged(context, change)
  const redisConfig = clusterConfig(options.redis ?? env('DISCOMFORT_REDIS_URL'))
  const cluster = redisConfig
    ? await (await import('./cluster/joinCluster.js')).joinCluster(redisConfig, {
        config: contextConfig,
        ramCapacityBytes: options.ramCapacityBytes,
        onChange,
      })
    : undefined
  let store: ContextStoreApi
  /** Said once the bridge listens (a bridge refused its port says only why). */
  const afterListening: string[] = []
  if (cluster) {
    store = cluster.store
    log(`Joined the bridges on ${cluster.where}: ${(await cluster.store.init()).length} shared context(s)`)
    for (const warning of cluster.warnings) log(warning)
  } else {
    const local = new ContextStore({
      root,
      config: contextConfig,
      ...(options.ramCapacityBytes ? { ramCapacityBytes: options.ramCapacityBytes } : {}),
      onChange,
    })
    const cleanup = await local.init()
    if (cleanup.removed.length)
      afterListening.push(
        `Removed ${cleanup.removed.length} context(s) left by a bridge that stopped: ${cleanup.removed.join(', ')}`,
      )
    if (cleanup.durable.length) afterListening.push(`Durable contexts on disk: ${cleanup.durable.join(', ')}`)
    store = local
  }

  const pool = new ServerPool([{ url: comfyUrl }, ...(options.servers ?? [])], {
    log,
    ...(options.comfyBounds ? { client: options.comfyBounds } : {}),
    ...(options.comfyBounds?.probeIntervalMs ? { probeIntervalMs: options.comfyBounds.probeIntervalMs } : {}),
    ...(options.affinity === false ? { affinity: false } : {}),
  })
  const comfy = pool.primary()
  const runner = new Runner(pool, loadPassByRules(), options.frontendVersion)
  await makeDirs(join(root, 'sweeps'))
  const bridgeName = options.name ?? `${hostname()}-${process.pid}`
  // Alone, the bridge keeps its run history and sweeps in its SQLite ledger; on a Redis, all bridges keep them there.
  const ledger = cluster ? undefined : new Ledger(join(root, 'ledger.sqlite'))
  const remoteRuns = cluster?.runs({ runner, capacity: () => pool.capacity(), bridge: bridgeName, log })
  const sharedHistory = cluster?.history({ bridge: bridgeName, log })
  // A run whose bridge is gone is failed in the history and stopped wherever it still is (no one follows it any more).
  const interrupted = sharedHistory
    ? await sharedHistory
        .start((runId) => remoteRuns?.cancel(runId))
        .catch(async (e: unknown) => {
          // Refused (another live bridge has this name): leave nothing open behind.
          pool.close()
          await cluster?.close()
          throw e
        })
    : ledger!.recoverRuns()
  if (interrupted)
    log(`${interrupted} run(s) were cut short when their bridge stopped; they are in the run history as failed.`)
  const runs = new RunManager({
    runner,
    store,
    history: sharedHistory ?? ledger,
    ...(remoteRuns ? { remote: remoteRuns } : {}),
    ...(sharedHistory ? { feed: sharedHistory } : {}),
    log,
  })
  const sweeper: SweepService = cluster
    ? cluster.sweeper({
        runner,
        capacity: () => pool.capacity(),
        bridge: bridgeName,
        log,
      })
    : new Sweeper({
        runner,
        store,
        ledger: ledger!,
        root: join(root, 'sweeps'),
        capacity: () => pool.capacity(),
        log,
      })
  // The Comfy API v2: jobs over these runs, kept in their own ledger beside the contexts.
  const v2Store = new V2Store(root)
  const v2 = new V2Jobs(
    v2Store,
    runs,
    {
      clients: () => pool.clients(),
      nodes: async () => {
        const [info, replacements] = await Promise.all([runner.objectInfo(), runner.nodeReplacements()])
        return { info, replaced: new Set(Object.keys(replacements)) }
      },
    },
    log,
  )
  const allowedOrigins = originsFor(comfyUrl, options.allowOrigins)
  /** Where this bridge answers, once it listens: the MCP tools mounted on it call its API there. */
  let selfUrl: string | undefined
  const app = createApp({
    comfy,
    runner,
    store,
    runs,
    sweeper,
    pool,
    ...(token ? { token } : {}),
    allowedOrigins,
    host,
    v2: v2Handler(v2, () => pool.list().map((s) => ({ label: s.label, url: withoutCredentials(s.url), up: s.up }))),
    mcp: { url: () => selfUrl, ...(token ? { token } : {}) },
  })
  const server: Server = createServer(app)
  hub = new WsHub(store, runs, { ...(token ? { token } : {}), allowedOrigins, host }, sweeper)
  hub.attach(server)
  const wantedPort = options.port ?? DEFAULT_BRIDGE_PORT
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(wantedPort, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (e) {
    hub.close()
    v2.close()
    v2Store.close()
    await sweeper.stop()
    await remoteRuns?.stop()
    runs.close()
    await sharedHistory?.stop()
    pool.close()
    ledger?.close()
    await store.shutdown()
    await cluster?.close()
    await launched?.stop()
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw await portInUse(host, wantedPort)
    throw e
  }
  const port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  const url = `http://${shownHost}:${port}`
  // Its own API on loopback when it listens on every address (0.0.0.0 is no address to connect to everywhere).
  selfUrl = host === '0.0.0.0' || host === '::' || host === '[::]' ? `http://127.0.0.1:${port}` : url
  log(`Discomfort bridge listening on ${url} (ComfyUI at ${comfyUrl}; contexts in ${store.dir})`)
  for (const line of afterListening) log(line)
  const announced =
    options.announce === false ? undefined : announceBridge(comfy.http, { host, port, url, token: !!token }, log)
  const resumed = await sweeper.resume()
  if (resumed.length) log(`Resuming ${resumed.length} unfinished sweep(s): ${resumed.join(', ')}`)
  await v2.resume()
  let closed = false
  return {
    url,
    host,
    port,
    store,
    runner,
    runs,
    comfy,
    pool,
    sweeper,
    launched,
    async close() {
      if (closed) return
      closed = true
      // First: the runs it carries end with the bridge now, and those jobs stay open for its next start.
      v2.close()
      await sweeper.stop()
      await remoteRuns?.stop()
      runs.close()
      hub?.close()
      await announced?.stop()
      // Streams a client still follows (run and sweep events) would hold close() open: they are cut.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await stopped
      await sharedHistory?.stop()
      pool.close()
      ledger?.close()
      v2Store.close()
      await store.shutdown()
      await cluster?.close()
      await launched?.stop()
    },
  }
}
