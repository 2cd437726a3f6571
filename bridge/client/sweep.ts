/**
 * A sweep seen from a client: submitted (or re-attached by id), followed as
 * its items finish, each with its inputs and output files. Following is
 * resumable: a dropped connection is picked up again, and items already
 * seen are not yielded twice.
 */
import { pathOf, readErrorAnswer, routePaths } from '../../shared/protocol/paths.js'
import type { RoutePath, SweepEvent, SweepItem, SweepSettings, SweepView } from '../../shared/protocol/index.js'
import { BridgeError } from './bridgeHttp.js'
import { readSse } from './sse.js'

/** A sweep's settings as the client takes them: its SweepSpec but the workflows. */
export type SweepArgs = SweepSettings

export class SweepHandle implements AsyncIterable<SweepItem> {
  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    readonly id: string,
  ) {}

  private async call<T>(route: RoutePath & { path: `${string}:id${string}` }): Promise<T> {
    const res = await fetch(`${this.url}${pathOf(route, { id: this.id })}`, {
      method: route.method,
      headers: this.headers,
    })
    const body = (await res.json().catch(() => undefined)) as T
    if (!res.ok) {
      const { message, code } = readErrorAnswer(res.status, body, `sweep ${this.id}`)
      throw new BridgeError(message, res.status, code)
    }
    return body
  }

  /** Where it stands: done, failed, running, of total. */
  view(): Promise<SweepView> {
    return this.call(routePaths.sweep)
  }

  cancel(): Promise<SweepView> {
    return this.call(routePaths.cancelSweep)
  }

  /** The bytes of one output file of an item (as named in `item.outputs`). */
  async file(item: SweepItem, key: string): Promise<Uint8Array> {
    const out = item.outputs?.find((o) => o.key === key)
    if (!out) throw new BridgeError(`Item ${item.index} of sweep ${this.id} has no output "${key}".`, 404, 'not_found')
    // A small plain value came with the item: its file is its JSON.
    if ('value' in out) return new TextEncoder().encode(JSON.stringify(out.value))
    // Asked again while the bridge does not answer (a restart takes seconds), for up to a minute.
    const end = Date.now() + 60_000
    for (let attempt = 0; ; attempt++) {
      try {
        const file = out.file.replace(/^items\//, '')
        const res = await fetch(`${this.url}${pathOf(routePaths.sweepFile, { id: this.id, file })}`, {
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
        // Without a progress listener, items are sent only once finished (half the events).
        const query = onProgress ? {} : { finished: 1 }
        const res = await fetch(`${this.url}${pathOf(routePaths.sweepEvents, { id: this.id }, query)}`, {
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
