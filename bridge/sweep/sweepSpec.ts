/**
 * What a sweep spec means, for every sweeper (this process's and the one the
 * bridges on a Redis share): its items, and the errors a sweep is refused with.
 */
import { DiscomfortError } from '../../shared/errors.js'
import { MAX_SWEEP_ITEMS, type ItemInputs, type SweepSpec } from '../../shared/protocol/index.js'

export class SweepError extends DiscomfortError {
  static override code = 'bad_sweep'
  static override status = 400
  override name = 'SweepError'
}

export class SweepNotFoundError extends DiscomfortError {
  static override code = 'sweep_not_found'
  static override status = 404
  override name = 'SweepNotFoundError'
}

/** The items of a sweep body: its input sets, or every combination of `vary` over `base`. */
export function expandItems(body: Pick<SweepSpec, 'base' | 'vary' | 'items'>): ItemInputs[] {
  const base = body.base ?? {}
  if (body.items) return body.items.map((i) => ({ ...base, ...i }))
  const entries = Object.entries(body.vary ?? {})
  const total = entries.reduce((n, [, values]) => n * values.length, 1)
  if (total > MAX_SWEEP_ITEMS) {
    throw new SweepError(
      `The sweep would have ${total.toLocaleString('en')} items (${entries.map(([k, v]) => `${k}: ${v.length}`).join(' × ')}); at most ${MAX_SWEEP_ITEMS.toLocaleString('en')}. Split it.`,
    )
  }
  const items: ItemInputs[] = []
  for (let n = 0; n < total; n++) {
    const item: ItemInputs = { ...base }
    let rest = n
    for (let k = entries.length - 1; k >= 0; k--) {
      const [key, values] = entries[k]!
      item[key] = values[rest % values.length]!
      rest = Math.floor(rest / values.length)
    }
    items.push(item)
  }
  return items
}
