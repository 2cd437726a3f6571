/**
 * `export_data`: write a context value as a file a person or another tool can
 * open: PNG for images and masks, `.latent` for latents, JSON for plain
 * values, and for a reference a runnable API-format prompt (its recipe with a
 * PreviewAny on the output, so ComfyUI accepts it as is).
 */
import { writeFile } from 'node:fs/promises'
import { makeDirs } from '../util/makeDirs.js'
import { dirname, extname } from 'node:path'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { ContextValue } from './values.js'

const RECIPE_OUTPUT_NODE = 'discomfort:output'

/** A recipe as a prompt ComfyUI can run: the value's producer plus a PreviewAny. */
function runnableRecipe(value: Extract<ContextValue, { kind: 'ref' }>): ApiPrompt {
  return {
    ...value.recipe.prompt,
    [RECIPE_OUTPUT_NODE]: {
      class_type: 'PreviewAny',
      inputs: { source: value.recipe.output },
      _meta: { title: `${value.recipe.type} (from Discomfort)` },
    },
  }
}

/** Write the value at `path`; a batch of images writes `name.png`, `name_1.png`, ... Returns the files written. */
export async function exportValue(value: ContextValue, path: string, overwrite = true): Promise<string[]> {
  await makeDirs(dirname(path))
  const flag = overwrite ? 'w' : 'wx'
  const write = (p: string, data: Uint8Array | string) => writeFile(p, data, { flag })
  switch (value.kind) {
    case 'image': {
      const ext = extname(path) || '.png'
      const stem = extname(path) ? path.slice(0, -ext.length) : path
      const paths = value.frames.map((_, i) => (i === 0 ? `${stem}${ext}` : `${stem}_${i}${ext}`))
      for (let i = 0; i < value.frames.length; i++) await write(paths[i]!, value.frames[i]!)
      return paths
    }
    case 'mask':
      await write(path, value.png)
      return [path]
    case 'latent':
      await write(path, value.bytes)
      return [path]
    case 'ref':
      await write(path, JSON.stringify(runnableRecipe(value), null, 2))
      return [path]
    default:
      await write(path, JSON.stringify(value.value, null, 2))
      return [path]
  }
}
