/**
 * A parameter sweep: one workflow, run once per value of its INPUT port
 * `scale`, each result saved to disk.
 *
 *   npx tsx examples/parameterSweep.ts [outDir]
 */
import { join } from 'node:path'
import type { Discomfort, ImageValue } from '../bridge/client/index.js'
import { runIfMain, workflow } from './common.js'

export async function parameterSweep(
  d: Discomfort,
  outDir: string,
  scales = [0.25, 0.5, 1, 2],
): Promise<Array<{ scale: number; size: string; file: string }>> {
  await using ctx = d.Context({ name: 'parameter sweep' })
  const results = []
  for (const scale of scales) {
    const out = await d.run([workflow('scale_square.json')], { context: ctx, inputs: { scale } })
    const image = out.image as ImageValue
    const [file] = await d.Tools.saveComfyImageToDisk(image, join(outDir, `square_x${scale}.png`))
    results.push({ scale, size: `${image.width}×${image.height}`, file: file! })
  }
  return results
}

await runIfMain(import.meta.url, parameterSweep)
