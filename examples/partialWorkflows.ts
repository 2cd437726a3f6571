/**
 * Partial workflows joined by port name: `make_canvas.json` OUTPUTs `canvas`,
 * `negate.json` takes it as an INPUT. Run one after the other through the
 * context, or stitched into a single ComfyUI prompt.
 *
 *   npx tsx examples/partialWorkflows.ts [outDir]
 */
import { join } from 'node:path'
import type { Discomfort, ImageValue } from '../bridge/client/index.js'
import { runIfMain, workflow } from './common.js'

export async function partialWorkflows(
  d: Discomfort,
  outDir: string,
): Promise<{ sequential: number[]; stitched: number[] }> {
  const inputs = { width: 96, height: 64, color: 0x204080 }
  const pixel = (v: ImageValue) => Array.from(d.Tools.pixels(v).subarray(0, 3))

  await using ctx = d.Context({ name: 'partial workflows' })
  const seq = await d.run([workflow('make_canvas.json'), workflow('negate.json')], { context: ctx, inputs })
  await d.Tools.saveComfyImageToDisk(seq.negative as ImageValue, join(outDir, 'negative.png'))

  // Stitched: one prompt, the INPUT "canvas" linked to the OUTPUT "canvas" before it.
  const stitched = await d.run([workflow('make_canvas.json'), workflow('negate.json')], { inputs, stitch: true })
  return { sequential: pixel(seq.negative as ImageValue), stitched: pixel(stitched.negative as ImageValue) }
}

await runIfMain(import.meta.url, partialWorkflows)
