/**
 * The stand-in's prompt queue and executor: one worker, ComfyUI's classic
 * cache (a node is reused when its class and inputs, recursively, match the
 * previous prompt's, whatever its id), and the WebSocket events and history
 * entries of ComfyUI 0.3.54 in the order the transcripts show.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isApiLink, type ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import type { Folders } from './files.js'
import { NodeException, NODES, type NodeContext } from './nodes.js'
import type { ComfyProfile } from './profile.js'
import { describeTensor, isTensor } from './tensors.js'

export interface QueueItem {
  number: number
  promptId: string
  prompt: ApiPrompt
  extraData: Record<string, unknown> & { client_id?: string }
  outputs: string[]
  /** The current server's 6th slot: credentials kept out of extra_data (never shown in /queue, history or jobs). */
  sensitive?: Record<string, unknown>
}

type HistoryMessage = [string, Record<string, unknown>]

export interface HistoryEntry {
  prompt: [number, string, ApiPrompt, Record<string, unknown>, string[]]
  outputs: Record<string, Record<string, unknown>>
  status: { status_str: 'success' | 'error'; completed: boolean; messages: HistoryMessage[] }
  meta: Record<string, { node_id: string; display_node: string; parent_node: null; real_node_id: string }>
}

/** Sends an event: `sid` null means every socket. */
export type Send = (type: string, data: Record<string, unknown>, sid: string | null) => void

interface CacheEntry {
  outputs: unknown[]
  ui?: Record<string, unknown>
}

class Interrupted extends Error {}

export interface ExecutorOptions {
  /** Extra milliseconds every executed node takes (to test cancellation and progress). */
  nodeDelayMs?: number
  /** Extra milliseconds every prompt takes, as a GPU would (for pool and sweep benchmarks). */
  promptDelayMs?: number
  /**
   * Which server generation to play ('0.3.75' by default). 'current' keeps the
   * outputs of the last `RAM_CACHE_PROMPTS` prompts cached (the RAM-pressure
   * cache) where 0.3.75 keeps only what the new prompt can reuse, and sends
   * `progress_state` to the prompt's client rather than to every socket.
   */
  profile?: ComfyProfile
}

/** How many prompts' outputs the current profile's cache keeps (RAM never runs short here). */
const RAM_CACHE_PROMPTS = 8

export class Executor {
  private pending: QueueItem[] = []
  private running: QueueItem | undefined
  readonly history = new Map<string, HistoryEntry>()
  private cache = new Map<string, CacheEntry>()
  /** For the RAM-pressure cache: the last prompt (by run count) each cache entry was wanted by. */
  private cacheUse = new Map<string, number>()
  private promptsRun = 0
  private interruptFlag = false
  private working = false
  private counter = 0
  readonly modelLoads = { count: 0 }
  /** Node ids currently executing, by client (re-sent to a reconnecting socket, like ComfyUI). */
  lastNode: { sid: string; node: string } | undefined

  constructor(
    private readonly objectInfo: ObjectInfo,
    private readonly folders: Folders,
    private readonly rawSend: Send,
    private readonly options: ExecutorOptions = {},
  ) {}

  /** Prompts forgotten by a (simulated) restart: whatever their execution still says is never sent. */
  private readonly forgotten = new Set<string>()

  private readonly send: Send = (type, data, sid) => {
    if (typeof data.prompt_id === 'string' && this.forgotten.has(data.prompt_id)) return
    this.rawSend(type, data, sid)
  }

  /** The prompt running now, if any. */
  get runningPromptId(): string | undefined {
    return this.running?.promptId
  }

  /** The prompt running now, as queued. */
  get runningItem(): QueueItem | undefined {
    return this.running
  }

  /** The pending prompts in queue order. */
  get pendingItems(): readonly QueueItem[] {
    return this.pending
  }

  /**
   * What a restart of ComfyUI does: the pending prompts, the history, the
   * running prompt, the cache and the queue counter are gone, and nothing
   * more is said of the prompts (the one that was running stops unseen).
   */
  forget(): void {
    for (const item of this.pending) this.forgotten.add(item.promptId)
    if (this.running) this.forgotten.add(this.running.promptId)
    this.pending = []
    this.running = undefined
    this.lastNode = undefined
    this.history.clear()
    this.cache.clear()
    this.cacheUse.clear()
    this.counter = 0
    this.interruptFlag = true
  }

  get queueRemaining(): number {
    return this.pending.length + (this.running ? 1 : 0)
  }

  nextNumber(front: boolean): number {
    const n = front ? -this.counter : this.counter
    this.counter += 1
    return n
  }

  queueState(): { queue_running: unknown[]; queue_pending: unknown[] } {
    const row = (i: QueueItem) => [i.number, i.promptId, i.prompt, i.extraData, i.outputs]
    return { queue_running: this.running ? [row(this.running)] : [], queue_pending: this.pending.map(row) }
  }

  private broadcastStatus(): void {
    this.send('status', { status: { exec_info: { queue_remaining: this.queueRemaining } } }, null)
  }

  enqueue(item: QueueItem): void {
    this.pending.push(item)
    this.pending.sort((a, b) => a.number - b.number)
    this.broadcastStatus()
    void this.work()
  }

  deletePending(ids: string[]): void {
    this.pending = this.pending.filter((i) => !ids.includes(i.promptId))
    this.broadcastStatus()
  }

  clearPending(): void {
    this.pending = []
    this.broadcastStatus()
  }

  interrupt(): void {
    this.interruptFlag = true
  }

  /**
   * Interrupt `promptId` only if it is still the running prompt, in one step
   * (PromptQueue.interrupt_if_running): the flag is reset when the next prompt
   * starts, so it cannot land on another one. Whether it was running.
   */
  interruptIfRunning(promptId: string): boolean {
    if (this.running?.promptId !== promptId) return false
    this.interruptFlag = true
    return true
  }

  /** Remove one pending prompt (it never reaches history). Whether it was pending. */
  dequeue(promptId: string): boolean {
    const before = this.pending.length
    this.pending = this.pending.filter((i) => i.promptId !== promptId)
    if (this.pending.length === before) return false
    this.broadcastStatus()
    return true
  }

  freeMemory(): void {
    this.cache.clear()
    this.cacheUse.clear()
  }

  private async work(): Promise<void> {
    if (this.working) return
    this.working = true
    try {
      while (this.pending.length > 0) {
        const item = this.pending.shift()!
        this.running = item
        this.broadcastStatus()
        const entry = await this.execute(item)
        if (!this.forgotten.has(item.promptId)) this.history.set(item.promptId, entry)
        this.running = undefined
        this.broadcastStatus()
        const client = item.extraData.client_id ?? null
        if (client) this.send('executing', { node: null, prompt_id: item.promptId }, client)
        this.lastNode = undefined
      }
    } finally {
      this.working = false
    }
  }

  /** A node's cache key: its class, file hashes for loaders, and its inputs with links replaced by their sources' keys. */
  private signatures(prompt: ApiPrompt): Map<string, string> {
    const sigs = new Map<string, string>()
    const sig = (id: string, stack: Set<string>): string => {
      const known = sigs.get(id)
      if (known) return known
      const node = prompt[id]!
      if (stack.has(id)) return `cycle:${id}`
      stack.add(id)
      const inputs = Object.keys(node.inputs ?? {})
        .sort()
        .map((k) => {
          const v = node.inputs[k]
          return [k, isApiLink(v) && prompt[v[0]] ? ['link', sig(v[0], stack), v[1]] : v]
        })
      stack.delete(id)
      const s = createHash('sha1')
        .update(JSON.stringify([node.class_type, this.isChanged(node.class_type, node.inputs), inputs]))
        .digest('hex')
      sigs.set(id, s)
      return s
    }
    for (const id of Object.keys(prompt)) sig(id, new Set())
    return sigs
  }

  /** IS_CHANGED: LoadImage, LoadImageMask and LoadLatent hash their file. */
  private isChanged(classType: string, inputs: Record<string, unknown>): string | null {
    const name =
      classType === 'LoadLatent'
        ? inputs.latent
        : ['LoadImage', 'LoadImageMask'].includes(classType)
          ? inputs.image
          : undefined
    if (typeof name !== 'string') return null
    try {
      return createHash('sha256')
        .update(readFileSync(this.folders.annotatedPath(name)))
        .digest('hex')
    } catch {
      return null
    }
  }

  private async execute(item: QueueItem): Promise<HistoryEntry> {
    const { prompt, promptId } = item
    const client = item.extraData.client_id ?? null
    const messages: HistoryMessage[] = []
    const message = (type: string, data: Record<string, unknown>, broadcast: boolean) => {
      const full = { ...data, timestamp: Date.now() }
      messages.push([type, full])
      if (client) this.send(type, full, client)
      else if (broadcast) this.send(type, full, null)
    }
    this.interruptFlag = false
    message('execution_start', { prompt_id: promptId }, false)
    if (this.options.promptDelayMs) await new Promise((r) => setTimeout(r, this.options.promptDelayMs))

    const sigs = this.signatures(prompt)
    const wanted = new Set(sigs.values())
    if (this.options.profile === 'current') {
      // RAM-pressure cache: what the last prompts used stays.
      this.promptsRun += 1
      for (const key of wanted) this.cacheUse.set(key, this.promptsRun)
      for (const [key, used] of [...this.cacheUse]) {
        if (used > this.promptsRun - RAM_CACHE_PROMPTS) continue
        this.cache.delete(key)
        this.cacheUse.delete(key)
      }
    } else {
      // Classic cache: keep only what the new prompt can reuse.
      for (const key of [...this.cache.keys()]) if (!wanted.has(key)) this.cache.delete(key)
    }
    const isCached = (id: string) => this.cache.has(sigs.get(id)!)
    message('execution_cached', { nodes: Object.keys(prompt).filter(isCached), prompt_id: promptId }, false)

    // What to run: each output and, unless cached, its inputs.
    const order: string[] = []
    const visit = (id: string) => {
      if (order.includes(id)) return
      for (const v of Object.values(prompt[id]!.inputs ?? {})) {
        if (isApiLink(v) && prompt[v[0]] && !isCached(v[0])) visit(v[0])
      }
      order.push(id)
    }
    for (const out of item.outputs) visit(out)
    const isOutput = (id: string) => this.objectInfo[prompt[id]!.class_type]?.output_node === true
    const deps = (id: string): string[] => {
      const ids: string[] = []
      for (const v of Object.values(prompt[id]!.inputs ?? {})) if (isApiLink(v) && order.includes(v[0])) ids.push(v[0])
      return ids
    }

    const results = new Map<string, unknown[]>()
    const outputsUi: HistoryEntry['outputs'] = {}
    const meta: HistoryEntry['meta'] = {}
    const progress: Record<string, Record<string, unknown>> = {}
    // 0.3.75 in the stand-in: to every socket; current: to the prompt's client, or every socket without one.
    const progressTo = this.options.profile === 'current' ? client : null
    const sendProgressState = () =>
      this.send('progress_state', { prompt_id: promptId, nodes: structuredClone(progress) }, progressTo)
    const setProgress = (id: string, value: number, max: number, state: string) => {
      progress[id] = {
        value,
        max,
        state,
        node_id: id,
        prompt_id: promptId,
        display_node_id: id,
        parent_node_id: null,
        real_node_id: id,
      }
    }
    const executed: string[] = []
    const done = new Set<string>()
    const recordUi = (id: string, ui: Record<string, unknown>) => {
      outputsUi[id] = ui
      meta[id] = { node_id: id, display_node: id, parent_node: null, real_node_id: id }
    }

    let failure: { type: 'execution_error' | 'execution_interrupted'; data: Record<string, unknown> } | undefined
    while (done.size < order.length) {
      // Like ComfyUI's worker thread, let the server answer requests between nodes.
      await new Promise((r) => setImmediate(r))
      const ready = order.filter((id) => !done.has(id) && deps(id).every((d) => done.has(d)))
      const id = ready.find(isOutput) ?? ready[0]!
      const node = prompt[id]!
      if (this.interruptFlag) {
        failure = {
          type: 'execution_interrupted',
          data: { node_id: id, node_type: node.class_type, executed: [...executed] },
        }
        break
      }
      const cached = this.cache.get(sigs.get(id)!)
      if (cached) {
        // A cached output node repeats its earlier ui.
        if (client)
          this.send('executed', { node: id, display_node: id, output: cached.ui ?? null, prompt_id: promptId }, client)
        if (cached.ui) recordUi(id, cached.ui)
        results.set(id, cached.outputs)
        done.add(id)
        continue
      }
      setProgress(id, 0, 1, 'running')
      sendProgressState()
      if (client) {
        this.send('executing', { node: id, display_node: id, prompt_id: promptId }, client)
        this.lastNode = { sid: client, node: id }
      }
      const inputs: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(node.inputs ?? {})) {
        if (isApiLink(v)) {
          const source = results.get(v[0]) ?? this.cache.get(sigs.get(v[0]) ?? '')?.outputs
          inputs[k] = source?.[v[1]]
        } else if (typeof v === 'object' && v !== null && '__value__' in v) {
          inputs[k] = (v as { __value__: unknown }).__value__
        } else {
          inputs[k] = v
        }
      }
      const fn = NODES[node.class_type]
      try {
        if (!fn)
          throw new NodeException(`the ComfyUI stand-in does not execute ${node.class_type}`, 'NotImplementedError')
        const ctx: NodeContext = {
          folders: this.folders,
          prompt,
          extraPngInfo: item.extraData.extra_pnginfo as Record<string, unknown> | undefined,
          progress: (value, max) => {
            setProgress(id, value, max, 'running')
            this.send('progress', { value, max, prompt_id: promptId, node: id }, client)
            sendProgressState()
          },
          checkInterrupted: () => {
            if (this.interruptFlag) throw new Interrupted()
          },
          modelLoads: this.modelLoads,
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        }
        if (this.options.nodeDelayMs) await ctx.sleep(this.options.nodeDelayMs)
        ctx.checkInterrupted()
        const result = await fn(inputs, ctx)
        // A node that ends after a restart leaves nothing in the new process's cache.
        if (!this.forgotten.has(promptId))
          this.cache.set(
            sigs.get(id)!,
            result.ui ? { outputs: result.outputs, ui: result.ui } : { outputs: result.outputs },
          )
        results.set(id, result.outputs)
        if (result.ui) {
          if (client)
            this.send('executed', { node: id, display_node: id, output: result.ui, prompt_id: promptId }, client)
          recordUi(id, result.ui)
        }
        setProgress(id, 1, 1, 'finished')
        sendProgressState()
        executed.push(id)
        done.add(id)
      } catch (e) {
        if (e instanceof Interrupted) {
          failure = {
            type: 'execution_interrupted',
            data: { node_id: id, node_type: node.class_type, executed: [...executed] },
          }
          break
        }
        const ex = e instanceof NodeException ? e : new NodeException(String((e as Error).message ?? e), 'Exception')
        const currentInputs: Record<string, unknown[]> = {}
        for (const [k, v] of Object.entries(inputs)) {
          currentInputs[k] = [
            v === null || ['string', 'number', 'boolean'].includes(typeof v)
              ? v
              : isTensor(v)
                ? describeTensor(v)
                : String(v),
          ]
        }
        failure = {
          type: 'execution_error',
          data: {
            node_id: id,
            node_type: node.class_type,
            executed: [...executed],
            exception_message: ex.message,
            exception_type: ex.exceptionType,
            traceback: [`  File "<comfyui-stand-in>/nodes.ts", in ${node.class_type}\n    ${ex.message.trim()}\n`],
            current_inputs: currentInputs,
            current_outputs: Object.keys(prompt),
          },
        }
        break
      }
    }

    if (failure) {
      // execution_error goes to the client only; an interruption is broadcast when there is none.
      message(failure.type, { prompt_id: promptId, ...failure.data }, failure.type === 'execution_interrupted')
      return {
        prompt: [item.number, promptId, prompt, item.extraData, item.outputs],
        outputs: outputsUi,
        status: { status_str: 'error', completed: false, messages },
        meta,
      }
    }
    message('execution_success', { prompt_id: promptId }, false)
    return {
      prompt: [item.number, promptId, prompt, item.extraData, item.outputs],
      outputs: outputsUi,
      status: { status_str: 'success', completed: true, messages },
      meta,
    }
  }
}
