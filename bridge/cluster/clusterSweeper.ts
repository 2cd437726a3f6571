/**
 * Sweeps shared by every bridge on one Redis: each item is a BullMQ job, and
 * every bridge works on them with its own server pool.
 *
 * The sweep's record lives beside its master context in Redis (same hash
 * tag): its definition, its counters, and a record per started item. An
 * item's outputs are committed into the master as `<key>.<n>` together with
 * its record and the done count, in one script guarded by the item's receipt
 * (`<sweep>:<n>`), so however many times BullMQ hands the item out — a bridge
 * that died holding it, or one that paused past its lock — it is committed
 * once. A job whose bridge stopped renewing its lock is handed to another
 * bridge by BullMQ's stalled-job check (after `lockMs`).
 *
 * Affinity works within each bridge (its pool prefers servers that hold what
 * an item loads); BullMQ hands items out in order, not by what a bridge holds.
 */
import { setMaxListeners } from 'node:events'
import { randomUUID } from 'node:crypto'
import { DelayedError, Queue, Worker, type Job } from 'bullmq'
import type { ItemInputs, SweepSpec, SweepEvent, SweepItem, SweepView } from '../../shared/protocol/index.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { isServerFailure } from '../pool/serverPool.js'
import { runFailure, type LoadedWorkflow, type WorkflowSpec } from '../runs/runner.js'
import { ContextKeyError } from '../store/errors.js'
import { affinityKeys } from '../sweep/affinity.js'
import { fileBytes, outputFileName, outputFiles } from '../sweep/itemFiles.js'
import { ItemScope } from '../sweep/itemScope.js'
import { SweepEvents } from '../sweep/sweepEvents.js'
import { expandItems, SweepNotFoundError } from '../sweep/sweepSpec.js'
import type { SweepService } from '../sweep/sweepService.js'
import { runScript, sayOnce, type ClusterWorkerOptions, type RedisKeys } from './redis.js'
import type { RedisContext } from './redisContext.js'
import type { RedisContextStore } from './redisContextStore.js'
import { END_ATTEMPT, FINISH_IF_DONE, START_ITEM } from './sweepScripts.js'

interface ItemJob {
  sweepId: string
  contextId: string
  index: number
  inputs: ItemInputs
}

/** A sweep as this bridge works on it: its workflows converted once, its master, and a signal for cancel. */
interface Definition {
  id: string
  master: RedisContext
  workflows: LoadedWorkflow[]
  attempts: number
  controller: AbortController
}

export interface ClusterSweeperOptions extends ClusterWorkerOptions {
  store: RedisContextStore
  keys: RedisKeys
  /** Where Redis is, for people (a sweep's "folder"). */
  where: string
}

const QUEUE = 'sweep-items'
/** How long an item waits before it looks again for a free place in its sweep's concurrency (ms). */
const CONCURRENCY_WAIT_MS = 100
const now = () => new Date().toISOString()

export class ClusterSweeper implements SweepService {
  private readonly queue: Queue<ItemJob>
  private readonly worker: Worker<ItemJob>
  private readonly events = new SweepEvents()
  private readonly definitions = new Map<string, Promise<Definition>>()
  private readonly offMessages: () => void
  private readonly resize: NodeJS.Timeout
  /** The bridge is stopping: what it was running is left for the others, not failed. */
  private stopping = false

  constructor(private readonly o: ClusterSweeperOptions) {
    const bull = { prefix: `${o.prefix}:bull` }
    this.queue = new Queue<ItemJob>(QUEUE, { connection: o.redis, ...bull })
    this.worker = new Worker<ItemJob>(QUEUE, (job, token) => this.process(job, token), {
      connection: o.workerRedis,
      ...bull,
      // Room to wait for a slot while the pool picks by affinity, without holding what other bridges could run.
      concurrency: this.concurrency(),
      lockDuration: o.lockMs,
      stalledInterval: o.stalledCheckMs,
      // A job stalls only when its bridge died or froze; BullMQ would fail one that stalls too often and drop
      // it without a word, so that limit is out of reach: the item is counted by the next bridge that runs it.
      maxStalledCount: 1000,
      name: o.bridge,
    })
    const said = sayOnce(o.log, `Sweep queue on Redis`)
    this.worker.on('error', said)
    this.queue.on('error', said)
    // BullMQ's own attempts ran out (Redis failing under the worker, again and again): counted as failed, once.
    this.worker.on('failed', (job, e) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) void this.endAttempt(job.data, e, true).catch(() => {})
    })
    this.resize = setInterval(() => {
      const n = this.concurrency()
      if (this.worker.concurrency !== n) this.worker.concurrency = n
    }, 2000)
    this.resize.unref()
    this.offMessages = o.store.onMessage((m) => this.message(m))
  }

  private concurrency(): number {
    return Math.max(1, this.o.capacity() * 2)
  }

  // --- the record ------------------------------------------------------------------

  private async contextOf(id: string): Promise<string> {
    const contextId = await this.o.redis.hget(this.o.keys.sweepContexts, id)
    if (!contextId) throw new SweepNotFoundError(`There is no sweep "${id}".`)
    return contextId
  }

  async start(body: SweepSpec): Promise<SweepView> {
    const items = expandItems(body)
    const workflows = body.workflows as Array<{ name: string; workflow: Record<string, unknown> }>
    await this.o.runner.loadWorkflows(workflows as WorkflowSpec[])
    const master = body.context
      ? await this.o.store.open(body.context)
      : await this.o.store.create({ name: `sweep ${body.label ?? ''}`.trim() })
    const id = `sweep-${randomUUID().slice(0, 8)}`
    const createdAt = now()
    const k = this.o.keys
    await this.o.redis
      .multi()
      .hset(k.sweep(master.id, id), {
        id,
        contextId: master.id,
        ...(body.label ? { label: body.label } : {}),
        names: JSON.stringify(workflows.map((w) => w.name)),
        workflows: JSON.stringify(workflows),
        attempts: body.attempts ?? 3,
        // Across all bridges: an item starts only while fewer of the sweep's items run.
        ...(body.concurrency ? { concurrency: body.concurrency } : {}),
        total: items.length,
        done: 0,
        failed: 0,
        status: 'running',
        createdAt,
        inputs: JSON.stringify(items),
      })
      .hset(k.sweepContexts, id, master.id)
      .zadd(k.sweeps, Date.parse(createdAt), id)
      .exec()
    // Each item a job, named by its sweep and number (adding it again changes nothing).
    const attempts = body.attempts ?? 3
    for (let from = 0; from < items.length; from += 1000) {
      await this.queue.addBulk(
        items.slice(from, from + 1000).map((inputs, i) => ({
          name: 'item',
          data: { sweepId: id, contextId: master.id, index: from + i, inputs },
          opts: {
            jobId: `${id}-${from + i}`,
            // Retries are ours (a server that fails under an item); this only covers a bridge failing under it.
            attempts: attempts + 10,
            backoff: { type: 'fixed', delay: 300 },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      )
    }
    void this.o.store.publish({ type: 'sweep', id }).catch(() => {})
    return this.view(id)
  }

  async view(id: string): Promise<SweepView> {
    const contextId = await this.contextOf(id)
    const k = this.o.keys
    const [[, fields], [, running]] = (await this.o.redis
      .multi()
      .hmget(k.sweep(contextId, id), 'label', 'names', 'total', 'done', 'failed', 'status', 'createdAt', 'finishedAt')
      .hlen(k.sweepRunning(contextId, id))
      .exec()) as [[null, Array<string | null>], [null, number]]
    const [label, names, total, done, failed, status, createdAt, finishedAt] = fields
    if (!status) throw new SweepNotFoundError(`There is no sweep "${id}".`)
    return {
      id,
      ...(label ? { label } : {}),
      status: status as SweepView['status'],
      contextId,
      workflows: JSON.parse(names ?? '[]') as string[],
      total: Number(total),
      done: Number(done),
      failed: Number(failed),
      running: status === 'running' ? running : 0,
      createdAt: createdAt ?? '',
      ...(finishedAt ? { finishedAt } : {}),
      folder: `${this.o.where} (outputs in context ${contextId})`,
    }
  }

  async list(): Promise<SweepView[]> {
    const ids = await this.o.redis.zrevrange(this.o.keys.sweeps, 0, 99)
    const views = await Promise.all(ids.map((id) => this.view(id).catch(() => undefined)))
    return views.filter((v): v is SweepView => v !== undefined)
  }

  async items(id: string, options: { after?: number; limit?: number; finished?: boolean } = {}): Promise<SweepItem[]> {
    const contextId = await this.contextOf(id)
    const [[, inputsText], [, records]] = (await this.o.redis
      .multi()
      .hget(this.o.keys.sweep(contextId, id), 'inputs')
      .hgetall(this.o.keys.sweepItems(contextId, id))
      .exec()) as [[null, string | null], [null, Record<string, string>]]
    const inputs = JSON.parse(inputsText ?? '[]') as ItemInputs[]
    const out: SweepItem[] = []
    const limit = options.limit ?? 1000
    for (let index = (options.after ?? -1) + 1; index < inputs.length && out.length < limit; index++) {
      const text = records[String(index)]
      const item: SweepItem = text
        ? (JSON.parse(text) as SweepItem)
        : { sweepId: id, index, status: 'pending', inputs: inputs[index]!, attempts: 0 }
      if (options.finished && item.status !== 'done' && item.status !== 'failed') continue
      out.push(item)
    }
    return out
  }

  async cancel(id: string): Promise<SweepView> {
    const contextId = await this.contextOf(id)
    await runScript(
      this.o.redis,
      `if redis.call('HGET', KEYS[1], 'status') == 'running' then redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finishedAt', ARGV[1]) end`,
      1,
      this.o.keys.sweep(contextId, id),
      now(),
    )
    await this.o.store.publish({ type: 'sweep', id, cancelled: true })
    return this.view(id)
  }

  async isActive(id: string): Promise<boolean> {
    return (await this.view(id)).status === 'running'
  }

  async outputFile(id: string, file: string): Promise<{ bytes: Uint8Array }> {
    const contextId = await this.contextOf(id)
    const index = Number.parseInt(file, 10)
    const text = await this.o.redis.hget(this.o.keys.sweepItems(contextId, id), String(index))
    const output = text ? (JSON.parse(text) as SweepItem).outputs?.find((o) => o.file === `items/${file}`) : undefined
    if (!output) throw new ContextKeyError(`Sweep ${id} has no output items/${file}.`)
    const master = await this.o.store.open(contextId)
    const value = await master.load(`${output.key}.${index}`)
    const found = fileBytes(value).find(([suffix]) => outputFileName(index, output.key, suffix) === output.file)
    if (!found) throw new ContextKeyError(`Sweep ${id} has no output items/${file}.`)
    return { bytes: found[1] }
  }

  // --- events ----------------------------------------------------------------------

  /** What any bridge said about sweeps (this one's own messages included). */
  private message(m: Record<string, unknown>): void {
    if (m.type === 'sweep-item') this.events.emit(String(m.id), { type: 'item', item: m.item as SweepItem })
    if (m.type === 'sweep') {
      const id = String(m.id)
      if (m.cancelled)
        void this.definitions
          .get(id)
          ?.then((d) => d.controller.abort())
          .catch(() => {})
      void this.view(id).then(
        (sweep) => {
          if (sweep.status !== 'running') this.definitions.delete(id)
          this.events.emit(id, { type: 'sweep', sweep })
        },
        () => {},
      )
    }
  }

  onAny(listener: (id: string, e: SweepEvent) => void): () => void {
    return this.events.onAny(listener)
  }

  subscribe(id: string, listener: (e: SweepEvent) => void): () => void {
    return this.events.subscribe(id, listener)
  }

  // --- working on items --------------------------------------------------------------

  private definition(sweepId: string, contextId: string): Promise<Definition> {
    let d = this.definitions.get(sweepId)
    if (!d) {
      d = (async () => {
        const [workflows, attempts] = await this.o.redis.hmget(
          this.o.keys.sweep(contextId, sweepId),
          'workflows',
          'attempts',
        )
        if (!workflows) throw new SweepNotFoundError(`There is no sweep "${sweepId}".`)
        return {
          id: sweepId,
          master: await this.o.store.open(contextId),
          workflows: await this.o.runner.loadWorkflows(JSON.parse(workflows) as WorkflowSpec[]),
          attempts: Number(attempts ?? 3),
          controller: (() => {
            // Every item in flight listens on the sweep's signal.
            const c = new AbortController()
            setMaxListeners(0, c.signal)
            return c
          })(),
        }
      })()
      d.catch(() => this.definitions.delete(sweepId))
      this.definitions.set(sweepId, d)
    }
    return d
  }

  private record(job: ItemJob, fields: Partial<SweepItem>, previous?: SweepItem): SweepItem {
    return {
      sweepId: job.sweepId,
      index: job.index,
      inputs: job.inputs,
      attempts: previous?.attempts ?? 0,
      ...(previous?.failures ? { failures: previous.failures } : {}),
      status: 'pending',
      ...fields,
    }
  }

  private async previous(job: ItemJob): Promise<SweepItem | undefined> {
    const text = await this.o.redis.hget(this.o.keys.sweepItems(job.contextId, job.sweepId), String(job.index))
    return text ? (JSON.parse(text) as SweepItem) : undefined
  }

  private async process(job: Job<ItemJob>, token?: string): Promise<void> {
    const data = job.data
    const k = this.o.keys
    const itemId = `${data.sweepId}:${data.index}`
    const pending: SweepItem = {
      sweepId: data.sweepId,
      index: data.index,
      status: 'pending',
      inputs: data.inputs,
      attempts: 0,
    }
    const [outcome, detail] = (await runScript(
      this.o.redis,
      START_ITEM,
      4,
      k.sweep(data.contextId, data.sweepId),
      k.sweepItems(data.contextId, data.sweepId),
      k.sweepRunning(data.contextId, data.sweepId),
      k.receipts(data.contextId),
      data.index,
      itemId,
      this.o.bridge,
      now(),
      JSON.stringify(pending),
    )) as [string, string?]
    if (outcome === 'wait') {
      // The sweep's concurrency is taken: back in the queue for a moment, without counting an attempt.
      await job.moveToDelayed(Date.now() + CONCURRENCY_WAIT_MS, token)
      throw new DelayedError()
    }
    if (outcome === 'stopped') {
      if (detail === 'cancelled')
        await this.endAttempt(
          data,
          Object.assign(new Error('The sweep was cancelled.'), { name: 'SweepCancelled' }),
          true,
        )
      return
    }
    // Committed by a bridge that stopped before BullMQ heard it was done (and maybe before it ended the sweep).
    if (outcome !== 'started') return this.finishIfDone(data)
    const started = JSON.parse(detail!) as SweepItem
    const d = await this.definition(data.sweepId, data.contextId)
    const scope = new ItemScope(d.master, itemId)
    let server = this.o.bridge
    let reason = ''
    try {
      await this.o.runner.run(
        d.workflows.map((w) => ({ name: w.name, workflow: w.prompt })),
        {
          context: scope,
          inputs: data.inputs,
          runId: `${itemId}#${started.attempts}`,
          signal: d.controller.signal,
          affinity: affinityKeys(
            d.workflows.map((w) => w.prompt as ApiPrompt),
            data.inputs,
          ),
          onLease: (lease) => {
            server = `${this.o.bridge} › ${lease.server}`
            reason = lease.reason
          },
        },
      )
      const produced = [...scope.produced()]
      const outputs = produced.flatMap(([key, { value }]) =>
        outputFiles(data.index, key, value).map(([output]) => output),
      )
      const done: SweepItem = {
        ...started,
        status: 'done',
        server,
        ...(reason ? { reason } : {}),
        outputs,
        finishedAt: now(),
      }
      await d.master.commit(
        produced.map(([key, { value, meta }]) => ({
          key: `${key}.${data.index}`,
          value,
          options: { comfyType: meta.comfyType, passBy: meta.passBy, producer: itemId },
        })),
        { runId: itemId, read: [] },
        {
          itemsKey: k.sweepItems(data.contextId, data.sweepId),
          sweepKey: k.sweep(data.contextId, data.sweepId),
          runningKey: k.sweepRunning(data.contextId, data.sweepId),
          index: data.index,
          record: JSON.stringify(done),
          channel: k.events,
          message: this.o.store.message({ type: 'sweep-item', id: data.sweepId, item: done }),
          endMessage: this.o.store.message({ type: 'sweep', id: data.sweepId }),
        },
      )
    } catch (e) {
      if (this.stopping) throw e
      const retry = !d.controller.signal.aborted && isServerFailure(e) && started.attempts < d.attempts
      await this.endAttempt(data, e, !retry, { ...started, server })
      // BullMQ hands it out again (to any bridge) after its backoff.
      if (retry) throw e
    }
  }

  /** An attempt ended without a commit: pending again, or failed for good (counted once). */
  private async endAttempt(data: ItemJob, e: unknown, final: boolean, attempt?: SweepItem): Promise<void> {
    const k = this.o.keys
    const previous = attempt ?? (await this.previous(data))
    const failure = runFailure(e)
    const failures = [...(previous?.failures ?? []), { server: previous?.server ?? this.o.bridge, error: failure }]
    const record = this.record(
      data,
      final
        ? { status: 'failed', error: failure, failures, finishedAt: now(), attempts: previous?.attempts ?? 0 }
        : { status: 'pending', failures, attempts: previous?.attempts ?? 0 },
      previous,
    )
    const changed = await runScript(
      this.o.redis,
      END_ATTEMPT,
      3,
      k.sweepItems(data.contextId, data.sweepId),
      k.sweepRunning(data.contextId, data.sweepId),
      k.sweep(data.contextId, data.sweepId),
      data.index,
      JSON.stringify(record),
      final ? '1' : '0',
      k.events,
      this.o.store.message({ type: 'sweep-item', id: data.sweepId, item: record }),
    )
    if (changed === 1 && final) await this.finishIfDone(data)
  }

  /** End the sweep if every item is done or failed (told on the channel by the script, once). */
  private async finishIfDone(data: ItemJob): Promise<void> {
    await runScript(
      this.o.redis,
      FINISH_IF_DONE,
      1,
      this.o.keys.sweep(data.contextId, data.sweepId),
      now(),
      this.o.keys.events,
      this.o.store.message({ type: 'sweep', id: data.sweepId }),
    )
  }

  /** Nothing to resume: the jobs are in Redis, and every bridge works on them. */
  async resume(): Promise<string[]> {
    return (await this.list()).filter((s) => s.status === 'running').map((s) => s.id)
  }

  /** Stop working on items: what this bridge held goes to the others once its locks lapse. */
  async stop(): Promise<void> {
    this.stopping = true
    clearInterval(this.resize)
    this.offMessages()
    for (const d of this.definitions.values()) void d.then((x) => x.controller.abort()).catch(() => {})
    await this.worker.close(true).catch(() => {})
    await this.queue.close().catch(() => {})
  }
}
