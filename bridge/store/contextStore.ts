/**
 * All contexts the bridge owns, under one folder (`<root>/<CONTEXTS_DIR_NAME>/<id>`).
 *
 * At start-up, ephemeral contexts left behind by a bridge that was killed are
 * removed; durable ones stay and can be opened again by id.
 */
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import {
  loadPassByRules,
  loadWorkflowContextConfig,
  ramCapacityBytes,
  type PassByRules,
  type WorkflowContextConfig,
} from './config.js'
import { Context, TRASH_PREFIX } from './context.js'
import { storageError } from './disk.js'
import { processAlive } from '../util/processAlive.js'
import type { ContextChangeListener, ContextStoreApi, CreateContextOptions } from './contextHandle.js'
import { ContextKeyError } from './errors.js'
import { newContextId, validateKey } from './keys.js'

export interface ContextStoreOptions {
  /** Folder that holds the contexts folder. */
  root: string
  config?: WorkflowContextConfig
  /** Overrides the capacity the config gives (bytes, per context). */
  ramCapacityBytes?: number
  passByRules?: PassByRules
  onChange?: ContextChangeListener
}

export class ContextStore implements ContextStoreApi {
  readonly dir: string
  readonly passByRules: PassByRules
  /** Opens under way, by id, so concurrent opens share one. */
  private readonly opening = new Map<string, Promise<Context>>()
  private readonly capacity: number
  private readonly contexts = new Map<string, Context>()
  private readonly onChange: ContextStoreOptions['onChange']

  constructor(options: ContextStoreOptions) {
    const config = options.config ?? loadWorkflowContextConfig()
    this.dir = join(options.root, config.CONTEXTS_DIR_NAME)
    this.capacity = options.ramCapacityBytes ?? ramCapacityBytes(config)
    this.passByRules = options.passByRules ?? loadPassByRules()
    this.onChange = options.onChange
  }

  /** Create the folder and clean up after bridges that died. Returns the ids of durable contexts found. */
  async init(): Promise<{ durable: string[]; removed: string[] }> {
    await mkdir(this.dir, { recursive: true })
    const durable: string[] = []
    const removed: string[] = []
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      const dir = join(this.dir, entry.name)
      if (entry.name.startsWith(TRASH_PREFIX)) {
        // A deleted context whose removal did not finish.
        await rm(dir, { recursive: true, force: true })
        continue
      }
      const receipts = await readFile(join(dir, 'receipts.json'), 'utf8').then(
        (t) => JSON.parse(t) as { durable?: boolean },
        () => undefined,
      )
      if (receipts?.durable) {
        durable.push(entry.name)
        continue
      }
      const owner = await readFile(join(dir, 'owner.json'), 'utf8').then(
        (t) => JSON.parse(t) as { pid?: number },
        () => undefined,
      )
      if (owner?.pid && owner.pid !== process.pid && processAlive(owner.pid)) continue // another live bridge owns it
      await rm(dir, { recursive: true, force: true })
      removed.push(entry.name)
    }
    return { durable, removed }
  }

  async create(options: CreateContextOptions = {}): Promise<Context> {
    const id = options.id === undefined ? newContextId() : validateKey(options.id, 'context id')
    // A folder of that name is a durable context not opened yet (a new random id never names one).
    if (this.contexts.has(id) || (options.id !== undefined && existsSync(join(this.dir, id)))) {
      throw new ContextKeyError(`A context with id "${id}" already exists; open it, or choose another id.`)
    }
    const context = new Context({
      id,
      dir: join(this.dir, id),
      durable: options.durable ?? false,
      ...(options.name !== undefined ? { name: options.name } : {}),
      ramCapacityBytes: options.ramCapacityBytes ?? this.capacity,
      passByRules: this.passByRules,
      ...(this.onChange ? { onChange: this.onChange } : {}),
    })
    try {
      await context.initialise()
    } catch (e) {
      await rm(context.dir, { recursive: true, force: true }).catch(() => {})
      throw storageError(e, `creating context ${id}`)
    }
    this.contexts.set(id, context)
    this.onChange?.(context, { keys: [] })
    return context
  }

  /**
   * An open context, or a durable one from disk. Concurrent opens of the same
   * context share one open: two copies restored side by side would each
   * write receipts.json, and the last writer would drop the other's keys.
   */
  open(id: string): Promise<Context> {
    const open = this.contexts.get(id)
    if (open && !open.isClosed) return Promise.resolve(open)
    let pending = this.opening.get(id)
    if (!pending) {
      pending = this.restore(id).finally(() => this.opening.delete(id))
      this.opening.set(id, pending)
    }
    return pending
  }

  private async restore(id: string): Promise<Context> {
    const dir = join(this.dir, validateKey(id, 'context id'))
    const receipts = await readFile(join(dir, 'receipts.json'), 'utf8').then(
      (t) => JSON.parse(t) as { durable?: boolean; name?: string },
      () => undefined,
    )
    if (!receipts)
      throw new ContextKeyError(
        `There is no context "${id}". Create it first (contexts: ${
          this.list()
            .map((c) => c.id)
            .join(', ') || 'none'
        }).`,
      )
    if (!receipts.durable)
      throw new ContextKeyError(`Context "${id}" was not durable and belongs to another bridge process.`)
    const context = new Context({
      id,
      dir,
      durable: true,
      ...(receipts.name !== undefined ? { name: receipts.name } : {}),
      ramCapacityBytes: this.capacity,
      passByRules: this.passByRules,
      ...(this.onChange ? { onChange: this.onChange } : {}),
    })
    await context.restore()
    this.contexts.set(id, context)
    return context
  }

  get(id: string): Context | undefined {
    const c = this.contexts.get(id)
    return c && !c.isClosed ? c : undefined
  }

  list(): Context[] {
    return [...this.contexts.values()].filter((c) => !c.isClosed)
  }

  /** Close a context: all of its RAM and disk data go. */
  async close(id: string): Promise<boolean> {
    const c = this.contexts.get(id)
    if (!c) return false
    await c.close()
    this.contexts.delete(id)
    this.onChange?.(c, { keys: [], deleted: true })
    return true
  }

  /** Bridge shutdown: ephemeral contexts are removed, durable ones stay on disk. */
  async shutdown(): Promise<void> {
    for (const c of this.contexts.values()) await c.detach()
    this.contexts.clear()
  }
}
