/**
 * Scripted runs shared by every bridge on one Redis: the bridge a client
 * submits to converts the workflows and saves the inputs into the (shared)
 * context, then queues the run as a BullMQ job; any bridge takes it and runs
 * it on its own pool. Its events come back over the bridges' channel, and its
 * end through BullMQ's event stream (which a reconnect does not lose), so the
 * client follows it from the bridge it asked.
 *
 * A bridge that dies holding a run has it taken over once its lock lapses:
 * the run starts again, and the workflows it had already committed change
 * nothing the second time (each step's commit is keyed by run, iteration and
 * workflow). Page runs are not queued here: they run on the page's own ComfyUI.
 */
import { Queue, QueueEvents, Worker, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { RunSpec } from '../../shared/protocol/index.js'
import { RunCancelledError, runFailure, type RunEvent, type RunFailure, type WorkflowSpec } from '../runs/runner.js'
import type { RemoteRun, RemoteRunner } from '../runs/manager.js'
import type { ContextValue } from '../values/values.js'
import type { RedisContextStore } from './redisContextStore.js'
import { sayOnce, type ClusterWorkerOptions } from './redis.js'

/** A run on the shared queue: its spec whole, with the workflows converted and its inputs already in the context. */
interface RunJob {
  runId: string
  contextId: string
  spec: Omit<RunSpec, 'context' | 'inputs'> & { workflows: Array<{ name: string; workflow: ApiPrompt }> }
}

/** How a run ended, as its job's result. */
type RunOutcome = { outputs: string[] } | { error: RunFailure }

export interface ClusterRunsOptions extends ClusterWorkerOptions {
  store: RedisContextStore
  /** A connection of its own for BullMQ's event stream (it blocks). */
  eventsRedis: Redis
}

const QUEUE = 'runs'

export class ClusterRuns implements RemoteRunner {
  private readonly queue: Queue<RunJob, RunOutcome>
  private readonly worker: Worker<RunJob, RunOutcome>
  private readonly queueEvents: QueueEvents
  /** Runs this bridge works on, to cancel. */
  private readonly running = new Map<string, AbortController>()
  /** Runs submitted here, told their events. */
  private readonly followers = new Map<string, (e: RunEvent) => void>()
  private readonly offMessages: () => void
  private stopping = false

  constructor(private readonly o: ClusterRunsOptions) {
    const bull = { prefix: `${o.prefix}:bull` }
    this.queue = new Queue<RunJob, RunOutcome>(QUEUE, { connection: o.redis, ...bull })
    this.queueEvents = new QueueEvents(QUEUE, { connection: o.eventsRedis, ...bull })
    this.worker = new Worker<RunJob, RunOutcome>(QUEUE, (job) => this.process(job), {
      connection: o.workerRedis,
      ...bull,
      concurrency: Math.max(1, o.capacity()),
      lockDuration: o.lockMs,
      stalledInterval: o.stalledCheckMs,
      maxStalledCount: 1000,
      name: o.bridge,
    })
    const said = sayOnce(o.log, `Run queue on Redis`)
    this.worker.on('error', said)
    this.queue.on('error', said)
    this.queueEvents.on('error', said)
    this.offMessages = o.store.onMessage((m) => {
      if (m.type === 'run-event') this.followers.get(String(m.runId))?.(m.event as RunEvent)
      if (m.type === 'run-cancel') this.running.get(String(m.runId))?.abort()
    })
  }

  /** Queue a run for any bridge; resolves with its outputs when it ends (its events told on the way). */
  async execute(
    run: RemoteRun,
    onEvent: (e: RunEvent) => void,
    signal: AbortSignal,
  ): Promise<Record<string, ContextValue>> {
    const { inputs, ...spec } = run.spec
    const workflows = await this.o.runner.loadWorkflows(spec.workflows as WorkflowSpec[])
    if (inputs) await this.o.runner.saveInputs(workflows, inputs, run.context)
    let ended = false
    this.followers.set(run.runId, (e) => {
      if (e.type === 'run-finished' || e.type === 'run-failed') ended = true
      onEvent(e)
    })
    const cancel = () => this.cancel(run.runId)
    signal.addEventListener('abort', cancel, { once: true })
    try {
      const job = await this.queue.add(
        'run',
        {
          runId: run.runId,
          contextId: run.context.id,
          spec: { ...spec, workflows: workflows.map((w) => ({ name: w.name, workflow: w.prompt })) },
        },
        {
          jobId: run.runId,
          // Attempts beyond the first only follow a bridge stopping under the run (its own failures end it).
          attempts: 10,
          backoff: { type: 'fixed', delay: 200 },
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 3600 },
        },
      )
      const outcome = await this.finished(job, signal)
      if ('error' in outcome) {
        if (!ended) onEvent({ type: 'run-failed', runId: run.runId, error: outcome.error })
        throw Object.assign(new Error(outcome.error.message), { name: outcome.error.name, code: outcome.error.code })
      }
      const outputs: Record<string, ContextValue> = {}
      for (const key of outcome.outputs) outputs[key] = await run.context.load(key)
      if (!ended) onEvent({ type: 'run-finished', runId: run.runId, outputs: outcome.outputs })
      return outputs
    } finally {
      signal.removeEventListener('abort', cancel)
      this.followers.delete(run.runId)
    }
  }

  /** Stop a run wherever it is: the bridge running it stops, or it leaves the queue if no bridge took it yet. */
  cancel(runId: string): void {
    void this.o.store.publish({ type: 'run-cancel', runId }).catch(() => {})
    void this.queue.remove(runId).catch(() => {})
  }

  /** The job's outcome from BullMQ's event stream; a cancelled job that never started ends here too. */
  private async finished(job: Job<RunJob, RunOutcome>, signal: AbortSignal): Promise<RunOutcome> {
    const aborted = new Promise<RunOutcome>((resolve) => {
      const check = () =>
        void this.queue.getJobState(job.id!).then(
          (state) => {
            if (state === 'unknown')
              resolve({ error: runFailure(new RunCancelledError(`Run ${job.id} was cancelled before it started.`)) })
          },
          () => {},
        )
      signal.addEventListener('abort', () => setTimeout(check, 200), { once: true })
    })
    return Promise.race([job.waitUntilFinished(this.queueEvents) as Promise<RunOutcome>, aborted])
  }

  private async process(job: Job<RunJob, RunOutcome>): Promise<RunOutcome> {
    const d = job.data
    const controller = new AbortController()
    this.running.set(d.runId, controller)
    try {
      const context = await this.o.store.open(d.contextId)
      const result = await this.o.runner.run(d.spec.workflows, {
        ...d.spec,
        context,
        runId: d.runId,
        signal: controller.signal,
        onEvent: (event) => {
          // A stopping bridge's run goes on elsewhere: its cancellation here is not the run's end.
          // Progress is best effort (Redis may be away for a moment); the run's end comes through BullMQ.
          if (!this.stopping) void this.o.store.publish({ type: 'run-event', runId: d.runId, event }).catch(() => {})
        },
      })
      return { outputs: Object.keys(result.outputs) }
    } catch (e) {
      // A stopping bridge leaves the run to another (its lock lapses); anything else is the run's own failure.
      if (this.stopping) throw e
      return { error: runFailure(e) }
    } finally {
      this.running.delete(d.runId)
    }
  }

  async stop(): Promise<void> {
    this.stopping = true
    this.offMessages()
    for (const c of this.running.values()) c.abort()
    await this.worker.close(true).catch(() => {})
    await this.queueEvents.close().catch(() => {})
    await this.queue.close().catch(() => {})
  }
}
