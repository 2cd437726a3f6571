/**
 * A sweep item's outputs as the files a person opens (`items/<n>-<key>.<ext>`:
 * PNG frames, a .latent, JSON), and its line in `manifest.jsonl`.
 */
import { INLINE_OUTPUT_BYTES, type ItemOutput, type SweepItem } from '../../shared/protocol/index.js'
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

/** An item's output value as its files, each with the ItemOutput naming it (plain small values inline). */
export function outputFiles(index: number, key: string, value: ContextValue): Array<[ItemOutput, Uint8Array]> {
  return fileBytes(value).map(([suffix, bytes]) => {
    const output: ItemOutput = {
      key,
      kind: value.kind,
      file: outputFileName(index, key, suffix),
      bytes: bytes.byteLength,
    }
    const plain =
      value.kind === 'string' || value.kind === 'number' || value.kind === 'boolean' || value.kind === 'json'
    if (plain && bytes.byteLength <= INLINE_OUTPUT_BYTES) output.value = value.value
    return [output, bytes]
  })
}
