/**
 * A sweep seen from a client: submitted (or re-attached by id), followed as
 * its items finish, each with its inputs and output files. Following is
 * resumable: a dropped connection is picked up again, and items already
 * seen are not yielded twice.
 */
import type { SweepBody, SweepEvent, SweepItem, SweepView } from '../../shared/protocol/index.js'
import { BridgeError } from './bridgeHttp.js'
import { readSse } from './sse.js'

type Value = string | number | boolean

export interface SweepArgs {
  /** The master context's id (items read it; it is not changed unless `commitToContext`). */
  context?: string
  /** Inputs every item gets. */
  base?: Record<string, Value>
  /** Values per key: the items are every combination (the last key varies fastest). */
  vary?: Record<string, Value[]>
  /** Or: one input set per item. */
  items?: Array<Record<string, Value>>
  /** Items in flight at once (default: four times the pool's slots, plus 16). */
  concurrency?: number
  /** Attempts per item when servers fail under it (default 3). */
  attempts?: number
  /** Also commit each item's outputs to the master as `<key>.<n>`. */
  commitToContext?: boolean
  label?: string
}

export function sweepBody(workflows: SweepBody['workflows'], args: SweepArgs): SweepBody {
  return {
    workflows,
    ...(args.context ? { context: args.context } : {}),
    ...(args.base ? { base: args.base } : {}),
    ...(args.vary ? { vary: args.vary } : {}),
    ...(args.items ? { items: args.items } : {}),
    ...(args.concurrency ? { concurrency: args.concurrency } : {}),
    ...(args.attempts ? { attempts: args.attempts } : {}),
    ...(args.commitToContext ? { commit_to_context: true } : {}),
    ...(args.label ? { label: args.label } : {}),
  }
}

export class SweepHandle implements AsyncIterable<SweepItem> {
  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    readonly id: string,
  ) {}

  private async call<T>(method: string, path: string): Promise<T> {
    const res = await fetch(`${this.url}/api/sweeps/${encodeURIComponent(this.id)}${path}`, {
      method,
      headers: this.headers,
    })
    const body = (await res.json().catch(() => undefined)) as T & { error?: { message: string; type: string } }
    if (!res.ok)
      throw new BridgeError(
        body?.error?.message ?? `sweep ${this.id}: ${res.status}`,
        res.status,
        body?.error?.type ?? 'http',
      )
    return body
  }

  /** Where it stands: done, failed, running, of total. */
  view(): Promise<SweepView> {
    return this.call('GET', '')
  }

  cancel(): Promise<SweepView> {
    return this.call('POST', '/cancel')
  }

  /** The bytes of one output file of an item (as named in `item.outputs`). */
  async file(item: SweepItem, key: string): Promise<Uint8Array> {
    const out = item.outputs?.find((o) => o.key === key)
    if (!out) throw new BridgeError(`Item ${item.index} of sweep ${this.id} has no output "${key}".`, 404, 'not_found')
    // Asked again while the bridge does not answer (a restart takes seconds), for up to a minute.
    const end = Date.now() + 60_000
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${this.url}/api/sweeps/${encodeURIComponent(this.id)}/${out.file}`, {
          headers: this.headers,
        })
        if (res.ok) return new Uint8Array(await res.arrayBuffer())
        if (res.status < 500 || Date.now() > end)
          throw new BridgeError(`${out.file}: ${res.status}`, res.status, res.status === 404 ? 'not_found' : 'http')
      } catch (e) {
        if (e instanceof BridgeError || Date.now() > end) throw e
      }
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)))
    }
  }

  /**
   * Finished items (done or failed) as they finish, each once, until the
   * sweep ends; `onProgress` hears every event (items starting, the end).
   */
  async *results(onProgress?: (e: SweepEvent) => void): AsyncGenerator<SweepItem> {
    const seen = new Set<number>()
    for (let attempt = 0; ; attempt++) {
      let ended = false
      try {
        const res = await fetch(`${this.url}/api/sweeps/${encodeURIComponent(this.id)}/events`, {
          headers: this.headers,
        })
        if (!res.ok || !res.body) throw new BridgeError(`sweep ${this.id}: ${res.status}`, res.status, 'http')
        for await (const m of readSse(res.body as unknown as AsyncIterable<Uint8Array>)) {
          const e = JSON.parse(m.data) as SweepEvent
          onProgress?.(e)
          if (e.type === 'sweep') {
            ended = e.sweep.status !== 'running'
            continue
          }
          const { item } = e
          if ((item.status === 'done' || item.status === 'failed') && !seen.has(item.index)) {
            seen.add(item.index)
            yield item
          }
        }
      } catch (e) {
        if (e instanceof BridgeError && e.status >= 400 && e.status < 500) throw e
        if (attempt >= 30) throw e
      }
      if (ended) return
      // The stream dropped (the bridge restarted, say): come back for what is left.
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)))
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<SweepItem> {
    return this.results()
  }
}
