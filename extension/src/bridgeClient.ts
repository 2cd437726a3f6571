/** The page's link to the Discomfort bridge: plain fetch and one live WebSocket. */
import { DiscomfortError } from '../../shared/errors.js'
import { pathOf, readErrorAnswer, routePaths } from '../../shared/protocol/paths.js'
import type {
  ContextSummary,
  EntryMeta,
  Health,
  KeyEntry,
  QueueAnswer,
  QueueBody,
  RerunBody,
  RoutePath,
  RouteParams,
  RunView,
  RunWorkflows,
  ServerInfo,
} from '../../shared/protocol/index.js'

export type { ContextSummary, EntryMeta, KeyEntry, ServerInfo }

/** The bridge does not answer: the page says how to start it, and queues nothing. */
export class BridgeDownError extends DiscomfortError {
  static override code = 'bridge_down'
  static override status = 503
  override name = 'BridgeDownError'
}

export class BridgeClient {
  /**
   * @param token the bridge's token, when it has one (a bridge on another
   *   machine must): sent as a bearer header, and in the query of the URLs the
   *   page loads by itself (images, the WebSocket)
   */
  constructor(
    public url: string,
    public token = '',
  ) {}

  private get base(): string {
    return this.url.replace(/\/+$/, '')
  }

  private auth(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {}
  }

  private async call<T, R extends RoutePath = RoutePath>(route: R, params: RouteParams<R>, body?: unknown): Promise<T> {
    const path = pathOf(route, params)
    let res: Response
    try {
      res = await fetch(`${this.base}${path}`, {
        method: route.method,
        headers: { ...this.auth(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
    } catch {
      throw new BridgeDownError(
        `The Discomfort bridge is not reachable at ${this.url}. Start it with "npx discomfort bridge", or set its URL in Settings › Discomfort.`,
      )
    }
    const text = await res.text()
    const data = text ? (JSON.parse(text) as unknown) : undefined
    // The queue route answers a refusal in ComfyUI's own shape, for the page to show as ComfyUI would.
    if (!res.ok && !(route.path === routePaths.queue.path && res.status === 400)) {
      throw new Error(readErrorAnswer(res.status, data, `${route.method} ${path}`).message)
    }
    return data as T
  }

  /** The HTTP status the bridge answers its health check with (0: nothing answers), to say why it is out of reach. */
  async probe(): Promise<number> {
    try {
      return (await fetch(`${this.base}${pathOf(routePaths.health, {})}`, { headers: this.auth() })).status
    } catch {
      return 0
    }
  }
  health() {
    return this.call<Health>(routePaths.health, {})
  }
  contexts() {
    return this.call<ContextSummary[]>(routePaths.listContexts, {})
  }
  createContext(name: string) {
    return this.call<ContextSummary>(routePaths.createContext, {}, { name })
  }
  renameContext(contextId: string, name: string) {
    return this.call<ContextSummary>(routePaths.updateContext, { id: contextId }, { name })
  }
  /** Remove a context and every value in it. */
  deleteContext(contextId: string) {
    return this.call<void>(routePaths.closeContext, { id: contextId })
  }
  /** What a run ran, to open on the canvas again. */
  runWorkflows(runId: string) {
    return this.call<RunWorkflows>(routePaths.runWorkflows, { id: runId })
  }
  /** Keep a context from now on: its values go to disk and it outlives the bridge. */
  makeDurable(contextId: string) {
    return this.call<ContextSummary>(routePaths.makeDurable, { id: contextId })
  }
  /** Run a recorded run again, in its context with the values it holds now. */
  rerun(runId: string, body: RerunBody) {
    return this.call<RunView>(routePaths.rerun, { id: runId }, body)
  }
  keys(contextId: string) {
    return this.call<KeyEntry[]>(routePaths.keys, { id: contextId })
  }
  value(contextId: string, key: string) {
    return this.call<{ summary: string; value: { kind: string; value?: unknown } }>(routePaths.value, {
      id: contextId,
      key,
    })
  }
  deleteKey(contextId: string, key: string) {
    return this.call<void>(routePaths.deleteValue, { id: contextId, key })
  }
  thumbnailUrl(contextId: string, key: string, version: number): string {
    return `${this.base}${pathOf(routePaths.thumbnail, { id: contextId, key }, { v: version, token: this.token || undefined })}`
  }
  rawUrl(contextId: string, key: string): string {
    return `${this.base}${pathOf(routePaths.value, { id: contextId, key }, { format: 'raw', token: this.token || undefined })}`
  }
  /**
   * Store a plain value (string, number, boolean, JSON) under a key, as
   * `comfyType` when given (a port's type); else as the key's own type, or the
   * value's when the key is new.
   */
  putValue(contextId: string, key: string, value: unknown, comfyType?: string) {
    return this.call<EntryMeta>(
      routePaths.saveValue,
      { id: contextId, key },
      { value, ...(comfyType ? { comfyType } : {}) },
    )
  }
  /** Store a file's bytes: a PNG as IMAGE or MASK, a .latent as LATENT. */
  async putFile(contextId: string, key: string, file: Blob, type: 'IMAGE' | 'MASK' | 'LATENT'): Promise<EntryMeta> {
    const path = pathOf(routePaths.saveValue, { id: contextId, key }, { type })
    const res = await fetch(`${this.base}${path}`, {
      method: routePaths.saveValue.method,
      headers: { ...this.auth(), 'content-type': type === 'LATENT' ? 'application/octet-stream' : 'image/png' },
      body: file,
    })
    const data = (await res.json().catch(() => undefined)) as EntryMeta
    if (!res.ok) throw new Error(readErrorAnswer(res.status, data, `PUT ${key}`).message)
    return data
  }
  /** The ComfyUI servers the bridge drives (its pool), in order. */
  servers() {
    return this.call<ServerInfo[]>(routePaths.listServers, {})
  }
  /**
   * Pause a server (by label), or every server without one: it is given no
   * new prompt until resumed (what it runs goes on); or resume it. Answers the pool as it is now.
   */
  setServerPaused(paused: boolean, label?: string) {
    if (label === undefined) return this.call<ServerInfo[]>(paused ? routePaths.pausePool : routePaths.resumePool, {})
    return this.call<ServerInfo[]>(paused ? routePaths.pauseServer : routePaths.resumeServer, { label })
  }
  /** Queue a prompt with ports: answered in ComfyUI's /prompt shape. */
  queue(body: QueueBody) {
    return this.call<QueueAnswer>(routePaths.queue, {}, body)
  }
  socket(): WebSocket {
    const url = `${this.base}${pathOf(routePaths.hub, {}, { token: this.token || undefined })}`
    return new WebSocket(url.replace(/^http/, 'ws'))
  }
}
