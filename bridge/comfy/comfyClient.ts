/**
 * The bridge's link to one ComfyUI server: HTTP + one WebSocket, and jobs
 * that follow a prompt from queueing to its outputs.
 *
 * A job is queued with our own `prompt_id` and `client_id`. Completion is
 * `executing` with `node: null` for that prompt; `/history` fills in anything
 * the socket missed (after a reconnect, or when the prompt was queued for
 * another client, like the ComfyUI page).
 *
 * A job never hangs, whatever ComfyUI does (see docs/FAULTS.md): a job with
 * no news for `auditIntervalMs` is looked up in `/queue` and `/history` (and
 * at once whenever ComfyUI says its queue changed), so a prompt removed by
 * someone else ends as cancelled saying so; a prompt ComfyUI keeps without
 * news for `stallTimeoutMs` is dropped there and failed; a cancel ends the
 * job within `cancelGraceMs` even when ComfyUI does not confirm; and every
 * job has an overall time limit.
 */
import { randomUUID } from 'node:crypto'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { ComfyHttp, withoutCredentials, type ComfyHttpOptions } from './comfyHttp.js'
import { ComfySocket, type ComfySocketOptions } from './comfySocket.js'
import {
  ComfyCancelledError,
  ComfyLostError,
  ComfyStoppedError,
  isComfyTimeoutError,
  isComfyUnreachableError,
  ComfyError,
  ComfyExecutionError,
  ComfyMissingOutputsError,
  ComfyStalledError,
  ComfyTimeoutError,
  ComfyValidationError,
} from './errors.js'
import type { BinaryFrame, ComfyWsMessage, HistoryEntry, NodeUi } from './messages.js'

export interface ComfyClientOptions extends ComfyHttpOptions, ComfySocketOptions {
  /** Client id for our WebSocket (a fresh one by default). */
  clientId?: string
  /** Default time limit of a job (ms). Default 30 minutes. */
  jobTimeoutMs?: number
  /** How often a job checks `/history` while it cannot rely on the socket (ms). Default 500. */
  pollIntervalMs?: number
  /** A job fails when ComfyUI has not answered for this long (ms). Default 5 s. */
  lostAfterMs?: number
  /** A job with no news for this long is looked up in ComfyUI's queue and history (ms). Default 2 s. */
  auditIntervalMs?: number
  /**
   * A prompt ComfyUI keeps (running, or waiting while its queue does not move)
   * with no news of it for this long is dropped there and the job fails (ms).
   * Default 10 minutes.
   */
  stallTimeoutMs?: number
  /** After a cancel, how long ComfyUI has to confirm before the job ends as cancelled anyway (ms). Default 5 s. */
  cancelGraceMs?: number
}

/** At most this many node events are kept per job (a server that sends endless events costs no more). */
const MAX_NODE_EVENTS = 100_000

export type JobEvent =
  | { type: 'queued'; promptId: string; number: number }
  | { type: 'started'; promptId: string }
  | { type: 'cached'; promptId: string; nodes: string[] }
  | { type: 'executing'; promptId: string; node: string }
  | { type: 'progress'; promptId: string; node: string; value: number; max: number }
  | { type: 'executed'; promptId: string; node: string; output: NodeUi | null }
  | { type: 'preview'; promptId: string; frame: BinaryFrame }

export interface SubmitOptions {
  /** Names the workflow in errors. */
  workflow?: string
  /** Output node ids that must run; default every output node of the prompt. */
  requiredOutputs?: string[]
  extraData?: Record<string, unknown>
  /** Queue for another client (e.g. the ComfyUI page): it sees the progress; we follow through `/history`. */
  clientId?: string
  front?: boolean
  timeoutMs?: number
  signal?: AbortSignal
  onEvent?: (event: JobEvent) => void
}

export interface JobResult {
  promptId: string
  /** `ui` dict of each output node that produced one (cached ones included). */
  outputs: Record<string, NodeUi>
  /** Nodes ComfyUI served from its cache. */
  cachedNodes: string[]
  /** Nodes that actually ran. */
  executedNodes: string[]
}

interface JobState {
  promptId: string
  workflow: string
  prompt: ApiPrompt
  foreignClient: boolean
  outputs: Record<string, NodeUi>
  cachedNodes: string[]
  executedNodes: string[]
  onEvent: ((event: JobEvent) => void) | undefined
  settled: boolean
  resolve: (result: JobResult) => void
  reject: (error: Error) => void
  timers: NodeJS.Timeout[]
  /** Run once when the job settles (listeners it added elsewhere). */
  cleanups: Array<() => void>
  cancelling: boolean
  /** The socket's open count when the job was queued (undefined: not following it by socket). */
  socketEpoch: number | undefined
  /** ComfyUI accepted it (before that, absence from the queue means nothing). */
  queued: boolean
  /** Since when ComfyUI has not answered this job's checks (ms since epoch), if it has not. */
  silentSince: number | undefined
  /** The socket's open count when the job was created: a different count later means the connection dropped meanwhile. */
  opensAtStart: number
  /** When ComfyUI last said anything about this prompt (or its queue moved while it waited), ms since epoch. */
  newsAt: number
  /** ComfyUI said it started this prompt. */
  started: boolean
  /** Someone asked to cancel it: an interruption then is ours, not another client's. */
  cancelRequested: boolean
  /** A look-up in /queue and /history is under way. */
  checking: boolean
}

/** A queued prompt: await `done` for its outputs, or `cancel()` it. */
export class ComfyJob {
  constructor(
    readonly promptId: string,
    readonly number: number,
    readonly done: Promise<JobResult>,
    private readonly cancelFn: () => Promise<void>,
  ) {}

  /** Remove it from the queue when pending, interrupt it when running. `done` then rejects with ComfyCancelledError. */
  cancel(): Promise<void> {
    return this.cancelFn()
  }
}

export class ComfyClient {
  readonly http: ComfyHttp
  readonly socket: ComfySocket
  readonly clientId: string
  private readonly jobs = new Map<string, JobState>()
  private readonly jobTimeoutMs: number
  private readonly pollIntervalMs: number
  private readonly lostAfterMs: number
  private readonly auditIntervalMs: number
  private readonly stallTimeoutMs: number
  private readonly cancelGraceMs: number
  private connecting: Promise<void> | undefined
  /** The queue length ComfyUI last announced. */
  private queueRemaining = Number.POSITIVE_INFINITY

  /** The server's address as shown (without credentials). */
  readonly url: string

  constructor(target: string, options: ComfyClientOptions = {}) {
    this.url = withoutCredentials(target)
    this.clientId = options.clientId ?? randomUUID().replace(/-/g, '')
    this.http = new ComfyHttp(target, options)
    this.socket = new ComfySocket(this.http.target, this.clientId, options)
    this.jobTimeoutMs = options.jobTimeoutMs ?? 30 * 60_000
    this.pollIntervalMs = options.pollIntervalMs ?? 500
    this.lostAfterMs = options.lostAfterMs ?? 5000
    this.auditIntervalMs = options.auditIntervalMs ?? 2000
    this.stallTimeoutMs = options.stallTimeoutMs ?? 10 * 60_000
    this.cancelGraceMs = options.cancelGraceMs ?? 5000
    this.socket.on('message', (m) => this.onMessage(m))
    this.socket.on('binary', (frame) => {
      for (const job of this.jobs.values()) {
        if (!frame.kind.startsWith('preview') || job.settled) continue
        if (frame.kind === 'preview' && frame.promptId && frame.promptId !== job.promptId) continue
        job.onEvent?.({ type: 'preview', promptId: job.promptId, frame })
      }
    })
    this.socket.on('open', (reconnect) => {
      // After a drop, whatever finished meanwhile is in /history; what is in neither it nor the queue was lost.
      // The server may have restarted as another version: what it offers is asked again.
      if (reconnect) this.http.forget()
      const now = Date.now()
      for (const job of this.jobs.values()) {
        job.newsAt = now
        if (reconnect) void this.checkHistory(job, true)
      }
    })
  }

  /** Open the WebSocket (idempotent). */
  connect(): Promise<void> {
    this.connecting ??= this.socket.connect().catch((e: unknown) => {
      this.connecting = undefined
      throw e
    })
    return this.connecting
  }

  close(): void {
    this.socket.close()
    for (const job of this.jobs.values())
      this.fail(job, new ComfyError(`the connection to ComfyUI at ${this.url} was closed`))
  }

  /** Output node ids of a prompt, from object_info. */
  async outputNodes(prompt: ApiPrompt): Promise<string[]> {
    const info = await this.http.objectInfo()
    return Object.keys(prompt).filter((id) => info[prompt[id]!.class_type]?.output_node === true)
  }

  /** Queue a prompt and follow it. Throws ComfyValidationError / ComfyMissingOutputsError when it cannot run as asked. */
  async submit(prompt: ApiPrompt, options: SubmitOptions = {}): Promise<ComfyJob> {
    const foreign = options.clientId !== undefined && options.clientId !== this.clientId
    // Also for prompts queued for another client: the socket tells whether the server dropped meanwhile.
    await this.connect()
    const workflow = options.workflow ?? 'the prompt'
    const promptId = randomUUID()
    let resolve!: (r: JobResult) => void
    let reject!: (e: Error) => void
    const done = new Promise<JobResult>((res, rej) => {
      resolve = res
      reject = rej
    })
    done.catch(() => {})
    const early: JobEvent[] = []
    const job: JobState = {
      promptId,
      workflow,
      prompt,
      foreignClient: foreign,
      outputs: {},
      cachedNodes: [],
      executedNodes: [],
      // Socket messages can beat the HTTP answer: hold them until 'queued' is out.
      onEvent: options.onEvent ? (e) => early.length < MAX_NODE_EVENTS && early.push(e) : undefined,
      settled: false,
      resolve,
      reject,
      timers: [],
      cleanups: [],
      cancelling: false,
      socketEpoch: !foreign && this.socket.connected ? this.socket.opens : undefined,
      queued: false,
      silentSince: undefined,
      opensAtStart: this.socket.opens,
      newsAt: Date.now(),
      started: false,
      cancelRequested: false,
      checking: false,
    }
    // Registered, with its time limit and its /history watch, before queueing, so
    // no message arrives unclaimed and a job that ends at once clears its timers.
    this.jobs.set(promptId, job)
    const timeoutMs = options.timeoutMs ?? this.jobTimeoutMs
    job.timers.push(
      setTimeout(() => {
        void this.cancelJob(job).catch(() => {})
        this.fail(
          job,
          new ComfyTimeoutError(
            `${workflow} did not finish within ${timeoutMs} ms (prompt ${promptId}); it was cancelled.`,
          ),
        )
      }, timeoutMs),
    )
    // While the socket cannot tell us (foreign client, or dropped), or has said nothing of it for a while,
    // look at /queue and /history.
    job.timers.push(
      setInterval(
        () => {
          if (job.foreignClient || !this.socket.connected || Date.now() - job.newsAt >= this.auditIntervalMs)
            void this.checkHistory(job, true)
        },
        Math.min(this.pollIntervalMs, this.auditIntervalMs),
      ),
    )
    let answer: Awaited<ReturnType<ComfyHttp['queuePrompt']>>
    try {
      answer = await this.http.queuePrompt({
        prompt,
        client_id: options.clientId ?? this.clientId,
        prompt_id: promptId,
        ...(options.extraData ? { extra_data: options.extraData } : {}),
        ...(options.front ? { front: true } : {}),
      })
    } catch (e) {
      this.settle(job)
      throw e
    }
    if (!answer.ok) {
      this.settle(job)
      throw new ComfyValidationError(workflow, answer.error, answer.node_errors, prompt)
    }
    job.queued = true
    const dropped = new Set(Object.values(answer.node_errors).flatMap((e) => e.dependent_outputs))
    if (dropped.size > 0) {
      const required = options.requiredOutputs ?? (await this.outputNodes(prompt))
      const missing = required.filter((id) => dropped.has(id))
      if (missing.length > 0) {
        await this.cancelJob(job).catch(() => {})
        this.settle(job)
        throw new ComfyMissingOutputsError(workflow, missing, answer.node_errors, prompt)
      }
    }
    if (options.onEvent) {
      const onEvent = options.onEvent
      onEvent({ type: 'queued', promptId, number: answer.number })
      for (const e of early.splice(0)) onEvent(e)
      job.onEvent = onEvent
    }
    if (options.signal) {
      if (options.signal.aborted) void this.cancelJob(job)
      else {
        const signal = options.signal
        const onAbort = () => void this.cancelJob(job)
        signal.addEventListener('abort', onAbort, { once: true })
        job.cleanups.push(() => signal.removeEventListener('abort', onAbort))
      }
    }
    return new ComfyJob(promptId, answer.number, done, () => this.cancelJob(job))
  }

  /** Submit and wait for the outputs. */
  async run(prompt: ApiPrompt, options: SubmitOptions = {}): Promise<JobResult> {
    return (await this.submit(prompt, options)).done
  }

  private settle(job: JobState): boolean {
    if (job.settled) return false
    job.settled = true
    for (const t of job.timers) clearTimeout(t)
    for (const cleanup of job.cleanups.splice(0)) cleanup()
    this.jobs.delete(job.promptId)
    return true
  }

  private fail(job: JobState, error: Error): void {
    if (this.settle(job)) job.reject(error)
  }

  private succeed(job: JobState, entry: HistoryEntry | undefined): void {
    if (!this.settle(job)) return
    const outputs = { ...job.outputs, ...(entry?.outputs ?? {}) }
    job.resolve({ promptId: job.promptId, outputs, cachedNodes: job.cachedNodes, executedNodes: job.executedNodes })
  }

  private titleOf(job: JobState, nodeId: string): string | undefined {
    return job.prompt[nodeId]?._meta?.title
  }

  private errorFromMessage(job: JobState, type: string, data: Record<string, unknown>): Error {
    if (type === 'execution_interrupted')
      return new ComfyCancelledError(
        job.workflow,
        job.promptId,
        typeof data.node_id === 'string' ? data.node_id : undefined,
        job.cancelRequested ? 'cancelled' : `interrupted on ComfyUI by another client (ComfyUI at ${this.url})`,
      )
    return new ComfyExecutionError(
      job.workflow,
      job.promptId,
      String(data.node_id ?? '?'),
      String(data.node_type ?? '?'),
      String(data.exception_type ?? 'Exception'),
      String(data.exception_message ?? ''),
      Array.isArray(data.traceback) ? data.traceback.map(String) : [],
      this.titleOf(job, String(data.node_id)),
    )
  }

  /**
   * Finish a job from its history entry, if it has one. With `checkQueue`, a
   * prompt in neither is over (removed by someone, or lost in a restart), and
   * one that ComfyUI keeps without news past the stall bound is dropped.
   */
  private async checkHistory(job: JobState, checkQueue = false): Promise<void> {
    if (job.settled || !job.queued || job.checking) return
    job.checking = true
    try {
      // One request where ComfyUI has its jobs API; /queue and /history otherwise.
      const found = await this.http.whereIs(job.promptId, checkQueue)
      job.silentSince = undefined
      if (job.settled) return
      const where = found.where === 'running' || found.where === 'pending' ? found.where : undefined
      if (found.where === 'finished') {
        this.finishFromHistory(job, found.entry)
      } else if (!where) {
        // Gone from both. With the socket up all along, someone removed it; after a drop, the
        // server most likely restarted and forgot it: that is a failure, not a cancel.
        const dropped = job.opensAtStart !== this.socket.opens || !this.socket.connected
        this.fail(
          job,
          dropped
            ? new ComfyLostError(job.workflow, job.promptId, this.url)
            : new ComfyCancelledError(
                job.workflow,
                job.promptId,
                undefined,
                job.cancelRequested
                  ? 'cancelled'
                  : `removed from ComfyUI's queue by another client (ComfyUI at ${this.url})`,
              ),
        )
      } else if (this.stalled(job)) {
        const stallMs = Date.now() - job.newsAt
        void this.dropAtComfy(job.promptId, where).catch(() => {})
        this.fail(
          job,
          new ComfyStalledError(
            job.workflow,
            job.promptId,
            this.url,
            stallMs,
            where === 'running' ? 'running' : 'waiting',
          ),
        )
      }
    } catch (e) {
      // The server may be down for a moment, or answer nonsense; while the socket cannot vouch for it,
      // past lostAfterMs of that the job fails. With the socket up, the stall bound still holds.
      if (!job.foreignClient && this.socket.connected) return
      const now = Date.now()
      job.silentSince ??= now
      if (now - job.silentSince >= this.lostAfterMs) {
        const unusable = !isComfyUnreachableError(e) && !isComfyTimeoutError(e)
        this.fail(
          job,
          new ComfyStoppedError(
            job.workflow,
            job.promptId,
            this.url,
            now - job.silentSince,
            unusable ? (e as Error).message : undefined,
          ),
        )
      }
    } finally {
      job.checking = false
    }
  }

  /** No news past the stall bound, while the socket could have brought some (prompts of other clients bring none). */
  private stalled(job: JobState): boolean {
    return !job.foreignClient && this.socket.connected && Date.now() - job.newsAt >= this.stallTimeoutMs
  }

  /** Take a prompt off ComfyUI: out of the queue when waiting, interrupted when running. */
  private async dropAtComfy(promptId: string, where: 'running' | 'pending'): Promise<void> {
    if (where === 'pending') await this.http.deleteFromQueue([promptId])
    else await this.http.interrupt(promptId)
  }

  private finishFromHistory(job: JobState, entry: HistoryEntry): void {
    if (entry.status.status_str === 'success') {
      this.succeed(job, entry)
      return
    }
    const failure = entry.status.messages.find(([t]) => t === 'execution_error' || t === 'execution_interrupted')
    this.fail(
      job,
      failure
        ? this.errorFromMessage(job, failure[0], failure[1])
        : new ComfyCancelledError(job.workflow, job.promptId, undefined, 'ended on ComfyUI without a result'),
    )
  }

  private onMessage(message: ComfyWsMessage): void {
    if (message.type === 'status') {
      // The queue moved: what waits made progress. When it shrank, a prompt of ours still waiting may have
      // been removed (Clear queue on the page): look now rather than at the next audit.
      const remaining = message.data.status.exec_info?.queue_remaining
      const shrank = typeof remaining === 'number' && remaining < this.queueRemaining
      if (typeof remaining === 'number') this.queueRemaining = remaining
      const now = Date.now()
      for (const job of this.jobs.values()) {
        if (job.started) continue
        job.newsAt = now
        if (shrank && job.queued && !job.foreignClient) void this.checkHistory(job, true)
      }
      return
    }
    const data = message.data as Record<string, unknown>
    const promptId = typeof data.prompt_id === 'string' ? data.prompt_id : undefined
    const job = promptId ? this.jobs.get(promptId) : undefined
    if (!job || job.settled) return
    job.newsAt = Date.now()
    switch (message.type) {
      case 'execution_start':
        job.started = true
        job.onEvent?.({ type: 'started', promptId: job.promptId })
        break
      case 'execution_cached':
        job.cachedNodes = [...message.data.nodes]
        job.onEvent?.({ type: 'cached', promptId: job.promptId, nodes: message.data.nodes })
        break
      case 'executing':
        if (message.data.node === null) {
          // The socket never dropped since queueing: every executed message arrived.
          if (job.socketEpoch !== undefined && job.socketEpoch === this.socket.opens && this.socket.connected) {
            this.succeed(job, undefined)
            break
          }
          // Otherwise history, written before this message, has the complete outputs.
          void this.http.history(job.promptId).then(
            (entry) => (entry ? this.finishFromHistory(job, entry) : this.succeed(job, undefined)),
            () => this.succeed(job, undefined),
          )
        } else {
          job.started = true
          if (job.executedNodes.length < MAX_NODE_EVENTS) job.executedNodes.push(message.data.node)
          job.onEvent?.({ type: 'executing', promptId: job.promptId, node: message.data.node })
        }
        break
      case 'progress':
        job.onEvent?.({
          type: 'progress',
          promptId: job.promptId,
          node: message.data.node,
          value: message.data.value,
          max: message.data.max,
        })
        break
      case 'executed':
        if (
          message.data.output &&
          (message.data.node in job.outputs || Object.keys(job.outputs).length < MAX_NODE_EVENTS)
        )
          job.outputs[message.data.node] = message.data.output
        job.onEvent?.({
          type: 'executed',
          promptId: job.promptId,
          node: message.data.node,
          output: message.data.output,
        })
        break
      case 'execution_error':
      case 'execution_interrupted':
        this.fail(job, this.errorFromMessage(job, message.type, data))
        break
      default:
        break
    }
  }

  /**
   * Cancel: out of the queue when waiting, interrupted when running. The job
   * ends when ComfyUI confirms, or as cancelled after `cancelGraceMs` whatever
   * ComfyUI does (it may be down, or have lost the prompt).
   */
  private async cancelJob(job: JobState): Promise<void> {
    if (job.settled) return
    if (!job.cancelRequested) {
      job.cancelRequested = true
      job.timers.push(
        setTimeout(
          () =>
            this.fail(
              job,
              new ComfyCancelledError(
                job.workflow,
                job.promptId,
                undefined,
                `cancelled (ComfyUI at ${this.url} did not confirm within ${this.cancelGraceMs} ms; it may still finish it there)`,
              ),
            ),
          this.cancelGraceMs,
        ),
      )
    }
    if (job.cancelling) return
    job.cancelling = true
    try {
      // Where ComfyUI cancels one prompt at once (its jobs API), it is asked to; `false`: it had
      // nothing of it waiting or running, so how it ended is in its history (or it is gone).
      // A running one ends with execution_interrupted; a waiting one is simply gone (no message names
      // it), which the look-up that follows finds and ends as cancelled at once.
      const atomic = await this.http.cancelJob(job.promptId)
      if (atomic !== undefined) {
        await this.checkHistory(job, true)
        if (!atomic) this.fail(job, new ComfyCancelledError(job.workflow, job.promptId))
        return
      }
      const q = await this.http.queue()
      if (q.pending.includes(job.promptId)) {
        await this.http.deleteFromQueue([job.promptId])
        this.fail(job, new ComfyCancelledError(job.workflow, job.promptId))
      } else if (q.running.includes(job.promptId)) {
        await this.http.interrupt(job.promptId)
        // execution_interrupted (or, without a socket, /history) ends the job.
        if (job.foreignClient || !this.socket.connected) await this.checkHistory(job)
      } else {
        // In neither: finished (history says how) or gone, which for a cancelled job is cancelled.
        await this.checkHistory(job)
        this.fail(job, new ComfyCancelledError(job.workflow, job.promptId))
      }
    } catch {
      // ComfyUI cannot be asked now: the grace timer ends the job.
    } finally {
      job.cancelling = false
    }
  }
}
