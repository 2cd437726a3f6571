import { readFileSync } from 'node:fs'
import { startBridge, type BridgeOptions } from '../../bridge.js'
import { env } from '../../env.js'
import { readComfyServerlessConfig } from '../../comfy/launcher.js'
import type { BridgeArgs } from '../args.js'
import type { ServerSpec } from '../../pool/serverPool.js'
import { PoolFileSchema, describeIssues } from '../../../shared/protocol/index.js'

/** A pool file: {"servers": [{"url", "label"?, "weight"?, "maxQueued"?}]}, checked field by field. */
function readPoolFile(path: string): ServerSpec[] {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new Error(`--pool ${path}: ${(e as Error).message}`)
  }
  const parsed = PoolFileSchema.safeParse(raw)
  if (!parsed.success) throw new Error(`--pool ${path}: ${describeIssues(parsed.error)}`)
  return parsed.data.servers.map((s) => ({
    url: s.url,
    ...(s.label ? { label: s.label } : {}),
    ...(s.weight ? { weight: s.weight } : {}),
    ...(s.maxQueued ? { maxQueued: s.maxQueued } : {}),
  }))
}

/** The longest a SIGTERM / SIGINT waits for the bridge to stop. */
const SHUTDOWN_LIMIT_MS = 10_000

/** Run the bridge until SIGINT / SIGTERM, then shut down cleanly. */
export async function bridgeCommand(args: BridgeArgs, log: (line: string) => void): Promise<void> {
  const options: BridgeOptions = { host: args.host, port: args.port, allowOrigins: args.allowOrigins, log }
  if (args.comfyConfig) {
    const config = readComfyServerlessConfig(args.comfyConfig)
    options.comfyUrl = config.url
    options.launch = config.launch
  }
  if (args.comfy) options.comfyUrl = args.comfy
  if (args.comfyLaunch) options.launch = { command: args.comfyLaunch }
  if (args.token) options.token = args.token
  if (args.root) options.root = args.root
  if (args.frontend) options.frontendVersion = args.frontend
  if (args.ramMb) options.ramCapacityBytes = args.ramMb * 1024 * 1024
  if (args.stallTimeoutS) options.comfyBounds = { stallTimeoutMs: args.stallTimeoutS * 1000 }
  const servers: ServerSpec[] = args.servers.map((url) => ({ url }))
  if (args.pool) servers.push(...readPoolFile(args.pool))
  if (servers.length) options.servers = servers
  if (args.name) options.name = args.name
  const redis = args.redis ?? env('DISCOMFORT_REDIS_URL')
  if (redis)
    options.redis = {
      url: redis,
      ...(args.redisPrefix ? { prefix: args.redisPrefix } : {}),
      ...(args.redisLockMs ? { lockMs: args.redisLockMs } : {}),
    }
  const bridge = await startBridge(options)
  const health = await bridge.comfy.http.version().then(
    (v) => `ComfyUI ${v ?? ''} answers at ${bridge.comfy.url}`,
    () =>
      `ComfyUI does not answer at ${bridge.comfy.url} yet; runs will fail until it does (start it, or pass --comfy-launch).`,
  )
  log(health)
  await new Promise<void>((resolve) => {
    const stop = () => {
      log('Stopping the bridge...')
      // Bounded whatever is connected: past the limit the process ends anyway (runs left open are
      // recorded as stopped with the bridge at the next start).
      const limit = setTimeout(() => {
        log(`The bridge did not stop within ${SHUTDOWN_LIMIT_MS / 1000} s; ending the process.`)
        process.exit(1)
      }, SHUTDOWN_LIMIT_MS)
      limit.unref()
      void bridge.close().then(resolve, (e: unknown) => {
        log(`Stopping the bridge: ${(e as Error).message}`)
        resolve()
      })
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
