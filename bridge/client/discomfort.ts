/**
 * The TypeScript client: what scripts use.
 *
 * @example
 * const d = await Discomfort.create()
 * await using ctx = d.Context()
 * for (const seed of [1, 2, 3]) {
 *   const out = await d.run(['sweep.json'], { context: ctx, inputs: { seed } })
 *   console.log(out.caption)
 * }
 * await d.shutdown()
 */
import type { Bridge, BridgeOptions } from '../bridge.js'
import { PortInUseError } from '../bridgeErrors.js'
import { DEFAULT_BRIDGE_PORT, DEFAULT_COMFY_URL } from '../defaults.js'
import type { ComfyLaunch } from '../comfy/launcher.js'
import type { InputValue } from '../values/inputs.js'
import { inputsWithFilesRead, withFilesRead } from './fileInputs.js'
import { readWorkflowFile } from '../runs/workflowFile.js'
import type { EntryMeta, StorageInfo, Usage, SaveValueOptions } from '../../shared/protocol/index.js'
import { exportValue } from '../values/exportData.js'
import { toJs } from '../values/valueFrom.js'
import type { ContextValue } from '../values/values.js'
import { BridgeError, BridgeHttp, type BridgeApi } from './bridgeHttp.js'
import { InProcessBridgeApi } from './inProcessApi.js'
import { SweepHandle, type SweepArgs } from './sweep.js'
import { isCancellation } from '../../shared/protocol/cancelled.js'
import { pathOf, readErrorAnswer, routePaths } from '../../shared/protocol/paths.js'
import type { RunEvent, RunSettings, RunSpec, SweepSpec, SweepView } from '../../shared/protocol/index.js'
import { Tools } from './tools.js'
import type { NamedWorkflow } from '../../shared/protocol/index.js'
import { env } from '../env.js'

export interface DiscomfortOptions {
  /** A running bridge to use. Default http://127.0.0.1:8189. */
  bridgeUrl?: string
  token?: string
  /** ComfyUI for an embedded bridge. Default http://127.0.0.1:8188. */
  comfyUrl?: string
  /** Start a bridge in this process when none answers at bridgeUrl (default true). */
  embedded?: boolean
  /** Start ComfyUI when it does not answer: a command, or the original's comfy_serverless.json. */
  comfyLaunch?: ComfyLaunch
  comfyServerlessConfig?: string
  /** Options for an embedded bridge (its data folder, RAM capacity...). */
  bridge?: Omit<BridgeOptions, 'comfyUrl' | 'launch' | 'token'>
}

/** What `run` and `load` give back: plain values for strings, numbers, booleans and JSON; typed objects otherwise. */
export type Value = string | number | boolean | null | unknown[] | Record<string, unknown> | ContextValue

export const toValue = (v: ContextValue): Value => {
  const js = toJs(v)
  return js === undefined ? v : (js as Value)
}

export type WorkflowArg = string | object | { name: string; workflow: object }

/** A run's settings (RunSpec in shared/protocol, but the workflows), and what only a caller in this process has. */
export interface RunArgs extends Omit<RunSettings, 'context' | 'inputs'> {
  /** The context to run in (a handle, or its id); a new one, removed afterwards, when absent. */
  context?: ContextHandle | string
  /** Values for INPUT ports; a path (`{file}` or `@path`) is read here and sent as bytes. */
  inputs?: Record<string, InputValue>
  onProgress?: (event: RunEvent) => void
  signal?: AbortSignal
}

/** A master context on the bridge. Created on first use; `close()` (or `await using`) removes it. */
export class ContextHandle {
  private readonly ready: Promise<string>
  private closed = false

  constructor(
    private readonly api: BridgeApi,
    options: { id?: string; name?: string; durable?: boolean } = {},
  ) {
    this.ready = api.createContext(options).then((c) => c.id)
    this.ready.catch(() => {})
  }

  /** The context id (the sidebar shows it). */
  id(): Promise<string> {
    return this.ready
  }

  /** Give it another name (the sidebar shows it; the id stays). */
  async rename(name: string): Promise<void> {
    await this.api.renameContext(await this.ready, name)
  }

  async save(key: string, value: InputValue, options: SaveValueOptions = {}): Promise<EntryMeta> {
    return this.api.save(await this.ready, key, await withFilesRead(value, `value "${key}"`), options)
  }

  async load(key: string): Promise<Value> {
    return toValue((await this.api.load(await this.ready, key)).value)
  }

  /** The stored value itself (typed, with its kind), for any key. */
  async loadValue(key: string): Promise<ContextValue> {
    return (await this.api.load(await this.ready, key)).value
  }

  async listKeys(): Promise<string[]> {
    return (await this.api.context(await this.ready)).entries.map((e) => e.key)
  }

  async getUsage(): Promise<Usage> {
    return this.api.usage(await this.ready)
  }

  async getStorageInfo(key: string): Promise<StorageInfo> {
    return this.api.storageInfo(await this.ready, key)
  }

  async delete(key: string): Promise<void> {
    await this.api.delete(await this.ready, key)
  }

  /** Write a value to a file here: PNG, .latent, JSON, or a runnable prompt for a reference. */
  async exportData(key: string, path: string, overwrite = true): Promise<string[]> {
    return exportValue(await this.loadValue(key), path, overwrite)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.api.closeContext(await this.ready).catch((e: unknown) => {
      if ((e as BridgeError).status !== 404) throw e
    })
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }
}

async function workflowBody(w: WorkflowArg, index: number): Promise<NamedWorkflow> {
  if (typeof w === 'string') return readWorkflowFile(w)
  if ('workflow' in w && 'name' in w && typeof (w as { name: unknown }).name === 'string') return w as NamedWorkflow
  return { name: `workflow ${index + 1}`, workflow: w as Record<string, unknown> }
}

export class Discomfort {
  readonly Tools = Tools
  private constructor(
    /** How this client reaches the bridge: HTTP, or direct calls when the bridge runs in this process. */
    readonly api: BridgeApi,
    private readonly embedded: Bridge | undefined,
    private readonly token: string | undefined,
  ) {}

  /** Connect to a running bridge, or start one in this process when none answers. */
  static async create(options: DiscomfortOptions = {}): Promise<Discomfort> {
    const bridgeUrl = (
      options.bridgeUrl ??
      env('DISCOMFORT_BRIDGE_URL') ??
      `http://127.0.0.1:${DEFAULT_BRIDGE_PORT}`
    ).replace(/\/+$/, '')
    const token = options.token ?? env('DISCOMFORT_TOKEN')
    const remote = new BridgeHttp(bridgeUrl, token)
    try {
      const health = await remote.health()
      if (health.service === 'discomfort-bridge') return new Discomfort(remote, undefined, token)
    } catch (e) {
      if ((e as BridgeError).status === 401) throw e
    }
    if (options.embedded === false) {
      throw new BridgeError(
        `No Discomfort bridge answers at ${bridgeUrl}. Start one with: npx discomfort bridge (or npx discomfort up), or leave the bridge address out to run one inside this process.`,
        0,
        'unreachable',
      )
    }
    options.bridge?.log?.(
      `No Discomfort bridge answers at ${bridgeUrl}: running one inside this process (it stops when this process ends).`,
    )
    let comfyUrl = options.comfyUrl ?? env('DISCOMFORT_COMFY_URL') ?? DEFAULT_COMFY_URL
    let launch = options.comfyLaunch
    if (options.comfyServerlessConfig) {
      const { readComfyServerlessConfig } = await import('../comfy/launcher.js')
      const config = readComfyServerlessConfig(options.comfyServerlessConfig)
      comfyUrl = options.comfyUrl ?? config.url
      launch ??= config.launch
    }
    const url = new URL(bridgeUrl)
    const base: BridgeOptions = {
      host: url.hostname,
      comfyUrl,
      ...options.bridge,
      ...(launch ? { launch } : {}),
      ...(token ? { token } : {}),
    }
    // Loaded only here: a client of a running bridge needs none of it (Express, SQLite, Redis, BullMQ).
    const { startBridge } = await import('../bridge.js')
    let bridge: Bridge
    try {
      bridge = await startBridge({ ...base, port: options.bridge?.port ?? Number(url.port || DEFAULT_BRIDGE_PORT) })
    } catch (e) {
      if (!(e instanceof PortInUseError)) throw e
      bridge = await startBridge({ ...base, port: 0 })
    }
    return new Discomfort(new InProcessBridgeApi(bridge), bridge, token)
  }

  /** The bridge URL in use. */
  get url(): string {
    return this.api.url
  }

  /** The in-process bridge, when this client started one. */
  get bridge(): Bridge | undefined {
    return this.embedded
  }

  /** A new master context (or an existing one by id). */
  Context(options: { id?: string; name?: string; durable?: boolean } = {}): ContextHandle {
    return new ContextHandle(this.api, options)
  }

  /**
   * Run workflows in order, the whole list `iterations` times. Returns each
   * OUTPUT port's value after the last iteration.
   */
  async run(workflows: WorkflowArg[], args: RunArgs = {}): Promise<Record<string, Value>> {
    const result = await this.runValues(workflows, args)
    return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, toValue(v)]))
  }

  /** Like `run`, but every output as a typed context value. */
  async runValues(workflows: WorkflowArg[], args: RunArgs = {}): Promise<Record<string, ContextValue>> {
    const { context, inputs, onProgress, signal: _signal, ...settings } = args
    const spec: RunSpec = {
      workflows: await Promise.all(workflows.map(workflowBody)),
      ...settings,
      ...(context ? { context: typeof context === 'string' ? context : await context.id() } : {}),
      ...(inputs ? { inputs: await inputsWithFilesRead(inputs as Record<string, unknown>, 'inputs') } : {}),
    }
    let runId: string | undefined
    const onAbort = () => {
      if (runId) void this.api.cancelRun(runId).catch(() => {})
    }
    args.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const result = await this.api.submitAndFollow(spec, onProgress, (id) => {
        runId = id
        if (args.signal?.aborted) onAbort()
      })
      if (result.error) {
        // The bridge's error, with its class name and code, whether the bridge runs here or elsewhere.
        const error = new BridgeError(result.error.message, isCancellation(result.error) ? 409 : 422, result.error.code)
        error.name = result.error.name
        throw error
      }
      if (!result.outputs) throw new BridgeError(`Run ${result.runId} ended without a result.`, 0, 'no_result')
      return result.outputs
    } finally {
      args.signal?.removeEventListener('abort', onAbort)
    }
  }

  /**
   * Many runs of the same workflows with different inputs, over every ComfyUI
   * server of the bridge's pool, recorded by the bridge before it answers.
   * Iterate the handle for the items as they finish; `attachSweep(id)` picks
   * a sweep up again (after this process or the bridge restarted).
   *
   * @example
   * const sweep = await d.sweep(['portrait.json'], { vary: { seed: [1, 2, 3], cfg: [3, 5, 7] } })
   * for await (const item of sweep) console.log(item.index, item.inputs, item.outputs)
   */
  async sweep(workflows: WorkflowArg[], args: SweepArgs): Promise<SweepHandle> {
    const spec: SweepSpec = { workflows: await Promise.all(workflows.map(workflowBody)), ...args }
    const res = await fetch(`${this.url}${pathOf(routePaths.submitSweep, {})}`, {
      method: routePaths.submitSweep.method,
      headers: { ...this.authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    })
    const view = (await res.json().catch(() => undefined)) as SweepView
    if (!res.ok) {
      const { message, code } = readErrorAnswer(res.status, view, 'POST /api/sweeps')
      throw new BridgeError(message, res.status, code)
    }
    return new SweepHandle(this.url, this.authHeaders(), view.id)
  }

  /** A sweep submitted earlier, by id: its remaining (and past) results. */
  attachSweep(id: string): SweepHandle {
    return new SweepHandle(this.url, this.authHeaders(), id)
  }

  private authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {}
  }

  /** Stop the embedded bridge (and the ComfyUI it started). */
  async shutdown(): Promise<void> {
    await this.embedded?.close()
  }
}
