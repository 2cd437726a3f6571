/**
 * Sweeps: many runs of the same workflows with different inputs, spread over
 * the server pool, recorded in the ledger before they are acknowledged and
 * resumed after a restart.
 *
 * Each item runs in its own ItemScope (the master context read through its
 * own receipts, its inputs and outputs in a layer of its own). When it
 * succeeds, its outputs are written under the sweep's folder
 * (`items/<n>-<key>.<ext>`; an item that is not committed is run and written
 * again, so a file cut short by a crash never counts), optionally committed to the master context as
 * `<key>.<n>`, and the item is committed in the ledger — once: a retry after
 * a commit finds it done, and a master key already written by that item is
 * not written again. A line per committed item goes to `manifest.jsonl`
 * (inputs → files), rebuilt from the ledger when a sweep resumes.
 *
 * An attempt that fails because its server stopped answering is retried on
 * another server (`attempts` in all); any other failure fails the item.
 */
import { setMaxListeners } from 'node:events'
import { mkdir, open, rename, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import {
  MAX_SWEEP_ITEMS,
  type ItemOutput,
  type SweepSpec,
  type SweepEvent,
  type SweepItem,
  type SweepView,
} from '../../shared/protocol/index.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { isServerFailure } from '../pool/serverPool.js'
import { runFailure, type LoadedWorkflow, type Runner, type WorkflowSpec } from '../runs/runner.js'
import type { ContextHandle, ContextStoreApi } from '../store/contextHandle.js'
import type { Ledger, NewSweep, SweepOptions } from '../ledger/ledger.js'
import { affinityKeys } from './affinity.js'
import { assertRoom, removeFile, storageError, writeWhole } from '../store/disk.js'
import { ItemScope } from './itemScope.js'
import { SweepEvents } from './sweepEvents.js'
import type { SweepService } from './sweepService.js'
import { manifestLine, outputFiles } from './itemFiles.js'
import { expandItems, SweepError, SweepNotFoundError } from './sweepSpec.js'

interface ActiveSweep {
  id: string
  master: ContextHandle
  workflows: LoadedWorkflow[]
  options: SweepOptions
  folder: string
  concurrency: number
  inflight: number
  /** Next item numbers to start, in order; refilled from the ledger. */
  queue: number[]
  cursor: number
  /** Items whose server failed: run again (before new ones), not on the servers named. */
  retries: Array<{ idx: number; exclude: string[] }>
  controller: AbortController
  exhausted: boolean
  /** manifest.jsonl, open for appending while the sweep runs. */
  manifest?: Promise<FileHandle> | undefined
  /** A line could not be appended: the manifest is written again whole from the ledger. */
  manifestStale?: boolean
}

export interface SweeperDeps {
  runner: Runner
  store: ContextStoreApi
  ledger: Ledger
  /** Folder for sweep outputs (each sweep in `<id>/`). */
  root: string
  /** Slots over the pool (the default concurrency is four times that plus 16, so the pool can choose by affinity). */
  capacity: () => number
  log?: (line: string) => void
}

export class Sweeper implements SweepService {
  private readonly active = new Map<string, ActiveSweep>()
  private readonly events = new SweepEvents()

  constructor(private readonly deps: SweeperDeps) {}

  /** Record a sweep (durably), answer with it, and start it. */
  async start(body: SweepSpec): Promise<SweepView> {
    const items = expandItems(body)
    const workflows = body.workflows as Array<{ name: string; workflow: Record<string, unknown> }>
    // What the ledger will hold for it (each item's inputs; what all share, once), refused now if the disk cannot.
    await assertRoom(
      this.deps.root,
      JSON.stringify(items).length + JSON.stringify(workflows).length,
      `a sweep of ${items.length} item(s)`,
    )
    // Converted once: a bad workflow fails the request, before anything is recorded.
    const loaded = await this.deps.runner.loadWorkflows(workflows as WorkflowSpec[])
    const master = body.context
      ? (this.deps.store.get(body.context) ?? (await this.deps.store.open(body.context)))
      : await this.deps.store.create({ durable: true, name: `sweep ${body.label ?? ''}`.trim() })
    const id = `sweep-${randomUUID().slice(0, 8)}`
    const folder = join(this.deps.root, id)
    await mkdir(folder, { recursive: true })
    const options: SweepOptions = {
      attempts: body.attempts ?? 3,
      commitToContext: body.commitToContext === true,
      ...(body.concurrency ? { concurrency: body.concurrency } : {}),
    }
    const record: NewSweep = { id, contextId: master.id, workflows, options, folder, items }
    if (body.label) record.label = body.label
    this.deps.ledger.createSweep(record)
    this.activate(id, master, loaded, options, folder)
    return this.view(id)
  }

  /** After a restart: sweeps that did not finish go on with what is left. */
  async resume(): Promise<string[]> {
    const ids = this.deps.ledger.recover()
    for (const id of ids) {
      const rec = this.deps.ledger.sweepRecord(id)!
      try {
        const master = this.deps.store.get(rec.contextId) ?? (await this.deps.store.open(rec.contextId))
        const loaded = await this.deps.runner.loadWorkflows(rec.workflows as WorkflowSpec[])
        await this.rewriteManifest(id, rec.folder)
        this.activate(id, master, loaded, rec.options, rec.folder)
        this.deps.log?.(`Sweep ${id}: resumed (${this.view(id).done} of ${this.view(id).total} done)`)
      } catch (e) {
        const error = runFailure(new SweepError(`Sweep ${id} cannot resume: ${(e as Error).message}`, { cause: e }))
        for (const idx of this.deps.ledger.pending(id, MAX_SWEEP_ITEMS)) this.deps.ledger.fail(id, idx, error, [])
        this.deps.ledger.finishIfDone(id)
        this.deps.log?.(error.message)
      }
    }
    return ids
  }

  view(id: string): SweepView {
    const v = this.deps.ledger.view(id)
    if (!v) throw new SweepNotFoundError(`There is no sweep "${id}".`)
    return v
  }

  list(): SweepView[] {
    return this.deps.ledger.list()
  }

  items(id: string, options: { after?: number; limit?: number; finished?: boolean } = {}): SweepItem[] {
    this.view(id)
    return this.deps.ledger.items(id, options)
  }

  /** Stop starting items; running ones are cancelled. Finished items stay. */
  cancel(id: string): SweepView {
    const s = this.active.get(id)
    if (s) {
      s.controller.abort()
      s.queue = []
      s.retries = []
      s.exhausted = true
    }
    for (const idx of this.deps.ledger.pending(id, MAX_SWEEP_ITEMS))
      this.deps.ledger.fail(
        id,
        idx,
        { name: 'SweepCancelled', code: 'cancelled', message: 'The sweep was cancelled.' },
        [],
      )
    if (!s || s.inflight === 0) this.finish(id, 'cancelled')
    return this.view(id)
  }

  /** Live events of every sweep. */
  onAny(listener: (id: string, e: SweepEvent) => void): () => void {
    return this.events.onAny(listener)
  }

  /** Live events of one sweep. */
  subscribe(id: string, listener: (e: SweepEvent) => void): () => void {
    return this.events.subscribe(id, listener)
  }

  isActive(id: string): boolean {
    return this.active.has(id)
  }

  async outputFile(id: string, _file: string): Promise<{ folder: string }> {
    return { folder: this.view(id).folder }
  }

  /** Stop starting items (bridge shutdown); what runs is abandoned and runs again at the next start. */
  stop(): void {
    for (const s of this.active.values()) {
      void s.manifest?.then((h) => h.close()).catch(() => {})
      s.exhausted = true
      s.queue = []
      s.retries = []
      s.controller.abort()
    }
    this.active.clear()
  }

  // --- running ------------------------------------------------------------------

  private activate(
    id: string,
    master: ContextHandle,
    workflows: LoadedWorkflow[],
    options: SweepOptions,
    folder: string,
  ) {
    const s: ActiveSweep = {
      id,
      master,
      workflows,
      options,
      folder,
      // Enough items waiting that a free server finds one that needs what it holds.
      concurrency: options.concurrency ?? this.deps.capacity() * 4 + 16,
      inflight: 0,
      queue: [],
      cursor: -1,
      retries: [],
      controller: new AbortController(),
      exhausted: false,
    }
    // Every item in flight listens on the sweep's signal.
    setMaxListeners(0, s.controller.signal)
    this.active.set(id, s)
    void mkdir(join(folder, 'items'), { recursive: true }).then(
      () => this.pump(s),
      (e: unknown) => this.deps.log?.(`Sweep ${id}: cannot write in ${folder}: ${(e as Error).message}`),
    )
  }

  private next(s: ActiveSweep): { idx: number; exclude: string[] } | undefined {
    const retry = s.retries.shift()
    if (retry) return retry
    if (s.queue.length === 0 && !s.exhausted) {
      s.queue = this.deps.ledger.pending(s.id, 512, s.cursor)
      if (s.queue.length === 0) s.exhausted = true
      else s.cursor = s.queue[s.queue.length - 1]!
    }
    const idx = s.queue.shift()
    return idx === undefined ? undefined : { idx, exclude: [] }
  }

  private pump(s: ActiveSweep): void {
    while (s.inflight < s.concurrency) {
      const next = this.next(s)
      if (!next) break
      s.inflight += 1
      void this.runItem(s, next.idx, next.exclude).finally(() => {
        s.inflight -= 1
        if (this.active.get(s.id) === s) this.pump(s)
      })
    }
    if (s.inflight === 0 && s.exhausted && s.retries.length === 0 && this.active.get(s.id) === s) {
      this.finish(s.id, s.controller.signal.aborted ? 'cancelled' : 'finished')
    }
  }

  private finish(id: string, status: 'finished' | 'cancelled'): void {
    const s = this.active.get(id)
    void s?.manifest?.then((h) => h.close()).catch(() => {})
    this.active.delete(id)
    if (this.deps.ledger.finishIfDone(id, status)) this.events.emit(id, { type: 'sweep', sweep: this.view(id) })
  }

  private async runItem(s: ActiveSweep, idx: number, exclude: string[]): Promise<void> {
    const item = this.deps.ledger.item(s.id, idx)
    if (item?.status !== 'pending') return
    const itemId = `${s.id}:${idx}`
    const scope = new ItemScope(s.master, itemId)
    let server: string | undefined
    let claimed = false
    try {
      await this.deps.runner.run(
        s.workflows.map((w) => ({ name: w.name, workflow: w.prompt })),
        {
          context: scope,
          inputs: item.inputs,
          runId: `${itemId}#${item.attempts + 1}`,
          signal: s.controller.signal,
          affinity: affinityKeys(
            s.workflows.map((w) => w.prompt as ApiPrompt),
            item.inputs,
          ),
          exclude,
          onLease: (lease) => {
            if (claimed) return
            claimed = true
            server = lease.server
            this.deps.ledger.markRunning(s.id, idx, lease.server, lease.reason)
            this.events.emit(s.id, { type: 'item', item: this.deps.ledger.item(s.id, idx)! })
          },
        },
      )
      const outputs = await this.writeOutputs(s, idx, scope)
      if (s.options.commitToContext) await this.commitToMaster(s, idx, itemId, scope)
      if (!claimed) this.deps.ledger.markRunning(s.id, idx, 'none', 'no prompt to queue')
      if (this.deps.ledger.commit(s.id, idx, outputs)) {
        const done = this.deps.ledger.item(s.id, idx)!
        this.events.emit(s.id, { type: 'item', item: done })
        await this.appendManifest(s, done)
      }
    } catch (e) {
      if (s.controller.signal.aborted) {
        if (this.active.get(s.id) === s) {
          this.deps.ledger.fail(s.id, idx, runFailure(e), item.failures ?? [])
          this.events.emit(s.id, { type: 'item', item: this.deps.ledger.item(s.id, idx)! })
        }
        return
      }
      const failure = runFailure(e)
      const failures = [...(item.failures ?? []), { server: server ?? 'none', error: failure }]
      const attempts = item.attempts + (claimed ? 1 : 0)
      if (isServerFailure(e) && attempts < s.options.attempts) {
        this.deps.ledger.retry(s.id, idx, failures)
        s.retries.push({ idx, exclude: [...exclude, ...(server ? [server] : [])] })
        return
      }
      if (!claimed) this.deps.ledger.markRunning(s.id, idx, server ?? 'none', 'failed before reaching a server')
      const final = isServerFailure(e)
        ? {
            ...failure,
            message: `Failed on ${failures.length} server(s): ${failures.map((f) => `${f.server}: ${f.error.message}`).join(' | ')}`,
          }
        : failure
      this.deps.ledger.fail(s.id, idx, final, failures)
      this.events.emit(s.id, { type: 'item', item: this.deps.ledger.item(s.id, idx)! })
    }
  }

  /**
   * The item's outputs as files under the sweep's folder. When the disk
   * refuses one, those already written for this item are removed and the item
   * fails with the storage error (the ledger never names a file that is not whole).
   */
  private async writeOutputs(s: ActiveSweep, idx: number, scope: ItemScope): Promise<ItemOutput[]> {
    const outputs: ItemOutput[] = []
    let file = ''
    try {
      for (const [key, { value }] of scope.produced()) {
        for (const [output, bytes] of outputFiles(idx, key, value)) {
          file = output.file
          await writeWhole(join(s.folder, file), bytes)
          outputs.push(output)
        }
      }
    } catch (e) {
      for (const f of [...outputs.map((o) => o.file), file]) await removeFile(join(s.folder, f)).catch(() => {})
      throw storageError(e, `writing the outputs of item ${idx} of ${s.id}`)
    }
    return outputs
  }

  /**
   * One line of manifest.jsonl per done item. The ledger is the record: when
   * the disk refuses a line, the manifest is written again from the ledger
   * with the next item (and at the next start), never half a line kept.
   */
  private async appendManifest(s: ActiveSweep, done: Parameters<typeof manifestLine>[0]): Promise<void> {
    try {
      if (s.manifestStale) {
        s.manifest = undefined
        await this.rewriteManifest(s.id, s.folder)
        s.manifestStale = false
        return
      }
      s.manifest ??= open(join(s.folder, 'manifest.jsonl'), 'a')
      await (await s.manifest).write(`${manifestLine(done)}\n`)
    } catch (e) {
      s.manifestStale = true
      s.manifest = undefined
      this.deps.log?.(
        `Sweep ${s.id}: manifest.jsonl not written (${(storageError(e, 'the manifest') as Error).message})`,
      )
    }
  }

  /** `<key>.<n>` in the master, once per item: a key that item already wrote is left alone. */
  private async commitToMaster(s: ActiveSweep, idx: number, itemId: string, scope: ItemScope): Promise<void> {
    for (const [key, { value, meta }] of scope.produced()) {
      const target = `${key}.${idx}`
      if (s.master.meta(target)?.producer === itemId) continue
      await s.master.save(target, value, { comfyType: meta.comfyType, passBy: meta.passBy, producer: itemId })
    }
  }

  private async rewriteManifest(id: string, folder: string): Promise<void> {
    const lines: string[] = []
    for (let after = -1; ; ) {
      const page = this.deps.ledger.items(id, { after, limit: 5000 })
      if (page.length === 0) break
      for (const item of page) if (item.status === 'done') lines.push(manifestLine(item))
      after = page[page.length - 1]!.index
    }
    await mkdir(folder, { recursive: true })
    const tmp = join(folder, `.manifest.${process.pid}.tmp`)
    await writeFile(tmp, lines.length ? `${lines.join('\n')}\n` : '')
    await rename(tmp, join(folder, 'manifest.jsonl'))
  }
}
