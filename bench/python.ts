/**
 * The Python client side by side with the TypeScript client and ComfyUI's API
 * used directly, on the same stand-in and the same bridge process: a loop of
 * 100 iterations (each reading what the last wrote) and a 1024² image in →
 * ImageInvert → out. The Python side (bench/pythonSide.py) runs in a venv of
 * its own with the client installed from clients/python (made once, in the
 * cache folder ci.sh uses).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { ComfyHttp } from '../bridge/comfy/comfyHttp.js'
import type { ApiPrompt } from '../shared/index.js'
import { benchSetup } from './bridgeProcess.js'
import { invertWorkflow, testImage } from './images.js'

type Row = (name: string, value: string) => void
const ROOT = resolve(import.meta.dirname, '..')
const run = promisify(execFile)
const ITERATIONS = 100
const IMAGE_RUNS = 7

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** A venv with the Python client installed from this checkout (re-installed each time: a few seconds). */
async function pythonWithClient(): Promise<string> {
  const venv = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'discomfort-python', 'bench-venv')
  if (!existsSync(join(venv, 'bin', 'python'))) {
    mkdirSync(venv, { recursive: true })
    await run(process.env.PYTHON ?? 'python3', ['-m', 'venv', venv])
  }
  await run(join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `${join(ROOT, 'clients', 'python')}[pillow]`,
  ])
  return join(venv, 'bin', 'python')
}

export async function pythonBench(row: Row): Promise<void> {
  const python = await pythonWithClient()
  const setup = await benchSetup('python')
  const { root, url, ts, direct } = setup
  try {
    // The same pictures for every contender (each its own copy, so ComfyUI's cache answers for none).
    const images = Array.from({ length: 3 * (IMAGE_RUNS + 1) }, (_, i) => testImage(1024, 5000 + i))
    const pyFolder = join(root, 'py-images')
    mkdirSync(pyFolder)
    images.slice(0, IMAGE_RUNS + 1).forEach((img, i) => {
      if (img.kind === 'image') writeFileSync(join(pyFolder, `${String(i).padStart(3, '0')}.png`), img.frames[0]!)
    })

    // The loop: ComfyUI's API by hand, the TypeScript client, the Python client.
    let value = `direct ${Math.random()}:`
    let start = performance.now()
    for (let i = 0; i < ITERATIONS; i++) {
      const r = await direct.run({
        '1': { class_type: 'PrimitiveString', inputs: { value } },
        '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: 'a', delimiter: '' } },
        '3': { class_type: 'PreviewAny', inputs: { source: ['2', 0] } },
      } satisfies ApiPrompt)
      value = r.outputs['3']!.text![0]!
    }
    const directLoop = performance.now() - start
    const ctx = ts.Context({ name: 'bench python' })
    start = performance.now()
    await ts.run(
      [
        {
          name: 'loop.json',
          workflow: {
            '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'n' } },
            '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: 'a', delimiter: '' } },
            '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'n', input_data: ['2', 0] } },
          },
        },
      ],
      { context: ctx, inputs: { n: `ts ${Math.random()}:` }, iterations: ITERATIONS },
    )
    const tsLoop = performance.now() - start
    await ctx.close()

    // The image: directly (upload, queue, follow, /view) and through the TypeScript client over HTTP.
    const directImage: number[] = []
    const tsImage: number[] = []
    for (let i = 0; i <= IMAGE_RUNS; i++) {
      const a = images[IMAGE_RUNS + 1 + i]!
      const b = images[2 * (IMAGE_RUNS + 1) + i]!
      if (a.kind !== 'image') throw new Error('not an image')
      let t = performance.now()
      const uploaded = await direct.http.upload(a.frames[0]!, `bench_py_${i}.png`, { overwrite: true })
      const r = await direct.run({
        '1': { class_type: 'LoadImage', inputs: { image: ComfyHttp.loaderPath(uploaded) } },
        '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
        '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
      })
      await direct.http.view(r.outputs['3']!.images![0]!)
      if (i > 0) directImage.push(performance.now() - t)
      t = performance.now()
      const out = await ts.runValues([{ name: 'invert.json', workflow: invertWorkflow }], { inputs: { picture: b } })
      if (out.inverted?.kind !== 'image') throw new Error('no image came back')
      if (i > 0) tsImage.push(performance.now() - t)
    }

    const { stdout } = await run(python, [join(ROOT, 'bench', 'pythonSide.py'), url, pyFolder, String(ITERATIONS)], {
      timeout: 300_000,
    })
    const py = JSON.parse(stdout.trim().split('\n').pop()!) as { loop_ms: number; image_ms: number }

    const ratio = (ms: number, base: number) => `${ms.toFixed(0)} ms (${(ms / base).toFixed(2)} × direct)`
    row(`${ITERATIONS}-iteration loop, ComfyUI API directly`, `${directLoop.toFixed(0)} ms`)
    row(`${ITERATIONS}-iteration loop, TypeScript client over HTTP`, ratio(tsLoop, directLoop))
    row(
      `${ITERATIONS}-iteration loop, Python client`,
      `${ratio(py.loop_ms, directLoop)}; ${(py.loop_ms / tsLoop).toFixed(2)} × TypeScript`,
    )
    const d = median(directImage)
    row(`1024² image in → invert → out, ComfyUI API directly (median of ${IMAGE_RUNS})`, `${d.toFixed(1)} ms`)
    row('1024² image, TypeScript client over HTTP (PNG in, PNG out)', ratio(median(tsImage), d))
    row(
      '1024² image, Python client (PNG file bytes in, a numpy array out)',
      `${ratio(py.image_ms, d)}; ${(py.image_ms / median(tsImage)).toFixed(2)} × TypeScript`,
    )
  } finally {
    await setup.close()
  }
}
