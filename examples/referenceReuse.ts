/**
 * A reference passed between workflows and reused without being recomputed:
 * `base_image.json` OUTPUTs `base` by reference (a recipe, not pixels);
 * `zoom_base.json` takes it as an INPUT. ComfyUI serves the recipe's nodes
 * from its cache on every run after the first.
 *
 *   npx tsx examples/referenceReuse.ts [outDir]
 */
import { join } from 'node:path'
import type { Discomfort, ImageValue } from '../bridge/client/index.js'
import { runIfMain, workflow } from './common.js'

export async function referenceReuse(
  d: Discomfort,
  outDir: string,
  zooms = [0.5, 0.25, 0.125],
): Promise<Array<{ zoom: number; size: string; cachedNodes: number }>> {
  await using ctx = d.Context({ name: 'reference reuse' })
  // Nothing runs here: the OUTPUT is kept as a recipe.
  await d.run([workflow('base_image.json')], { context: ctx, inputs: { size: 128 }, passBy: { base: 'ref' } })
  const results = []
  for (const zoom of zooms) {
    let cachedNodes = 0
    const out = await d.run([workflow('zoom_base.json')], {
      context: ctx,
      inputs: { zoom },
      onProgress: (e) => {
        if (e.type === 'workflow-finished') cachedNodes = e.cached
      },
    })
    const image = out.zoomed as ImageValue
    await d.Tools.saveComfyImageToDisk(image, join(outDir, `zoom_${zoom}.png`))
    results.push({ zoom, size: `${image.width}×${image.height}`, cachedNodes })
  }
  return results
}

await runIfMain(import.meta.url, referenceReuse)
