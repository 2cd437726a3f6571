/**
 * The bridge API without HTTP, for a bridge running in this process: the
 * client calls the store and the run manager directly (no JSON or base64 for
 * large images, no round trips).
 */
import type { Bridge } from '../bridge.js'
import { toContextValue, type InputValue } from '../values/inputs.js'
import type { RunEvent, SaveValueOptions } from '../../shared/protocol/index.js'
import type { EntryMeta, StorageInfo, Usage } from '../../shared/protocol/index.js'
import type { ContextHandle } from '../store/contextHandle.js'
import type { ContextValue } from '../values/values.js'
import type { BridgeApi, RunSpec, RunOutcome } from './bridgeHttp.js'
import type { BridgeRunSpec } from '../runs/manager.js'
import type { ContextSummary, CreateContextBody } from '../../shared/protocol/index.js'

export class InProcessBridgeApi implements BridgeApi {
  constructor(private readonly bridge: Bridge) {}

  get url(): string {
    return this.bridge.url
  }

  private async ctx(id: string): Promise<ContextHandle> {
    return this.bridge.store.get(id) ?? this.bridge.store.open(id)
  }

  async createContext(options: CreateContextBody): Promise<ContextSummary> {
    const open = options.id !== undefined ? this.bridge.store.get(options.id) : undefined
    if (open) return open.summary()
    const c = await this.bridge.store.create({
      ...(options.id !== undefined ? { id: options.id } : {}),
      ...(options.name !== undefined ? { name: options.name } : {}),
      durable: options.durable === true,
    })
    return c.summary()
  }

  async closeContext(id: string): Promise<void> {
    await this.bridge.store.close(id)
  }

  async renameContext(id: string, name: string): Promise<ContextSummary> {
    // Checked as the HTTP route checks it; loaded here only (a client that imports this file loads no schema).
    const [{ parseBody }, { routes }] = await Promise.all([
      import('../server/bodies.js'),
      import('../../shared/protocol/routes.js'),
    ])
    const c = await this.ctx(id)
    await c.rename(parseBody(routes.updateContext.body, { name }, `renaming context ${id}`).name)
    return c.summary()
  }

  async context(id: string): Promise<{ entries: EntryMeta[] }> {
    return { entries: (await this.ctx(id)).allMeta() }
  }

  async usage(id: string): Promise<Usage> {
    return (await this.ctx(id)).getUsage()
  }

  async storageInfo(id: string, key: string): Promise<StorageInfo> {
    return (await this.ctx(id)).getStorageInfo(key)
  }

  async load(id: string, key: string): Promise<{ meta: EntryMeta; value: ContextValue }> {
    const c = await this.ctx(id)
    const value = await c.load(key)
    return { meta: c.meta(key)!, value }
  }

  async save(id: string, key: string, value: unknown, options: SaveValueOptions = {}): Promise<EntryMeta> {
    const v = await toContextValue(value as InputValue, options.comfyType, `value "${key}"`)
    return (await this.ctx(id)).save(key, v, options)
  }

  async delete(id: string, key: string): Promise<void> {
    await (await this.ctx(id)).delete(key)
  }

  async cancelRun(id: string): Promise<unknown> {
    return this.bridge.runs.cancel(id)
  }

  async submitAndFollow(
    body: RunSpec,
    onEvent: ((e: RunEvent) => void) | undefined,
    onStart?: (runId: string) => void,
  ): Promise<RunOutcome> {
    // In this process the inputs go as they are (bytes and context values, no copy).
    const run = await this.bridge.runs.submit(body as BridgeRunSpec)
    onStart?.(run.id)
    let seen = 0
    const deliver = () => {
      if (!onEvent) return
      for (; seen < run.events.length; seen++) onEvent(run.events[seen]!)
    }
    const off = onEvent ? this.bridge.runs.onEvent((r) => r.id === run.id && deliver()) : () => {}
    try {
      await this.bridge.runs.finished(run)
      deliver()
    } finally {
      off()
    }
    if (run.status === 'succeeded' && run.outputs) return { runId: run.id, outputs: run.outputs }
    return {
      runId: run.id,
      error: run.error ?? { name: 'Error', code: 'internal', message: `Run ${run.id} ended ${run.status}.` },
    }
  }
}
