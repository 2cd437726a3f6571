/** Shared bits of the examples: where their workflows are, and running one from the command line. */
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Discomfort } from '../bridge/client/index.js'

export const WORKFLOWS = join(dirname(fileURLToPath(import.meta.url)), 'workflows')
export const workflow = (name: string): string => join(WORKFLOWS, name)

/** When the example file is run directly (`npx tsx examples/x.ts [outDir]`), connect and run it. */
export async function runIfMain(
  moduleUrl: string,
  example: (d: Discomfort, outDir: string) => Promise<unknown>,
): Promise<void> {
  if (process.argv[1] === undefined || pathToFileURL(process.argv[1]).href !== moduleUrl) return
  const outDir = process.argv[2] ?? join(process.cwd(), 'discomfort-output')
  await mkdir(outDir, { recursive: true })
  const d = await Discomfort.create()
  try {
    const result = await example(d, outDir)
    console.log(result)
  } finally {
    await d.shutdown()
  }
}
