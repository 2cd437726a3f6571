/**
 * A sweep item's outputs as the files a person opens (`items/<n>-<key>.<ext>`:
 * PNG frames, a .latent, JSON), and its line in `manifest.jsonl`.
 */
import type { SweepItem } from '../../shared/protocol/index.js'
import type { ContextValue } from '../values/values.js'

export const manifestLine = (item: SweepItem): string =>
  JSON.stringify({
    index: item.index,
    inputs: item.inputs,
    outputs: Object.fromEntries((item.outputs ?? []).map((o) => [o.key, o.file])),
    server: item.server,
  })

const safeName = (key: string) => key.replace(/[^A-Za-z0-9._-]/g, '_')

/** Where an item's output goes under its sweep's folder (and the name clients ask for it by). */
export const outputFileName = (index: number, key: string, suffix: string): string =>
  `items/${index}-${safeName(key)}${suffix}`

/** A value as the files a person opens: PNG frames, a .latent, or JSON. */
export function fileBytes(value: ContextValue): Array<[string, Uint8Array]> {
  switch (value.kind) {
    case 'image':
      return value.frames.length === 1
        ? [['.png', value.frames[0]!]]
        : value.frames.map((f, i) => [`_${i}.png`, f] as [string, Uint8Array])
    case 'mask':
      return [['.png', value.png]]
    case 'latent':
      return [['.latent', value.bytes]]
    case 'ref':
      return [['.recipe.json', new TextEncoder().encode(JSON.stringify(value.recipe))]]
    default:
      return [['.json', new TextEncoder().encode(JSON.stringify('value' in value ? value.value : null))]]
  }
}
