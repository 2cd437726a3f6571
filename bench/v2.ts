import { ComfyHttp } from '../bridge/comfy/comfyHttp.js'
import { blake3Hex } from '../bridge/v2/hash.js'
import type { ApiPrompt } from '../shared/index.js'
import type { V2Asset, V2Job } from '../shared/protocol/v2.js'
import { benchSetup } from './bridgeProcess.js'
import { invertWorkflow, testImage } from './images.js'

type Row = (name: string, value: string) => void
const RUNS = 9
const SMALL_RUNS = 30
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function v2Job(url: string, workflow: Record<string, unknown>): Promise<V2Job> {
  const res = await fetch(`${url}/api/v2/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ workflow }),
  })
  const job = (await res.json()) as V2Job
  // Follow the events to the terminal status, then read the job (as the SDK's result() ends on it).
  await (await fetch(job.urls.events)).text()
  return (await (await fetch(job.urls.self)).json()) as V2Job
}

export async function v2Bench(row: Row): Promise<void> {
  const setup = await benchSetup('v2')
  const { url, ts, direct } = setup
  try {
    const images = Array.from({ length: 3 * RUNS + 3 }, (_, i) => testImage(1024, 9000 + i))
    const png = (i: number) => {
      const v = images[i]!
      if (v.kind !== 'image') throw new Error('not an image')
      return v.frames[0]!
    }
    const directMs: number[] = []
    const nativeMs: number[] = []
    const v2Ms: number[] = []
    for (let i = 0; i <= RUNS; i++) {
      // ComfyUI directly: upload, queue, follow, download.
      let t = performance.now()
      const uploaded = await direct.http.upload(png(3 * i), `bench_v2_${i}.png`, { overwrite: true })
      const r = await direct.run({
        '1': { class_type: 'LoadImage', inputs: { image: ComfyHttp.loaderPath(uploaded) } },
        '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
        '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'bench_direct' } },
      })
      await direct.http.view(r.outputs['3']!.images![0]!)
      if (i > 0) directMs.push(performance.now() - t)

      // A native run over HTTP (the TypeScript client).
      t = performance.now()
      const out = await ts.runValues([{ name: 'invert.json', workflow: invertWorkflow }], {
        inputs: { picture: images[3 * i + 1]! },
      })
      if (out.inverted?.kind !== 'image') throw new Error('no image came back')
      if (i > 0) nativeMs.push(performance.now() - t)

      // A v2 job as an SDK does it: hash, upload the asset, submit, follow, download.
      t = performance.now()
      const bytes = png(3 * i + 2)
      const form = new FormData()
      form.set('content_type', 'image/png')
      form.set('file_path', `photo_${i}.png`)
      form.set('expected_hash', `blake3:${await blake3Hex(bytes)}`)
      form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), `photo_${i}.png`)
      const asset = (await (await fetch(`${url}/api/v2/assets`, { method: 'POST', body: form })).json()) as V2Asset
      const job = await v2Job(url, {
        '10': { class_type: 'LoadImage', inputs: { image: { __type: 'core/ASSET', info: { id: asset.id } } } },
        '11': { class_type: 'ImageInvert', inputs: { image: ['10', 0] } },
        '9': { class_type: 'SaveImage', inputs: { images: ['11', 0], filename_prefix: 'bench_v2' } },
      })
      if (job.status !== 'succeeded') throw new Error(`v2 job ${job.status}: ${JSON.stringify(job.error)}`)
      await (await fetch(`${url}/api/v2/assets/${job.outputs[0]!.id}/content`)).arrayBuffer()
      if (i > 0) v2Ms.push(performance.now() - t)
    }

    // A small job: what a job costs beyond ComfyUI's own work.
    const smallDirect: number[] = []
    const smallV2: number[] = []
    for (let i = 0; i <= SMALL_RUNS; i++) {
      const prompt = (prefix: string): ApiPrompt => ({
        '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: i } },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
      })
      let t = performance.now()
      const r = await direct.run(prompt('small_direct'))
      await direct.http.view(r.outputs['2']!.images![0]!)
      if (i > 0) smallDirect.push(performance.now() - t)
      t = performance.now()
      const job = await v2Job(url, prompt('small_v2'))
      await (await fetch(`${url}/api/v2/assets/${job.outputs[0]!.id}/content`)).arrayBuffer()
      if (i > 0) smallV2.push(performance.now() - t)
    }

    const d = median(directMs)
    const ratio = (ms: number, base: number) => `${ms.toFixed(0)} ms (${(ms / base).toFixed(2)} × direct)`
    row(`1024² in → invert → out, ComfyUI API directly (median of ${RUNS})`, `${d.toFixed(0)} ms`)
    row('1024² in → invert → out, native run (TypeScript client over HTTP)', ratio(median(nativeMs), d))
    row('1024² in → invert → out, v2 job (upload + submit + events + download)', ratio(median(v2Ms), d))
    row('v2 job / native run, 1024²', (median(v2Ms) / median(nativeMs)).toFixed(2))
    const sd = median(smallDirect)
    row(`8×8 job, ComfyUI API directly (median of ${SMALL_RUNS})`, `${sd.toFixed(1)} ms`)
    row('8×8 job, v2 job through the bridge', ratio(median(smallV2), sd))
  } finally {
    await setup.close()
  }
}
