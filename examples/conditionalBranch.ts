/**
 * A conditional branch chosen in code: make a canvas, then, depending on its
 * size, either negate it or make a thumbnail of it; caption it either way.
 *
 *   npx tsx examples/conditionalBranch.ts [outDir]
 */
import { join } from 'node:path'
import type { Discomfort, ImageValue } from '../bridge/client/index.js'
import { runIfMain, workflow } from './common.js'

export async function conditionalBranch(
  d: Discomfort,
  outDir: string,
  width = 256,
): Promise<{ branch: string; caption: string; size: string }> {
  await using ctx = d.Context({ name: 'conditional branch' })
  await d.run([workflow('make_canvas.json')], { context: ctx, inputs: { width, height: 128, color: 0x00ff00 } })
  const big = width > 128
  const branch = big ? 'thumbnail.json' : 'negate.json'
  const out = await d.run([workflow(branch)], { context: ctx })
  const image = (big ? out.thumbnail : out.negative) as ImageValue
  await d.Tools.saveComfyImageToDisk(image, join(outDir, big ? 'thumbnail.png' : 'negative.png'))
  const { caption } = await d.run([workflow('caption.json')], {
    context: ctx,
    inputs: { name: big ? 'big canvas' : 'small canvas' },
  })
  return { branch, caption: String(caption), size: `${image.width}×${image.height}` }
}

await runIfMain(import.meta.url, conditionalBranch)
