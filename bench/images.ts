/**
 * The image path, side by side: a PNG in → ImageInvert → PNG out, through
 * ComfyUI's API used directly (upload, queue, follow, /view), through the
 * bridge in process, and through the bridge over HTTP; then a large value
 * saved and loaded over HTTP. Each run gets its own image, so every path
 * uploads and executes (ComfyUI's cache never answers for it). Used by
 * `npm run bench` (the stand-in) and `npm run bench:real` (a real ComfyUI).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Discomfort } from '../bridge/client/discomfort.js'
import { encodePng } from '../bridge/codec/png.js'
import { ComfyClient } from '../bridge/comfy/comfyClient.js'
import { ComfyHttp } from '../bridge/comfy/comfyHttp.js'
import type { ContextValue } from '../bridge/values/values.js'
import type { ApiPrompt } from '../shared/index.js'
import { freePort } from '../test/helpers/net.js'

type Row = (name: string, value: string) => void

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** An image that compresses like a photo (gradients and noise: PNG cannot shrink it to nothing), different per seed. */
export function testImage(size: number, seed: number): ContextValue {
  const rgba = new Uint8Array(size * size * 4)
  let noise = seed * 2654435761
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      noise = (noise * 1103515245 + 12345) >>> 0
      const i = (y * size + x) * 4
      rgba[i] = (x * 255) / size + (noise & 15)
      rgba[i + 1] = (y * 255) / size + ((noise >> 4) & 15)
      rgba[i + 2] = (noise >> 8) & 255
      rgba[i + 3] = 255
    }
  }
  return { kind: 'image', frames: [encodePng({ width: size, height: size, rgba })], width: size, height: size }
}

export const invertWorkflow: ApiPrompt = {
  '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'picture' } },
  '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
  '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'inverted', input_data: ['2', 0] } },
}

export async function imageBench(
  comfyUrl: string,
  row: Row,
  plan: Array<{ size: number; runs: number }>,
): Promise<void> {
  // Made first: encoding them takes seconds, and no connection should sit idle meanwhile.
  const imagesBySize = new Map(
    plan.map(({ size, runs }) => [size, Array.from({ length: 3 * (runs + 1) }, (_, i) => testImage(size, size + i))]),
  )
  const big = testImage(2048, 1)
  const root = mkdtempSync(join(tmpdir(), 'discomfort-bench-images-'))
  const local = await Discomfort.create({
    bridgeUrl: `http://127.0.0.1:${await freePort()}`,
    comfyUrl,
    bridge: { root },
  })
  const remote = await Discomfort.create({ bridgeUrl: local.url })
  const direct = new ComfyClient(comfyUrl)
  await direct.connect()
  try {
    for (const { size, runs } of plan) {
      const images = imagesBySize.get(size)!
      const mb = images[0]!.kind === 'image' ? images[0]!.frames[0]!.byteLength / 1e6 : 0
      let next = 0
      const take = () => images[next++]!
      const paths: Record<string, (image: ContextValue) => Promise<void>> = {
        direct: async (image) => {
          if (image.kind !== 'image') throw new Error('not an image')
          const uploaded = await direct.http.upload(image.frames[0]!, `bench_${size}_${next}.png`, { overwrite: true })
          const prompt: ApiPrompt = {
            '1': { class_type: 'LoadImage', inputs: { image: ComfyHttp.loaderPath(uploaded) } },
            '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
            '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
          }
          const result = await direct.run(prompt)
          const out = await direct.http.view(result.outputs['3']!.images![0]!)
          if (out.byteLength < 100) throw new Error('no image came back')
        },
        'in process': async (image) => {
          const out = await local.runValues([{ name: 'invert.json', workflow: invertWorkflow }], {
            inputs: { picture: image },
          })
          if (out.inverted?.kind !== 'image') throw new Error('no image came back')
        },
        'over HTTP': async (image) => {
          const out = await remote.runValues([{ name: 'invert.json', workflow: invertWorkflow }], {
            inputs: { picture: image },
          })
          if (out.inverted?.kind !== 'image') throw new Error('no image came back')
        },
      }
      // Interleaved, so a slow moment of the machine falls on every contender alike.
      const samples: Record<string, number[]> = { direct: [], 'in process': [], 'over HTTP': [] }
      for (const fn of Object.values(paths)) await fn(take()) // warm-up
      for (let i = 0; i < runs; i++) {
        for (const [name, fn] of Object.entries(paths)) {
          const image = take()
          const start = performance.now()
          await fn(image)
          samples[name]!.push(performance.now() - start)
        }
      }
      const directMs = median(samples.direct!)
      row(
        `${size}² image in → ImageInvert → out, ComfyUI API directly (${mb.toFixed(1)} MB PNG, median of ${runs})`,
        `${directMs.toFixed(1)} ms`,
      )
      for (const name of ['in process', 'over HTTP']) {
        const ms = median(samples[name]!)
        row(
          `${size}² image in and out through the bridge, ${name}`,
          `${ms.toFixed(1)} ms (${(ms / directMs).toFixed(2)} × direct)`,
        )
      }
    }

    // A large value saved into and loaded from a context over HTTP.
    const bytes = big.kind === 'image' ? big.frames[0]!.byteLength : 0
    const ctx = remote.Context({ name: 'bench transfer' })
    const save: number[] = []
    const load: number[] = []
    for (let i = 0; i < 8; i++) {
      let start = performance.now()
      await ctx.save(`big${i}`, big)
      save.push(performance.now() - start)
      start = performance.now()
      await ctx.loadValue(`big${i}`)
      load.push(performance.now() - start)
    }
    const rate = (ms: number) => `${ms.toFixed(1)} ms (${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s)`
    row(`2048² value (${(bytes / 1e6).toFixed(1)} MB) saved over HTTP, median of 8`, rate(median(save)))
    row('2048² value loaded over HTTP, median of 8', rate(median(load)))
    await ctx.close()
  } finally {
    direct.close()
    await local.shutdown()
    rmSync(root, { recursive: true, force: true })
  }
}
