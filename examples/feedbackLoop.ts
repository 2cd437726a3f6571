/**
 * A loop whose output feeds its next input: the workflow's OUTPUT port and
 * INPUT port share the unique_id `image`, so each iteration inverts and
 * halves the previous iteration's result.
 *
 *   npx tsx examples/feedbackLoop.ts [outDir]
 */
import { join } from 'node:path'
import type { Discomfort, ImageValue } from '../bridge/client/index.js'
import { runIfMain, workflow } from './common.js'

export async function feedbackLoop(
  d: Discomfort,
  outDir: string,
  iterations = 3,
): Promise<{ iterations: number; from: string; to: string; file: string }> {
  await using ctx = d.Context({ name: 'feedback loop' })
  const start = d.Tools.solidImage(256, 256, [255, 128, 0])
  let finished = 0
  const out = await d.run([workflow('invert_and_halve.json')], {
    context: ctx,
    inputs: { image: start },
    iterations,
    onProgress: (e) => {
      if (e.type === 'workflow-finished') finished += 1
    },
  })
  const image = out.image as ImageValue
  const [file] = await d.Tools.saveComfyImageToDisk(image, join(outDir, 'looped.png'))
  // Each iteration halved the last one's result: 256² → 128² → 64² → 32².
  return {
    iterations: finished,
    from: `${start.width}×${start.height}`,
    to: `${image.width}×${image.height}`,
    file: file!,
  }
}

await runIfMain(import.meta.url, feedbackLoop)
