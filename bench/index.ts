/**
 * `npm run bench`: speed figures, printed as a table. Timings are medians of
 * many runs after a warm-up, so one slow run does not move them.
 *
 * 1. UI→API conversion of the `default` and `synthetic__chain500` workflows
 *    (the default one also against the real frontend's graphToPrompt, bench/frontend.ts),
 *    all 188 ComfyUI templates, and generated stress graphs (5,000 reroutes,
 *    10,000 nodes, 1,000 nested subgraphs).
 * 2. Context store: save and load of a 2048×2048 image, in RAM and on disk.
 * 3. The bridge's per-run overhead against queueing the same prompt with
 *    ComfyUI's API directly (same stand-in server), and 100 iterations of a
 *    small loop both ways.
 * 4. Images: 1024² and 2048² in → ImageInvert → out, ComfyUI's API directly
 *    vs the bridge in process and over HTTP; a 2048² value saved and loaded
 *    over HTTP. `npm run bench:real -- --comfy URL` runs 4 on a real ComfyUI.
 * 5. Sweeps over a pool of stand-in servers (see bench/sweeps.ts).
 * 6. Several bridges on one Redis: throughput with 1, 2 and 3 bridges, and the
 *    per-item overhead of the Redis queue over the in-process one (bench/cluster.ts).
 * 7. `discomfort run` as a whole process (bench/cli.ts).
 * 8. The context store at size over HTTP against a bare server: PUTs at 1k, 10k
 *    and 100k keys, 10,000 contexts, and the stop that follows (bench/scale.ts).
 * 9. The Python client, the TypeScript client and ComfyUI's API side by side:
 *    a 100-iteration loop and a 1024² image (bench/python.ts).
 * 10. A Comfy API v2 job (upload, submit, events, download) beside a native run
 *    and ComfyUI's API directly, 1024² and 8×8 (bench/v2.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Discomfort } from '../bridge/client/discomfort.js'
import { encodePng } from '../bridge/codec/png.js'
import { ComfyClient } from '../bridge/comfy/comfyClient.js'
import { ContextStore } from '../bridge/store/contextStore.js'
import type { ContextValue } from '../bridge/values/values.js'
import { toApiPrompt } from '../shared/index.js'
import type { ApiPrompt, UiWorkflow } from '../shared/index.js'
import { freePort } from '../test/helpers/net.js'
import { imageBench } from './images.js'
import { sweepBench } from './sweeps.js'
import { clusterBench } from './cluster.js'
import { cliBench } from './cli.js'
import { scaleBench } from './scale.js'
import { frontendBench } from './frontend.js'
import { pythonBench } from './python.js'
import { v2Bench } from './v2.js'
import { startComfyStandIn } from '../test/comfyStandIn/server.js'
import {
  GRAPH_TO_PROMPT,
  loadObjectInfo,
  loadObjectInfo0375,
  loadTemplate,
  readJson,
  templateNames,
} from '../test/helpers/fixtures.js'
import { nestedSubgraphs, rerouteChain } from '../test/helpers/stressGraphs.js'

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function time(fn: () => void, runs: number, warmup = Math.min(50, runs)): number {
  for (let i = 0; i < warmup; i++) fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    fn()
    samples.push(performance.now() - start)
  }
  return median(samples)
}

async function timeAsync(fn: (i: number) => Promise<unknown>, runs: number, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i)
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn(i)
    samples.push(performance.now() - start)
  }
  return median(samples)
}

const rows: Array<[string, string]> = []
const row = (k: string, v: string) => {
  rows.push([k, v])
  console.error(`  ${k}: ${v}`)
}

// --- 1. conversion -------------------------------------------------------------
const objectInfo = loadObjectInfo()
for (const [name, runs, target] of [
  ['default', 2000, 0.5],
  ['synthetic__chain500', 200, 10],
] as const) {
  const workflow = readJson<UiWorkflow>(join(GRAPH_TO_PROMPT, 'cases', `${name}.json`))
  const ms = time(() => toApiPrompt(workflow, objectInfo, { name }), runs)
  row(`convert ${name} (median of ${runs})`, `${ms.toFixed(3)} ms (target < ${target} ms)`)
}
await frontendBench(row, median)
{
  const info = loadObjectInfo0375()
  const templates = templateNames().map((name) => ({ name, workflow: loadTemplate(name) as UiWorkflow }))
  const ms = time(
    () => {
      for (const { name, workflow } of templates) {
        try {
          toApiPrompt(workflow, info, { name })
        } catch {
          // the templates whose node types ComfyUI 0.3.75 lacks (audio) fail as they should
        }
      }
    },
    20,
    3,
  )
  row(`convert all ${templates.length} ComfyUI templates (median of 20)`, `${ms.toFixed(1)} ms`)
  for (const [label, workflow] of [
    ['5,000 reroutes', rerouteChain(5000)],
    ['10,000 nodes', rerouteChain(9998)],
    ['1,000 nested subgraphs', nestedSubgraphs(1000)],
  ] as const) {
    const one = time(() => toApiPrompt(workflow, objectInfo, { name: label }), 10, 2)
    row(`convert ${label} (median of 10)`, `${one.toFixed(1)} ms (target < 1000 ms)`)
  }
}

// --- 2. context store ------------------------------------------------------------
{
  const size = 2048
  const rgba = new Uint8Array(size * size * 4)
  let seed = 1
  for (let i = 0; i < rgba.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0
    rgba[i] = i % 4 === 3 ? 255 : seed >>> 24
  }
  const png = encodePng({ width: size, height: size, rgba })
  const image: ContextValue = { kind: 'image', frames: [png], width: size, height: size }
  const mb = png.byteLength / 1024 ** 2
  const root = mkdtempSync(join(tmpdir(), 'discomfort-bench-'))
  const store = new ContextStore({ root, ramCapacityBytes: 4 * 1024 ** 3 })
  await store.init()
  const ram = await store.create({ ramCapacityBytes: 4 * 1024 ** 3 })
  const disk = await store.create({ ramCapacityBytes: 1 })
  const durable = await store.create({ ramCapacityBytes: 4 * 1024 ** 3, durable: true })
  for (const [label, ctx] of [
    ['RAM', ram],
    ['disk (spilled)', disk],
    ['RAM + disk (durable)', durable],
  ] as const) {
    const save = await timeAsync(() => ctx.save('img', image), 20)
    const load = await timeAsync(() => ctx.load('img'), 20)
    row(
      `2048×2048 image (${mb.toFixed(1)} MB PNG) save, ${label}`,
      `${save.toFixed(2)} ms (${(mb / (save / 1000)).toFixed(0)} MB/s)`,
    )
    row(
      `2048×2048 image (${mb.toFixed(1)} MB PNG) load, ${label}`,
      load < 0.01
        ? '< 0.01 ms (from RAM: the stored value is shared, not copied)'
        : `${load.toFixed(2)} ms (${(mb / (load / 1000)).toFixed(0)} MB/s)`,
    )
  }
  await store.shutdown()
  rmSync(root, { recursive: true, force: true })
}

// --- 3. bridge overhead ----------------------------------------------------------
{
  const comfy = await startComfyStandIn()
  const port = await freePort()
  const root = mkdtempSync(join(tmpdir(), 'discomfort-bench-bridge-'))
  const d = await Discomfort.create({ bridgeUrl: `http://127.0.0.1:${port}`, comfyUrl: comfy.url, bridge: { root } })
  const direct = new ComfyClient(comfy.url)
  await direct.connect()

  // One run: a unique string through StringConcatenate, read back (a nonce defeats ComfyUI's cache).
  const directPrompt = (nonce: string): ApiPrompt => ({
    '1': { class_type: 'PrimitiveString', inputs: { value: nonce } },
    '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
    '3': { class_type: 'PreviewAny', inputs: { source: ['2', 0] } },
  })
  const portWorkflow: ApiPrompt = {
    '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'text' } },
    '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
    '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'shout', input_data: ['2', 0] } },
  }
  const ctx = d.Context({ name: 'bench' })
  const runs = 60
  const directMs = await timeAsync(async (i) => {
    const r = await direct.run(directPrompt(`direct ${i} ${Math.random()}`))
    return r.outputs['3']!.text![0]
  }, runs)
  const bridgeMs = await timeAsync(async (i) => {
    const out = await d.run([{ name: 'shout.json', workflow: portWorkflow }], {
      context: ctx,
      inputs: { text: `bridge ${i} ${Math.random()}` },
    })
    return out.shout
  }, runs)
  row(`one run, ComfyUI API directly (median of ${runs})`, `${directMs.toFixed(2)} ms`)
  row(`one run through the bridge, in-process client (median of ${runs})`, `${bridgeMs.toFixed(2)} ms`)
  row('bridge / direct, one run', `${(bridgeMs / directMs).toFixed(2)} (target < 1.2)`)

  // The same through HTTP, as a script talking to a separately started bridge does.
  const remote = await Discomfort.create({ bridgeUrl: d.url })
  const remoteCtx = remote.Context({ name: 'bench over http' })
  const httpMs = await timeAsync(async (i) => {
    const out = await remote.run([{ name: 'shout.json', workflow: portWorkflow }], {
      context: remoteCtx,
      inputs: { text: `http ${i} ${Math.random()}` },
    })
    return out.shout
  }, runs)
  row(
    `one run through the bridge over HTTP (median of ${runs})`,
    `${httpMs.toFixed(2)} ms (${(httpMs / directMs).toFixed(2)} × direct)`,
  )
  await remoteCtx.close()

  // 100 iterations of a loop: the value threads through the context vs by hand.
  const loopWorkflow: ApiPrompt = {
    '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'n' } },
    '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: 'a', delimiter: '' } },
    '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'n', input_data: ['2', 0] } },
  }
  const iterations = 100
  const t0 = performance.now()
  let value = `direct ${Math.random()}:`
  for (let i = 0; i < iterations; i++) {
    const r = await direct.run({
      '1': { class_type: 'PrimitiveString', inputs: { value } },
      '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: 'a', delimiter: '' } },
      '3': { class_type: 'PreviewAny', inputs: { source: ['2', 0] } },
    })
    value = r.outputs['3']!.text![0]!
  }
  const directLoop = performance.now() - t0
  const t1 = performance.now()
  const looped = await d.run([{ name: 'loop.json', workflow: loopWorkflow }], {
    context: ctx,
    inputs: { n: `bridge ${Math.random()}:` },
    iterations,
  })
  const bridgeLoop = performance.now() - t1
  if (String(looped.n).split(':')[1]!.length !== iterations || value.split(':')[1]!.length !== iterations)
    throw new Error('loop results are wrong')
  row(
    `${iterations} iterations, ComfyUI API directly`,
    `${directLoop.toFixed(0)} ms (${(directLoop / iterations).toFixed(2)} ms each)`,
  )
  row(
    `${iterations} iterations through the bridge`,
    `${bridgeLoop.toFixed(0)} ms (${(bridgeLoop / iterations).toFixed(2)} ms each)`,
  )
  row(`bridge / direct, ${iterations} iterations`, `${(bridgeLoop / directLoop).toFixed(2)} (target < 1.2)`)

  await ctx.close()
  direct.close()
  await d.shutdown()
  await comfy.close()
  rmSync(root, { recursive: true, force: true })
}

// --- 4. images: in and out, directly and through the bridge; large values over HTTP ---
{
  const comfy = await startComfyStandIn()
  await imageBench(comfy.url, row, [
    { size: 1024, runs: 10 },
    { size: 2048, runs: 5 },
  ])
  await comfy.close()
}

// --- 5. sweeps over a pool -----------------------------------------------------------
await sweepBench(row)

// --- 6. several bridges on one Redis ----------------------------------------------------
await clusterBench(row)

// --- 7. the command line as a whole process ---------------------------------------------
await cliBench(row)

// --- 8. the context store at size, against a bare server ---------------------------------
await scaleBench(row)

// --- 9. the Python client beside the TypeScript client and ComfyUI's API -------------------
await pythonBench(row)

// --- 10. a Comfy API v2 job beside a native run and ComfyUI's API -----------------------------
await v2Bench(row)

const width = Math.max(...rows.map(([k]) => k.length))
console.log('')
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)
