/** A typed HTTP client for a running bridge. Errors carry the bridge's message. */
import type { RunEvent, RunFailure, SaveValueOptions } from '../../shared/protocol/index.js'
import type { EntryMeta, StorageInfo, Usage } from '../../shared/protocol/index.js'
import type { ContextValue } from '../values/values.js'
import { pathOf, readErrorAnswer, routePaths } from '../../shared/protocol/paths.js'
import type {
  ContextSummary,
  CreateContextBody,
  Health,
  RoutePath,
  RouteParams,
  RunSpec,
  RunView,
} from '../../shared/protocol/index.js'
import { fromWire } from '../values/wireJson.js'
import { DiscomfortError } from '../../shared/errors.js'
import { readSse } from './sse.js'
import { type Exchange, exchange } from '../util/exchange.js'
import { decodeEnvelope, ENVELOPE_TYPE, encodeEnvelope, hasBytes } from '../../shared/protocol/envelope.js'

export type { RunView }

/** What a bridge answered (its error's code and HTTP status), or `unreachable` with status 0. */
export class BridgeError extends DiscomfortError {
  static override code = 'bridge_error'
  static override status = 502
  override name = 'BridgeError'
  constructor(message: string, status: number, code: string) {
    super(message, { status, code })
  }
}

export type { RunSpec }

export interface RunOutcome {
  runId: string
  outputs?: Record<string, ContextValue>
  error?: RunFailure
}

/** What the TypeScript client needs of a bridge: over HTTP, or in this process. */
export interface BridgeApi {
  readonly url: string
  createContext(options: CreateContextBody): Promise<ContextSummary>
  closeContext(id: string): Promise<void>
  renameContext(id: string, name: string): Promise<ContextSummary>
  context(id: string): Promise<{ entries: EntryMeta[] }>
  usage(id: string): Promise<Usage>
  storageInfo(id: string, key: string): Promise<StorageInfo>
  load(id: string, key: string): Promise<{ meta: EntryMeta; value: ContextValue }>
  save(id: string, key: string, value: unknown, options?: SaveValueOptions): Promise<EntryMeta>
  delete(id: string, key: string): Promise<void>
  cancelRun(id: string): Promise<unknown>
  submitAndFollow(
    body: RunSpec,
    onEvent: ((e: RunEvent) => void) | undefined,
    onStart?: (runId: string) => void,
  ): Promise<RunOutcome>
}

export class BridgeHttp implements BridgeApi {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra }
  }

  /** How a body travels: the binary envelope when it holds bytes, else JSON. */
  private encodeBody(body: unknown): { type: string; data: Uint8Array<ArrayBuffer> | string } {
    if (hasBytes(body)) return { type: ENVELOPE_TYPE, data: joinChunks(encodeEnvelope(body)) }
    return { type: 'application/json', data: JSON.stringify(body) }
  }

  private unreachable(e: unknown): BridgeError {
    return new BridgeError(
      `The Discomfort bridge at ${this.url} is not reachable (${(e as Error).message}). Start it with: npx discomfort bridge`,
      0,
      'unreachable',
    )
  }

  private async failure(res: Response, what: string): Promise<BridgeError> {
    const { message, code } = readErrorAnswer(res.status, await res.json().catch(() => undefined), what)
    return new BridgeError(message, res.status, code)
  }

  /** One API call by its route: bytes go and come back raw (the envelope), everything else as JSON. */
  async request<T, R extends RoutePath = RoutePath>(
    route: R,
    params: RouteParams<R>,
    body?: unknown,
    timeoutMs = 60_000,
    query?: Record<string, string | number | undefined>,
  ): Promise<T> {
    const { method } = route
    const path = pathOf(route, params, query)
    const res = await this.send(method, path, body, timeoutMs)
    const bytes = new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.byteLength)
    if (res.headers['content-type']?.startsWith(ENVELOPE_TYPE)) {
      if (res.status < 400) return decodeEnvelope(bytes) as T
    }
    const text = res.body.toString('utf8')
    let parsed: unknown
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined
    } catch {
      throw new BridgeError(
        `${method} ${path} answered ${res.status} with something that is not the bridge's JSON: ${text.slice(0, 120)}`,
        res.status || 502,
        'not_a_bridge',
      )
    }
    if (res.status >= 400) {
      const { message, code } = readErrorAnswer(res.status, parsed, `${method} ${path}`)
      throw new BridgeError(message, res.status, code)
    }
    return fromWire(parsed) as T
  }

  private async send(method: string, path: string, body: unknown, timeoutMs: number): Promise<Exchange> {
    const sent = body === undefined ? undefined : this.encodeBody(body)
    try {
      return await exchange(`${this.url}${path}`, {
        method,
        headers: this.headers({
          accept: `${ENVELOPE_TYPE}, application/json`,
          ...(sent ? { 'content-type': sent.type } : {}),
        }),
        ...(sent ? { body: sent.data } : {}),
        timeoutMs,
      })
    } catch (e) {
      throw this.unreachable(e)
    }
  }

  /** A route that answers raw bytes (a value's PNG, a sweep's output file): the bytes and their media type. */
  async bytes<R extends RoutePath>(
    route: R,
    params: RouteParams<R>,
    query?: Record<string, string | number | undefined>,
    timeoutMs = 60_000,
  ): Promise<{ bytes: Buffer; type: string }> {
    const path = pathOf(route, params, query)
    const res = await this.send(route.method, path, undefined, timeoutMs)
    if (res.status >= 400) {
      let parsed: unknown
      try {
        parsed = JSON.parse(res.body.toString('utf8')) as unknown
      } catch {
        parsed = undefined
      }
      const { message, code } = readErrorAnswer(res.status, parsed, `${route.method} ${path}`)
      throw new BridgeError(message, res.status, code)
    }
    return { bytes: res.body, type: String(res.headers['content-type'] ?? 'application/octet-stream') }
  }

  health(timeoutMs = 1500): Promise<Health> {
    return this.request(routePaths.health, {}, undefined, timeoutMs)
  }

  createContext(options: CreateContextBody): Promise<ContextSummary> {
    return this.request(routePaths.createContext, {}, options)
  }

  closeContext(id: string): Promise<void> {
    return this.request(routePaths.closeContext, { id })
  }

  renameContext(id: string, name: string): Promise<ContextSummary> {
    return this.request(routePaths.updateContext, { id }, { name })
  }

  context(id: string): Promise<ContextSummary & { entries: EntryMeta[] }> {
    return this.request(routePaths.context, { id })
  }

  usage(id: string): Promise<Usage> {
    return this.request(routePaths.usage, { id })
  }

  storageInfo(id: string, key: string): Promise<StorageInfo> {
    return this.request(routePaths.storageInfo, { id, key })
  }

  async load(id: string, key: string): Promise<{ meta: EntryMeta; value: ContextValue }> {
    const r = await this.request<{ meta: EntryMeta; value: unknown }>(routePaths.value, { id, key })
    return { meta: r.meta, value: r.value as ContextValue }
  }

  save(id: string, key: string, value: unknown, options: SaveValueOptions = {}): Promise<EntryMeta> {
    return this.request(routePaths.saveValue, { id, key }, { value, ...options })
  }

  delete(id: string, key: string): Promise<void> {
    return this.request(routePaths.deleteValue, { id, key })
  }

  submitRun(body: RunSpec): Promise<RunView> {
    return this.request(routePaths.submitRun, {}, body)
  }

  run(id: string): Promise<RunView> {
    return this.request(routePaths.run, { id })
  }

  cancelRun(id: string): Promise<RunView> {
    return this.request(routePaths.cancelRun, { id })
  }

  async runResult(id: string): Promise<Record<string, ContextValue>> {
    return (await this.request<{ outputs: Record<string, ContextValue> }>(routePaths.runResult, { id })).outputs
  }

  /** Follow a run's events until it ends. */
  async followRun(id: string, onEvent: (e: RunEvent) => void, signal?: AbortSignal): Promise<void> {
    const res = await fetch(`${this.url}${pathOf(routePaths.runEvents, { id })}`, {
      headers: this.headers(),
      ...(signal ? { signal } : {}),
    })
    if (!res.ok || !res.body) throw new BridgeError(`Cannot follow run ${id}: ${res.status}`, res.status, 'http')
    await readSseJson(res, (_type, data) => onEvent(data as RunEvent))
  }

  /**
   * Submit a run and follow it in one request: its events as they come, then
   * its outputs. `onStart` gets the run id as soon as it exists (to cancel it).
   */
  async submitAndFollow(
    body: RunSpec,
    onEvent: ((e: RunEvent) => void) | undefined,
    onStart?: (runId: string) => void,
  ): Promise<RunOutcome> {
    const sent = this.encodeBody(body)
    let res: Response
    try {
      res = await fetch(`${this.url}${pathOf(routePaths.submitRun, {})}`, {
        method: 'POST',
        headers: this.headers({
          'content-type': sent.type,
          accept: 'text/event-stream',
          ...(onEvent ? {} : { 'x-discomfort-events': 'end' }),
        }),
        body: sent.data,
      })
    } catch (e) {
      throw this.unreachable(e)
    }
    if (!res.ok || !res.body) throw await this.failure(res, 'POST /api/runs')
    const runId = res.headers.get('x-discomfort-run') ?? ''
    onStart?.(runId)
    const out: RunOutcome = { runId }
    let succeeded = false
    await readSseJson(res, (type, data) => {
      if (type === 'result') {
        succeeded = true
        const values = (data as { values?: Record<string, ContextValue> }).values
        if (values) out.outputs = values
      } else {
        if (type === 'run-failed') out.error = (data as { error: RunFailure }).error
        onEvent?.(data as RunEvent)
      }
    }).catch(() => {
      // The stream dropped before the end (the bridge restarted, say): the run's record says how it ended.
    })
    if (!succeeded && !out.error && runId) {
      const view = await this.finalView(runId)
      if (view.status === 'succeeded') succeeded = true
      else
        out.error = view.error ?? {
          name: 'RunError',
          code: `run_${view.status}`,
          message: `Run ${runId} ${view.status}.`,
        }
    }
    // The events carry no values: the outputs come in one more request, bytes raw.
    if (succeeded && !out.outputs) out.outputs = await this.runResult(runId)
    return out
  }

  /**
   * The run's record once it is final, asked again while the bridge does not
   * answer (it may be restarting), for up to `patienceMs`.
   */
  private async finalView(runId: string, patienceMs = 60_000): Promise<RunView> {
    const end = Date.now() + patienceMs
    for (let attempt = 0; ; attempt++) {
      try {
        const view = await this.run(runId)
        if (view.status !== 'queued' && view.status !== 'running') return view
      } catch (e) {
        const status = (e as BridgeError).status
        if (status >= 400 && status < 500) throw e
        if (Date.now() > end) throw this.unreachable(e)
      }
      if (Date.now() > end)
        throw new BridgeError(`Run ${runId} has not ended within ${patienceMs / 1000} s.`, 0, 'timeout')
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)))
    }
  }
}

/** Read a Server-Sent Events body to its end, each message's data parsed as JSON. */
async function readSseJson(res: Response, onMessage: (type: string, data: unknown) => void): Promise<void> {
  for await (const m of readSse(res.body as unknown as AsyncIterable<Uint8Array>))
    onMessage(m.event, JSON.parse(m.data) as unknown)
}

/** The envelope's chunks as one body (a single copy). */
function joinChunks(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}
