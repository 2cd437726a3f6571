/**
 * The original Discomfort's SDXL example, for a ComfyUI that has the models:
 * load a checkpoint and a LoRA once (kept as references), then sample with a
 * few denoise strengths, choosing an empty latent or an img2img latent in code.
 *
 *   npx tsx examples/sdxl.ts <checkpoint.safetensors> <lora.safetensors> [input.png] [outDir]
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Discomfort, type ImageValue } from '../bridge/client/index.js'
import { workflow } from './common.js'

const original = (name: string) => workflow(join('original', name))

export async function sdxl(
  d: Discomfort,
  outDir: string,
  models: { checkpoint: string; lora: string; inputImage?: string },
): Promise<string[]> {
  await using ctx = d.Context({ name: 'sdxl' })
  await ctx.save('prompt', 'A photograph of a lighthouse at dusk, masterpiece')
  await ctx.save('model_name', models.checkpoint)
  await ctx.save('lora_name', models.lora)
  if (models.inputImage) await ctx.save('input_image', await d.Tools.openImage(models.inputImage))
  const files: string[] = []
  for (const [i, strength] of [0.5, 1.0].entries()) {
    await d.run([original('sdxl_load_model_and_lora.json')], { context: ctx, inputs: { lora_strength: strength } })
    const latent = models.inputImage ? 'latent_from_input_image.json' : 'latent_1024x1024_empty.json'
    await d.run([original(latent)], { context: ctx })
    const out = await d.run([original('sdxl_run_ksampler.json')], {
      context: ctx,
      inputs: { denoise: models.inputImage ? 0.6 : 1.0 },
    })
    files.push(...(await d.Tools.saveComfyImageToDisk(out.output_image as ImageValue, join(outDir, `sdxl_${i}.png`))))
  }
  return files
}

const [checkpoint, lora, inputImage, outDir] = process.argv.slice(2)
if (process.argv[1]?.endsWith('sdxl.ts') && checkpoint && lora) {
  const dir = outDir ?? join(process.cwd(), 'discomfort-output')
  await mkdir(dir, { recursive: true })
  const d = await Discomfort.create()
  try {
    console.log(await sdxl(d, dir, { checkpoint, lora, ...(inputImage ? { inputImage } : {}) }))
  } finally {
    await d.shutdown()
  }
} else if (process.argv[1]?.endsWith('sdxl.ts')) {
  console.error('Usage: npx tsx examples/sdxl.ts <checkpoint.safetensors> <lora.safetensors> [input.png] [outDir]')
  process.exitCode = 2
}
