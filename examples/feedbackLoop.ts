/**
 * A loop whose output feeds its next input: the workflow's OUTPUT port and
 * INPUT port share the unique_id `image`, so each iteration inverts and
 * halves the previous iteration's result.
 *
 *   npx tsx examples/feedbackLoop.ts [outDir]
 */
import { join } from 'node:path'
import type { Discomfort, ImageValue } from '../bridge/index.js'
import { runIfMain, workflow } from './common.js'

export async function feedbackLoop(
  d: Discomfort,
  outDir: string,
  iterations = 3,
): Promise<{ sizes: string[]; file: string }> {
  await using ctx = d.Context({ name: 'feedback loop' })
  const sizes: string[] = []
  const out = await d.run([workflow('invert_and_halve.json')], {
    context: ctx,
    inputs: { image: d.Tools.solidImage(256, 256, [255, 128, 0]) },
    iterations,
    onProgress: (e) => {
      if (e.type === 'workflow-finished') sizes.push(`iteration ${e.iteration}`)
    },
  })
  const image = out.image as ImageValue
  sizes.push(`${image.width}×${image.height}`)
  const [file] = await d.Tools.saveComfyImageToDisk(image, join(outDir, 'looped.png'))
  return { sizes, file: file! }
}

await runIfMain(import.meta.url, feedbackLoop)
