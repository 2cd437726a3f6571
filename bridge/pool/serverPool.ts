/**
 * The ComfyUI servers a bridge drives. A run leases a slot on one server for
 * the time its prompt is queued or running; each server holds at most
 * `maxQueued` prompts (default 1, so a slow server never hoards work), and a
 * run waits when every slot is taken.
 *
 * Which server: one that is up and has a free slot, preferring the one whose
 * last prompt loaded what this run needs (ComfyUI's default cache keeps the
 * last prompt's node outputs, so the same checkpoint there is not loaded
 * again); otherwise the least loaded by weight. When a slot frees, the waiting
 * run that matches that server best takes it. A server whose run failed
 * because it stopped answering is taken out and probed until it answers again.
 */
import { ComfyClient, type ComfyClientOptions } from '../comfy/comfyClient.js'
import { ComfyHttp, withoutCredentials } from '../comfy/comfyHttp.js'
import { DiscomfortError, findCause } from '../../shared/errors.js'
import type { ServerInfo } from '../../shared/protocol/index.js'

export interface ServerSpec {
  url: string
  /** A short name for logs and records (default: host:port). */
  label?: string
  /** Relative capacity when choosing the least loaded (default 1). */
  weight?: number
  /** Prompts it may hold queued or running at once (default 1). */
  maxQueued?: number
}

/** A slot on one server, held while a prompt is queued or running there. */
export interface Lease {
  readonly client: ComfyClient
  readonly server: string
  /** Why this server: affinity (and with what) or load. */
  readonly reason: string
  /** What the run loads (its affinity keys): recorded on the server as what its cache now holds. */
  release(outcome: 'ok' | 'failed' | 'server-down'): void
}

export interface AcquireOptions {
  /** What the run loads (model files, reference recipes): servers that hold it are preferred. */
  affinity?: readonly string[]
  /** Servers not to use (where this run already failed). */
  exclude?: readonly string[]
  /** Only this server (label or URL): a run from a ComfyUI page goes to that page's server. */
  only?: string
  signal?: AbortSignal
}

/** Where runs go. */
export interface ComfyPool {
  acquire(options?: AcquireOptions): Promise<Lease>
  /** The server the ComfyUI page belongs to. */
  primary(): ComfyClient
  /** A server to ask for object_info and the like (any that is up, else the first). */
  any(): ComfyClient
  /** Whether a server that is up is left besides these (labels). */
  hasOther(excluded: readonly string[]): boolean
  /** Ask the servers in turn (those up first) until one answers; one that does not answer is taken out. */
  ask<T>(question: (client: ComfyClient) => Promise<T>): Promise<T>
}

/** A URL asked to join the pool that does not answer as ComfyUI. */
class NotComfyError extends DiscomfortError {
  static override code = 'not_comfyui'
  static override status = 422
  override name = 'NotComfyError'
}

/** Removing the pool's only server. */
class LastServerError extends DiscomfortError {
  static override code = 'last_server'
  static override status = 409
  override name = 'LastServerError'
}

export class NoServerError extends DiscomfortError {
  static override code = 'no_server'
  static override status = 503
  override name = 'NoServerError'
}

interface Server {
  spec: Required<ServerSpec>
  client: ComfyClient
  inflight: number
  up: boolean
  /** What its last prompt loaded. */
  holds: Set<string>
  lastError?: string
  runs: number
  failures: number
  removed: boolean
  /** Given no new prompt until resumed. */
  paused: boolean
}

interface Waiter {
  options: AcquireOptions
  resolve(lease: Lease): void
  reject(e: Error): void
  since: number
}

const labelOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/** How many of `keys` a server holds. */
const overlap = (holds: Set<string>, keys: readonly string[] | undefined): number => {
  let n = 0
  for (const k of keys ?? []) if (holds.has(k)) n++
  return n
}

export interface ServerPoolOptions {
  client?: ComfyClientOptions
  /** How often a server that is out is asked whether it answers again (ms, default 2000). */
  probeIntervalMs?: number
  /** false: ignore what servers hold and take the least loaded (to measure what affinity saves). */
  affinity?: boolean
  log?: (line: string) => void
}

export class ServerPool implements ComfyPool {
  private readonly servers: Server[] = []
  private readonly waiters: Waiter[] = []
  private probeTimer: NodeJS.Timeout | undefined
  private closed = false

  constructor(
    specs: readonly ServerSpec[],
    private readonly options: ServerPoolOptions = {},
  ) {
    if (specs.length === 0) throw new NoServerError('Give at least one ComfyUI server.')
    for (const spec of specs) this.add(spec)
  }

  /** Add a server (at run time too); it takes waiting runs at once. */
  add(spec: ServerSpec): ServerInfo {
    const url = spec.url.replace(/\/+$/, '')
    if (this.servers.some((s) => !s.removed && s.client.url === withoutCredentials(url)))
      throw new DiscomfortError(`${withoutCredentials(url)} is already in the pool.`)
    const server: Server = {
      spec: {
        url,
        label: spec.label ?? labelOf(withoutCredentials(url)),
        weight: spec.weight ?? 1,
        maxQueued: spec.maxQueued ?? 1,
      },
      client: new ComfyClient(url, this.options.client),
      inflight: 0,
      up: true,
      holds: new Set(),
      runs: 0,
      failures: 0,
      removed: false,
      paused: false,
    }
    this.servers.push(server)
    this.drain()
    return this.info(server)
  }

  /**
   * Add a server asked for at run time, once it answers as a ComfyUI server
   * (its `/system_stats` within `timeoutMs`); else a NotComfyError saying what it answered.
   */
  async admit(spec: ServerSpec, timeoutMs = 5000): Promise<ServerInfo> {
    const shown = withoutCredentials(spec.url.replace(/\/+$/, ''))
    if (this.servers.some((s) => !s.removed && s.client.url === shown))
      throw new DiscomfortError(`${shown} is already in the pool.`)
    try {
      await new ComfyHttp(spec.url, { requestTimeoutMs: timeoutMs, maxJsonBytes: 1024 * 1024 }).systemStats()
    } catch (e) {
      throw new NotComfyError(
        `${shown} does not answer as a ComfyUI server (${(e as Error).message.replace(spec.url, shown)}); nothing was added.`,
      )
    }
    return this.add(spec)
  }

  /** Take a server out: it gets no new runs; runs on it finish there. The last one stays (LastServerError). */
  remove(labelOrUrl: string): boolean {
    const server = this.find(labelOrUrl)
    if (!server) return false
    if (this.servers.filter((s) => !s.removed).length === 1)
      throw new LastServerError(
        `${server.spec.label} is the only server in the pool: add another before removing it (runs need one).`,
      )
    server.removed = true
    if (server.inflight === 0) this.forget(server)
    return true
  }

  list(): ServerInfo[] {
    return this.servers.filter((s) => !s.removed).map((s) => this.info(s))
  }

  /** Each server's client, by label (to fetch what a prompt there wrote, or place a file on every server). */
  clients(): Array<{ label: string; up: boolean; client: ComfyClient }> {
    return this.servers.filter((s) => !s.removed).map((s) => ({ label: s.spec.label, up: s.up, client: s.client }))
  }

  /** Slots over all servers that are up. */
  capacity(): number {
    return this.servers.filter((s) => s.up && !s.removed).reduce((n, s) => n + s.spec.maxQueued, 0)
  }

  /** The first server: the one the ComfyUI page and health checks use. */
  primary(): ComfyClient {
    return (this.servers.find((s) => !s.removed) ?? this.servers[0]!).client
  }

  hasOther(excluded: readonly string[]): boolean {
    return this.servers.some((s) => s.up && !s.removed && !excluded.includes(s.spec.label))
  }

  async ask<T>(question: (client: ComfyClient) => Promise<T>): Promise<T> {
    const live = this.servers.filter((s) => !s.removed)
    let last: unknown
    for (const s of [...live.filter((x) => x.up), ...live.filter((x) => !x.up)]) {
      try {
        return await question(s.client)
      } catch (e) {
        if (!isServerFailure(e)) throw e
        last = e
        this.markDown(s.spec.label, (e as Error).message)
      }
    }
    throw last ?? new NoServerError('There is no ComfyUI server in the pool.')
  }

  any(): ComfyClient {
    const live = this.servers.filter((s) => !s.removed)
    return (live.find((s) => s.up) ?? live[0] ?? this.servers[0]!).client
  }

  acquire(options: AcquireOptions = {}): Promise<Lease> {
    if (this.closed) return Promise.reject(new NoServerError('The server pool is closed.'))
    return new Promise<Lease>((resolve, reject) => {
      const signal = options.signal
      const cancelled = () => new DiscomfortError('Cancelled before a ComfyUI server was free.')
      if (signal?.aborted) return reject(cancelled())
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter)
        if (i >= 0) {
          this.waiters.splice(i, 1)
          reject(cancelled())
        }
      }
      const waiter: Waiter = {
        options,
        since: Date.now(),
        resolve: (lease) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(lease)
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort)
          reject(e)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
      this.drain()
    })
  }

  /**
   * Pause a server (by label or URL), or every server: it is given no new
   * prompt until resumed; what it runs goes on, and runs wait in the pool's
   * queue meanwhile. False when there is no such server.
   */
  pause(labelOrUrl?: string): boolean {
    return this.setPaused(labelOrUrl, true)
  }

  /** Resume a paused server, or every server; waiting runs are handed out at once. */
  resume(labelOrUrl?: string): boolean {
    return this.setPaused(labelOrUrl, false)
  }

  private setPaused(labelOrUrl: string | undefined, paused: boolean): boolean {
    const which = labelOrUrl === undefined ? this.servers.filter((s) => !s.removed) : [this.find(labelOrUrl)]
    if (which.some((s) => s === undefined)) return false
    for (const s of which) {
      if (s!.paused === paused) continue
      s!.paused = paused
      this.options.log?.(`ComfyUI ${s!.spec.label} ${paused ? 'paused: no new prompts' : 'resumed'}`)
    }
    if (!paused) this.drain()
    return true
  }

  /** Mark a server out (it stopped answering); it is probed until it answers again. */
  markDown(label: string, error: string): void {
    const server = this.find(label)
    if (!server?.up) return
    server.up = false
    server.lastError = error
    server.holds.clear()
    this.options.log?.(`ComfyUI ${server.spec.label} is out of the pool: ${error}`)
    this.startProbing()
  }

  close(): void {
    this.closed = true
    if (this.probeTimer) clearInterval(this.probeTimer)
    for (const w of this.waiters.splice(0)) w.reject(new NoServerError('The server pool was closed.'))
    for (const s of this.servers) s.client.close()
  }

  // --- internals ---------------------------------------------------------------

  private find(labelOrUrl: string): Server | undefined {
    const url = labelOrUrl.replace(/\/+$/, '')
    return this.servers.find((s) => !s.removed && (s.spec.label === labelOrUrl || s.client.url === url))
  }

  private forget(server: Server): void {
    const i = this.servers.indexOf(server)
    if (i >= 0) this.servers.splice(i, 1)
    server.client.close()
  }

  private info(s: Server): ServerInfo {
    return {
      url: s.client.url,
      label: s.spec.label,
      weight: s.spec.weight,
      maxQueued: s.spec.maxQueued,
      up: s.up,
      paused: s.paused,
      inflight: s.inflight,
      runs: s.runs,
      failures: s.failures,
      holds: [...s.holds],
      ...(s.lastError ? { lastError: s.lastError } : {}),
    }
  }

  private free(s: Server): boolean {
    return s.up && !s.removed && !s.paused && s.inflight < s.spec.maxQueued
  }

  /** Give free slots to waiting runs: per free server, the waiter it suits best (affinity, then age). */
  private drain(): void {
    while (this.waiters.length > 0) {
      const candidates = this.servers.filter((s) => this.free(s))
      if (candidates.length === 0) {
        if (this.servers.every((s) => s.removed || !s.up) && this.servers.some((s) => !s.removed)) this.startProbing()
        return
      }
      // The pair (server, waiter) with the most affinity; ties: least loaded server, oldest waiter.
      let best: { s: Server; w: Waiter; score: number; load: number } | undefined
      const scan = this.waiters.slice(0, 256)
      for (const s of candidates) {
        const load = s.inflight / s.spec.weight
        for (const w of scan) {
          if (w.options.only !== undefined && w.options.only !== s.spec.label && w.options.only !== s.client.url)
            continue
          if (w.options.exclude?.includes(s.spec.label) && candidates.length > 1) continue
          const score = this.options.affinity === false ? 0 : overlap(s.holds, w.options.affinity)
          if (
            !best ||
            score > best.score ||
            (score === best.score && (load < best.load || (load === best.load && w.since < best.w.since)))
          )
            best = { s, w, score, load }
        }
      }
      if (!best) return
      this.waiters.splice(this.waiters.indexOf(best.w), 1)
      best.w.resolve(this.lease(best.s, best.w.options, best.score))
    }
  }

  private lease(s: Server, options: AcquireOptions, score: number): Lease {
    s.inflight += 1
    s.runs += 1
    const holding = [...(options.affinity ?? [])].filter((k) => s.holds.has(k))
    const reason =
      score > 0
        ? `affinity: ${s.spec.label} holds ${holding.slice(0, 3).join(', ')}${holding.length > 3 ? ', …' : ''}`
        : `least loaded: ${s.spec.label} (${s.inflight - 1} of ${s.spec.maxQueued} slots busy, weight ${s.spec.weight})`
    let released = false
    return {
      client: s.client,
      server: s.spec.label,
      reason,
      release: (outcome) => {
        if (released) return
        released = true
        s.inflight -= 1
        if (outcome === 'ok' && options.affinity) s.holds = new Set(options.affinity)
        if (outcome !== 'ok') s.failures += 1
        if (outcome === 'server-down') this.markDown(s.spec.label, s.lastError ?? 'it stopped answering')
        if (s.removed && s.inflight === 0) this.forget(s)
        this.drain()
      },
    }
  }

  private startProbing(): void {
    if (this.probeTimer || this.closed) return
    this.probeTimer = setInterval(() => void this.probe(), this.options.probeIntervalMs ?? 2000)
    this.probeTimer.unref()
  }

  private async probe(): Promise<void> {
    const down = this.servers.filter((s) => !s.up && !s.removed)
    if (down.length === 0) {
      clearInterval(this.probeTimer)
      this.probeTimer = undefined
      return
    }
    await Promise.all(
      down.map(async (s) => {
        try {
          await s.client.http.systemStats()
          s.up = true
          s.lastError = undefined
          this.options.log?.(`ComfyUI ${s.spec.label} answers again: back in the pool`)
        } catch (e) {
          s.lastError = (e as Error).message
        }
      }),
    )
    this.drain()
  }
}

const SERVER_FAILURES = new Set(['comfy_unreachable', 'comfy_stopped', 'comfy_lost'])

/** Whether an error (or one it wraps) says the server itself failed, rather than the run. */
export const isServerFailure = (e: unknown): boolean =>
  findCause(e, (c) => typeof c.code === 'string' && SERVER_FAILURES.has(c.code)) !== undefined
