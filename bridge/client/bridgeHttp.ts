/** A typed HTTP client for a running bridge. Errors carry the bridge's message. */
import type { RunEvent } from '../run/runner.js'
import type { EntryMeta, StorageInfo, Usage } from '../store/context.js'
import type { ContextValue } from '../store/values.js'
import type { ContextSummary } from '../server/routes/contexts.js'
import type { runView } from '../server/routes/runs.js'
import { fromWire, toWire } from '../server/wire.js'

export type RunView = ReturnType<typeof runView>

export class BridgeError extends Error {
  override name = 'BridgeError'
  constructor(
    message: string,
    readonly status: number,
    readonly type: string,
  ) {
    super(message)
  }
}

export class BridgeHttp {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra }
  }

  async request<T>(method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<T> {
    let res: Response
    try {
      res = await fetch(`${this.url}/api${path}`, {
        method,
        headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (e) {
      throw new BridgeError(`The Discomfort bridge at ${this.url} is not reachable (${(e as Error).message}). Start it with: npx discomfort bridge`, 0, 'unreachable')
    }
    const text = await res.text()
    const parsed = text ? (JSON.parse(text) as unknown) : undefined
    if (!res.ok) {
      const err = (parsed as { error?: { message?: string; type?: string } } | undefined)?.error
      throw new BridgeError(err?.message ?? `${method} ${path} answered ${res.status}`, res.status, err?.type ?? 'http')
    }
    return parsed as T
  }

  health(timeoutMs = 1500): Promise<{ ok: boolean; service: string; version: string; comfy: { url: string; reachable: boolean; version?: string } }> {
    return this.request('GET', '/health', undefined, timeoutMs)
  }

  createContext(options: { id?: string; name?: string; durable?: boolean }): Promise<ContextSummary> {
    return this.request('POST', '/contexts', options)
  }

  closeContext(id: string): Promise<void> {
    return this.request('DELETE', `/contexts/${encodeURIComponent(id)}`)
  }

  context(id: string): Promise<ContextSummary & { entries: EntryMeta[] }> {
    return this.request('GET', `/contexts/${encodeURIComponent(id)}`)
  }

  usage(id: string): Promise<Usage> {
    return this.request('GET', `/contexts/${encodeURIComponent(id)}/usage`)
  }

  storageInfo(id: string, key: string): Promise<StorageInfo> {
    return this.request('GET', `/contexts/${encodeURIComponent(id)}/values/${encodeURIComponent(key)}/storage`)
  }

  async load(id: string, key: string): Promise<{ meta: EntryMeta; value: ContextValue }> {
    const r = await this.request<{ meta: EntryMeta; value: unknown }>('GET', `/contexts/${encodeURIComponent(id)}/values/${encodeURIComponent(key)}`)
    return { meta: r.meta, value: fromWire(r.value) as ContextValue }
  }

  save(id: string, key: string, value: unknown, options: { comfyType?: string; passBy?: 'val' | 'ref' } = {}): Promise<EntryMeta> {
    return this.request('PUT', `/contexts/${encodeURIComponent(id)}/values/${encodeURIComponent(key)}`, { value: toWire(value), ...options })
  }

  delete(id: string, key: string): Promise<void> {
    return this.request('DELETE', `/contexts/${encodeURIComponent(id)}/values/${encodeURIComponent(key)}`)
  }

  submitRun(body: { workflows: Array<{ name: string; workflow: object }>; context?: string; inputs?: Record<string, unknown>; iterations?: number; stitch?: boolean; pass_by?: Record<string, 'val' | 'ref'> }): Promise<RunView> {
    return this.request('POST', '/runs', { ...body, ...(body.inputs ? { inputs: toWire(body.inputs) } : {}) })
  }

  run(id: string): Promise<RunView> {
    return this.request('GET', `/runs/${encodeURIComponent(id)}`)
  }

  cancelRun(id: string): Promise<RunView> {
    return this.request('POST', `/runs/${encodeURIComponent(id)}/cancel`)
  }

  async runResult(id: string): Promise<Record<string, ContextValue>> {
    const r = await this.request<{ outputs: unknown }>('GET', `/runs/${encodeURIComponent(id)}/result`)
    return fromWire(r.outputs) as Record<string, ContextValue>
  }

  /** Follow a run's events until it ends. */
  async followRun(id: string, onEvent: (e: RunEvent) => void, signal?: AbortSignal): Promise<void> {
    const res = await fetch(`${this.url}/api/runs/${encodeURIComponent(id)}/events`, { headers: this.headers(), ...(signal ? { signal } : {}) })
    if (!res.ok || !res.body) throw new BridgeError(`Cannot follow run ${id}: ${res.status}`, res.status, 'http')
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true })
      let at: number
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, at)
        buffer = buffer.slice(at + 2)
        const data = block.split('\n').find((l) => l.startsWith('data: '))
        if (data) onEvent(JSON.parse(data.slice(6)) as RunEvent)
      }
    }
  }
}
