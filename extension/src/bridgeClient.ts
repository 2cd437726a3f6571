/** The page's link to the Discomfort bridge: plain fetch and one live WebSocket. */
import { DiscomfortError } from '../../shared/errors.js'
import type {
  ContextSummary,
  EntryMeta,
  QueueAnswer,
  QueueBody,
  RerunBody,
  RunView,
} from '../../shared/protocol/index.js'

export type { ContextSummary, EntryMeta }

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

  /** `&token=…` for URLs an <img> or WebSocket opens (they cannot send headers). */
  private tokenParam(first: boolean): string {
    return this.token ? `${first ? '?' : '&'}token=${encodeURIComponent(this.token)}` : ''
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response
    try {
      res = await fetch(`${this.base}/api${path}`, {
        method,
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
    if (!res.ok && !(path === '/queue' && res.status === 400)) {
      throw new Error((data as { error?: { message?: string } })?.error?.message ?? `${method} ${path}: ${res.status}`)
    }
    return data as T
  }

  health() {
    return this.call<{ ok: boolean; comfy: { url: string; reachable: boolean } }>('GET', '/health')
  }
  contexts() {
    return this.call<ContextSummary[]>('GET', '/contexts')
  }
  createContext(name: string) {
    return this.call<ContextSummary>('POST', '/contexts', { name })
  }
  /** Keep a context from now on: its values go to disk and it outlives the bridge. */
  makeDurable(contextId: string) {
    return this.call<ContextSummary>('POST', `/contexts/${encodeURIComponent(contextId)}/durable`)
  }
  /** Run a recorded run again, in its context with the values it holds now. */
  rerun(runId: string, body: RerunBody) {
    return this.call<RunView>('POST', `/runs/${encodeURIComponent(runId)}/rerun`, body)
  }
  keys(contextId: string) {
    return this.call<Array<EntryMeta & { storage_type: string; summary?: string }>>(
      'GET',
      `/contexts/${encodeURIComponent(contextId)}/keys`,
    )
  }
  value(contextId: string, key: string) {
    return this.call<{ summary: string; value: { kind: string; value?: unknown } }>(
      'GET',
      `/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}`,
    )
  }
  deleteKey(contextId: string, key: string) {
    return this.call<void>('DELETE', `/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}`)
  }
  thumbnailUrl(contextId: string, key: string, version: number): string {
    return `${this.base}/api/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}/thumbnail?v=${version}${this.tokenParam(false)}`
  }
  rawUrl(contextId: string, key: string): string {
    return `${this.base}/api/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}?format=raw${this.tokenParam(false)}`
  }
  /** Store a plain value (string, number, boolean, JSON) under a key. */
  putValue(contextId: string, key: string, value: unknown) {
    return this.call<EntryMeta>('PUT', `/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}`, {
      value,
    })
  }
  /** Store a file's bytes: a PNG as IMAGE or MASK, a .latent as LATENT. */
  async putFile(contextId: string, key: string, file: Blob, type: 'IMAGE' | 'MASK' | 'LATENT'): Promise<EntryMeta> {
    const res = await fetch(
      `${this.base}/api/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}?type=${type}`,
      {
        method: 'PUT',
        headers: { ...this.auth(), 'content-type': type === 'LATENT' ? 'application/octet-stream' : 'image/png' },
        body: file,
      },
    )
    const data = (await res.json()) as EntryMeta & { error?: { message?: string } }
    if (!res.ok) throw new Error(data.error?.message ?? `PUT ${key}: ${res.status}`)
    return data
  }
  /** Queue a prompt with ports: answered in ComfyUI's /prompt shape. */
  queue(body: QueueBody) {
    return this.call<QueueAnswer>('POST', '/queue', body)
  }
  socket(): WebSocket {
    return new WebSocket(`${this.base.replace(/^http/, 'ws')}/api/ws${this.tokenParam(true)}`)
  }
}
