/**
 * The bridge's runs: submitted, followed, cancelled, and their events kept
 * for late listeners. A run arrives as one RunSpec (shared/protocol) from
 * whichever edge took it, and is handed on whole: to the runner in this
 * process, or to the queue the bridges on one Redis share.
 */
import { randomUUID } from 'node:crypto'
import type { ContextHandle, ContextStoreApi } from '../store/contextHandle.js'
import type { ContextValue } from '../values/values.js'
import type { InputValue } from '../values/inputs.js'
import { runFailure, type RunEvent, type Runner, type WorkflowSpec } from './runner.js'

import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import {
  isCancellation,
  runIsOpen,
  type RunSpec,
  type RunStatus,
  type RunView,
  type RunWorkflows,
} from '../../shared/protocol/index.js'
import { isUiWorkflow } from '../../shared/workflow/uiWorkflow.js'
import { ContextGoneError, NotRerunnableError, RunNotFoundError } from './errors.js'
import type { RunFeed, RunHistory } from './history.js'
import { runView, type RunRecord } from './record.js'
export type { RunRecord, RunStatus }

/**
 * A run spec as the bridge holds it: the wire's, with its inputs decoded
 * (bytes, context values; files only for callers in this process).
 */
export type BridgeRunSpec = Omit<RunSpec, 'inputs'> & { inputs?: Record<string, InputValue> }

/** A run queued from the ComfyUI page: its API prompt with ports, in a context, for the page's client id. */
export interface SubmitPage {
  prompt: ApiPrompt
  contextId: string
  clientId: string
  extraData?: Record<string, unknown>
  front?: boolean
  /** The page's workflow name (its tab), which the run is listed under. */
  name?: string
}

/** A scripted run as it is handed to another bridge: its id, its context, and its spec whole. */
export interface RemoteRun {
  runId: string
  context: ContextHandle
  spec: Omit<BridgeRunSpec, 'context'>
}

/** Runs queued for whichever bridge on a shared Redis takes them (cluster/clusterRuns.ts). */
export interface RemoteRunner {
  /** Resolves with the run's outputs when it ends; its events are told on the way. */
  execute(run: RemoteRun, onEvent: (e: RunEvent) => void, signal: AbortSignal): Promise<Record<string, ContextValue>>
}

/** Where runs wait for their turn. In-process today; a shared queue (BullMQ) fits the same shape. */
export interface RunQueue {
  add(task: () => Promise<void>): void
}

class InProcessRunQueue implements RunQueue {
  private active = 0
  private readonly waiting: Array<() => Promise<void>> = []
  constructor(private readonly concurrency = 4) {}
  add(task: () => Promise<void>): void {
    this.waiting.push(task)
    this.pump()
  }
  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const task = this.waiting.shift()!
      this.active += 1
      void task().finally(() => {
        this.active -= 1
        this.pump()
      })
    }
  }
}

/** The largest request kept for a re-run (a UI workflow with its embedded copy is typically 50–500 KB). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024

/** A run from an earlier bridge process, as a record (no events, no values). */
const fromHistory = (v: RunView): RunRecord => ({
  id: v.id,
  status: v.status,
  contextId: v.contextId,
  temporaryContext: false,
  workflows: v.workflows,
  iterations: v.iterations,
  createdAt: v.createdAt,
  ...(v.finishedAt ? { finishedAt: v.finishedAt } : {}),
  ...(v.error ? { error: v.error } : {}),
  ...(v.outputs ? { outputKeys: v.outputs } : {}),
  ...(v.rerunnable ? { rerunnable: true } : {}),
  ...(v.resubmitted ? { resubmitted: v.resubmitted } : {}),
  events: [],
  progress: v.progress,
  source: v.source,
})

const parseRequest = (text: string | undefined): RunRecord['request'] =>
  text === undefined ? undefined : (JSON.parse(text) as RunRecord['request'])

const KEPT_EVENTS = 2000
const KEPT_RUNS = 200
/** What a page run is listed under when the page did not name its workflow. */
const PAGE_RUN_NAME = 'ComfyUI page'
const keptWhat = `the bridge keeps the workflows of the latest ${KEPT_RUNS} runs (of at most ${MAX_REQUEST_BYTES / 1024 / 1024} MB each)`

export interface RunManagerOptions {
  runner: Runner
  store: ContextStoreApi
  queue?: RunQueue
  /** Where runs are recorded to outlive the bridge: its ledger, or the history on a shared Redis. */
  history?: RunHistory
  /** With several bridges on one Redis: scripted runs go to whichever takes them. */
  remote?: RemoteRunner
  /** With several bridges on one Redis: their runs' changes, and cancelling a run whichever bridge holds it. */
  feed?: RunFeed
  log?: (line: string) => void
}

export class RunManager {
  private readonly runs = new Map<string, RunRecord>()
  private readonly controllers = new Map<string, AbortController>()
  private readonly listeners = new Set<(run: RunRecord, event: RunEvent) => void>()
  private readonly runner: Runner
  private readonly store: ContextStoreApi
  private readonly queue: RunQueue
  private readonly history: RunHistory | undefined
  private readonly remote: RemoteRunner | undefined
  private readonly feed: RunFeed | undefined
  private readonly offFeed: Array<() => void> = []

  constructor(private readonly o: RunManagerOptions) {
    this.runner = o.runner
    this.store = o.store
    this.queue = o.queue ?? new InProcessRunQueue()
    this.history = o.history
    this.remote = o.remote
    this.feed = o.feed
    if (this.feed) {
      // Another bridge's run started or ended: this bridge's pages and event streams hear it too.
      this.offFeed.push(
        this.feed.onTold((view, event) => {
          if (this.runs.has(view.id)) return
          const run = fromHistory(view)
          for (const l of this.listeners) l(run, event)
        }),
        this.feed.onCancelAsked((id) => this.controllers.get(id)?.abort()),
      )
    }
  }

  onEvent(listener: (run: RunRecord, event: RunEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A run of this bridge process, or from the history (this bridge's earlier ones, or any bridge's on a shared Redis). */
  async find(id: string): Promise<RunRecord | undefined> {
    const live = this.runs.get(id)
    if (live) return live
    const past = await this.history?.run(id)
    return past ? fromHistory(past) : undefined
  }

  /** The latest runs (created before `before`, an ISO time, when given): the recorded history and this process's runs, oldest first. */
  async list(limit = KEPT_RUNS, before?: string): Promise<RunRecord[]> {
    const live = [...this.runs.values()].filter((r) => before === undefined || r.createdAt < before)
    const known = new Set(live.map((r) => r.id))
    const past = ((await this.history?.runs(limit, before)) ?? [])
      .filter((v) => !known.has(v.id))
      .map(fromHistory)
      .reverse()
    const all = [...past, ...live].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    return all.slice(-limit)
  }

  /** Runs this bridge process holds that have not ended. */
  active(): RunRecord[] {
    return [...this.runs.values()].filter((r) => runIsOpen(r.status))
  }

  /** Record a run's state; a failure to (Redis away) is said, and the run goes on. */
  private put(run: RunRecord, request?: string): Promise<void> {
    return Promise.resolve()
      .then(() => this.history?.putRun(runView(run), request))
      .catch((e: Error) => {
        this.o.log?.(`Could not record run ${run.id} in the run history: ${e.message}`)
        throw e
      })
  }

  private record(run: RunRecord, event: RunEvent): void {
    if (event.type === 'run-started') run.progress = { step: 0, totalSteps: event.totalSteps }
    if (event.type === 'workflow-started') {
      run.progress = {
        step: event.step,
        totalSteps: event.totalSteps,
        workflow: event.workflow,
        iteration: event.iteration,
      }
    }
    run.events.push(event)
    if (run.events.length > KEPT_EVENTS) run.events.splice(0, run.events.length - KEPT_EVENTS)
    for (const l of this.listeners) l(run, event)
  }

  /** Register a run (scripted or from the page) so it is listed, recorded, and its events reach listeners. */
  private track(init: Omit<RunRecord, 'events' | 'progress' | 'createdAt' | 'status'> & { status?: RunStatus }): {
    run: RunRecord
    emit: (e: RunEvent) => void
    /** Settles once the run is in the history (before the bridge answers its request). */
    recorded: Promise<void>
  } {
    const run: RunRecord = {
      ...init,
      status: init.status ?? 'queued',
      events: [],
      progress: { step: 0, totalSteps: 0 },
      createdAt: new Date().toISOString(),
    }
    this.runs.set(run.id, run)
    let request = run.request && !run.temporaryContext ? JSON.stringify(run.request) : undefined
    if (request && request.length > MAX_REQUEST_BYTES) request = undefined
    if (!request) delete run.request
    const recorded = this.put(run, request)
    recorded.catch(() => this.runs.delete(run.id))
    if (this.runs.size > KEPT_RUNS) {
      for (const [id, r] of this.runs) {
        if (this.runs.size <= KEPT_RUNS) break
        if (!runIsOpen(r.status)) this.runs.delete(id)
      }
    }
    const emit = (e: RunEvent) => {
      if (e.type === 'run-started') run.status = 'running'
      if (e.type === 'run-finished') {
        run.status = 'succeeded'
        run.finishedAt = new Date().toISOString()
        run.outputKeys = e.outputs
      }
      if (e.type === 'run-failed') {
        run.status = isCancellation(e.error) ? 'cancelled' : 'failed'
        run.error = e.error
        run.finishedAt = new Date().toISOString()
      }
      if (e.type === 'workflow-resubmitted') run.resubmitted = (run.resubmitted ?? 0) + 1
      this.record(run, e)
      if (
        e.type === 'run-started' ||
        e.type === 'run-finished' ||
        e.type === 'run-failed' ||
        e.type === 'workflow-resubmitted'
      ) {
        this.put(run).catch(() => {})
        this.feed?.tell(runView(run), e)
      }
    }
    return { run, emit, recorded }
  }

  async submit(spec: BridgeRunSpec): Promise<RunRecord> {
    const { context: contextId, inputs, clientId, ...kept } = spec
    let context: ContextHandle
    let temporary = false
    if (contextId) {
      context = this.store.get(contextId) ?? (await this.store.open(contextId))
    } else {
      context = await this.store.create({ name: 'run' })
      temporary = true
    }
    const id = randomUUID()
    const { run, emit, recorded } = this.track({
      id,
      contextId: context.id,
      temporaryContext: temporary,
      workflows: spec.workflows.map((w) => w.name),
      iterations: spec.iterations ?? 1,
      source: 'script',
      // What it takes to run it again: the spec but its inputs (they are in the context now) and the page it showed on.
      request: { kind: 'script', ...kept },
    })
    try {
      await recorded
    } catch (e) {
      if (temporary) await this.store.close(context.id).catch(() => {})
      throw e
    }
    const controller = new AbortController()
    this.controllers.set(id, controller)
    let resolveDone!: () => void
    const finished = new Promise<void>((r) => (resolveDone = r))
    const { context: _context, ...whole } = spec
    const task = async () => {
      try {
        run.outputs = this.remote
          ? await this.remote.execute({ runId: id, context, spec: whole }, emit, controller.signal)
          : (
              await this.runner.run(spec.workflows as WorkflowSpec[], {
                ...whole,
                context,
                runId: id,
                signal: controller.signal,
                onEvent: emit,
              })
            ).outputs
      } catch (e) {
        // run-failed was emitted by the runner (or is emitted here for failures before it started)
        if (runIsOpen(run.status)) {
          emit({ type: 'run-failed', runId: id, error: runFailure(e) })
        }
      } finally {
        this.controllers.delete(id)
        if (temporary) await this.store.close(context.id).catch(() => {})
        resolveDone()
      }
    }
    // Queued runs wait in BullMQ, not here.
    if (this.remote) void task()
    else this.queue.add(task)
    Object.defineProperty(run, 'finished', { value: finished, enumerable: false })
    return run
  }

  /**
   * Queue a prompt from the ComfyUI page in a context: it runs on the
   * primary server for the page's client id, so the page shows ComfyUI's own
   * progress. Resolves once ComfyUI has accepted it; fails (with the run
   * recorded as failed) if it did not.
   */
  async submitPage(spec: SubmitPage): Promise<{ run: RunRecord; promptId?: string; number?: number }> {
    const context = this.store.get(spec.contextId) ?? (await this.store.open(spec.contextId))
    const { run, emit, recorded } = this.track({
      id: randomUUID(),
      contextId: context.id,
      temporaryContext: false,
      workflows: [spec.name ?? PAGE_RUN_NAME],
      iterations: 1,
      source: 'page',
      request: {
        kind: 'page',
        prompt: spec.prompt,
        ...(spec.extraData ? { extraData: spec.extraData } : {}),
        ...(spec.name ? { name: spec.name } : {}),
      },
    })
    await recorded
    const started = await this.runner.queueFromPage(spec.prompt, {
      context,
      clientId: spec.clientId,
      runId: run.id,
      onEvent: emit,
      ...(spec.extraData ? { extraData: spec.extraData } : {}),
      ...(spec.front ? { front: true } : {}),
    })
    const finished = started.done.then(
      () => {},
      () => {},
    )
    Object.defineProperty(run, 'finished', { value: finished, enumerable: false })
    return {
      run,
      ...(started.promptId ? { promptId: started.promptId } : {}),
      ...(started.number !== undefined ? { number: started.number } : {}),
    }
  }

  /**
   * What a run ran, to open again: the page's graph (the UI workflow it
   * queued with, else its API prompt) or a script's workflows as given.
   */
  async workflowsOf(id: string): Promise<RunWorkflows> {
    const past = await this.find(id)
    if (!past) throw new RunNotFoundError(`There is no run "${id}" in the bridge's history.`)
    const kept = this.runs.get(id)?.request ?? parseRequest(await this.history?.runRequest(id))
    if (!kept) throw new NotRerunnableError(`The workflows of run ${id} are no longer kept: ${keptWhat}.`)
    if (kept.kind === 'script')
      return {
        runId: id,
        workflows: kept.workflows.map((w) => ({
          name: w.name,
          format: isUiWorkflow(w.workflow) ? 'ui' : 'api',
          workflow: w.workflow,
        })),
      }
    const name = kept.name ?? PAGE_RUN_NAME
    const graph = (kept.extraData?.extra_pnginfo as { workflow?: unknown } | undefined)?.workflow
    return {
      runId: id,
      workflows: [
        isUiWorkflow(graph)
          ? { name, format: 'ui', workflow: graph as unknown as Record<string, unknown> }
          : { name, format: 'api', workflow: kept.prompt },
      ],
    }
  }

  /**
   * Run a recorded run again: the same workflows and options in the same
   * context, with the values the context holds now. `clientId` is the page
   * to show the progress on (a page run needs one; a fresh one is made).
   */
  async rerun(id: string, options: { clientId?: string } = {}): Promise<RunRecord> {
    const past = await this.find(id)
    if (!past) throw new RunNotFoundError(`There is no run "${id}" in the bridge's history.`)
    const live = this.runs.get(id)?.request
    const kept = live ?? parseRequest(await this.history?.runRequest(id))
    if (!kept)
      throw new NotRerunnableError(
        past.temporaryContext
          ? `Run ${id} ran in a context made for it alone, which is gone; run its workflows again in a context instead.`
          : `Run ${id} cannot be run again: ${keptWhat}, and this one is not among them.`,
      )
    if (!this.store.get(past.contextId) && !(await this.store.open(past.contextId).catch(() => undefined)))
      throw new ContextGoneError(
        `Run ${id} ran in context "${past.contextId}", which no longer exists; make a context durable to run in it again after a restart.`,
      )
    if (kept.kind === 'page') {
      const { run } = await this.submitPage({
        prompt: kept.prompt,
        contextId: past.contextId,
        clientId: options.clientId ?? `discomfort-rerun-${randomUUID()}`,
        ...(kept.extraData ? { extraData: kept.extraData } : {}),
        ...(kept.name ? { name: kept.name } : {}),
      })
      return run
    }
    const { kind: _kind, ...again } = kept
    return this.submit({
      ...again,
      context: past.contextId,
      ...(options.clientId ? { clientId: options.clientId } : {}),
    })
  }

  /**
   * Cancel a queued or running run: its ComfyUI job is cancelled and nothing
   * more is committed. On a shared Redis, a run another bridge holds is
   * cancelled by that bridge. False when the run is not queued or running.
   */
  async cancel(id: string): Promise<boolean> {
    const controller = this.controllers.get(id)
    if (controller) {
      controller.abort()
      return true
    }
    if (!this.feed || this.runs.has(id)) return false
    const run = await this.history?.run(id)
    if (!run || !runIsOpen(run.status)) return false
    await this.feed.askCancel(id)
    return true
  }

  /** Stop following the other bridges (the bridge is closing). */
  close(): void {
    for (const off of this.offFeed.splice(0)) off()
    for (const run of this.active())
      this.controllers
        .get(run.id)
        ?.abort('the bridge stopped while it ran (start the run again once the bridge is back)')
  }

  /** Wait for a run submitted here to end. */
  finished(run: RunRecord): Promise<void> {
    return (run as RunRecord & { finished?: Promise<void> }).finished ?? Promise.resolve()
  }
}
