import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { Discomfort, toValue, type DiscomfortOptions } from '../../client/discomfort.js'
import { exportValue } from '../../values/exportData.js'
import { describeValue } from '../../values/values.js'
import { makeDirs } from '../../util/makeDirs.js'
import { parseInputs, type RunArgs } from '../args.js'
import { PlainRenderer, TtyRenderer, type Renderer } from '../render.js'

/** Fail before anything runs when an --output file could not be written. */
async function checkWritable(key: string, path: string): Promise<void> {
  const full = resolve(path)
  const problem = (why: string) => new Error(`--output ${key}=${path}: ${why}. Nothing was run.`)
  try {
    if ((await stat(full)).isDirectory()) throw problem('that is a folder; name a file')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw e instanceof Error && e.message.startsWith('--output') ? e : problem((e as Error).message)
  }
  try {
    await makeDirs(dirname(full))
    await access(dirname(full), constants.W_OK)
  } catch (e) {
    throw problem(`cannot write in ${dirname(full)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
}

/** `discomfort run`: run workflows through the bridge, show progress, write outputs. */
export async function runCommand(
  args: RunArgs,
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream },
): Promise<void> {
  for (const [key, path] of args.outputs) await checkWritable(key, path)
  const options: DiscomfortOptions = { bridge: { log: (line) => io.stderr.write(`${line}\n`) } }
  // A bridge named on the command line must answer: no bridge of this command's own instead, unless asked for.
  if (args.bridge) options.bridgeUrl = args.bridge
  if (args.bridge && !args.startBridge) options.embedded = false
  if (args.comfy) options.comfyUrl = args.comfy
  const d = await Discomfort.create(options)
  const renderer: Renderer = io.stderr.isTTY ? new TtyRenderer(io.stderr) : new PlainRenderer(io.stderr)
  const context = args.context ? d.Context({ id: args.context }) : d.Context({ name: 'cli run' })
  const controller = new AbortController()
  const onSigint = () => {
    io.stderr.write('\nCancelling...\n')
    controller.abort()
  }
  process.once('SIGINT', onSigint)
  try {
    const outputs = await d.runValues(args.workflows, {
      context,
      inputs: parseInputs(args.inputs),
      iterations: args.iterations,
      expectOutputs: args.outputs.map(([key]) => key),
      ...(args.stitch ? { stitch: true } : {}),
      ...(args.passBy ? { passBy: args.passBy } : {}),
      ...(args.clientId ? { clientId: args.clientId } : {}),
      ...(args.resubmitLost !== undefined ? { resubmitLost: args.resubmitLost } : {}),
      onProgress: (e) => renderer.event(e),
      signal: controller.signal,
    })
    renderer.done()
    for (const [key, path] of args.outputs) {
      const value = outputs[key]
      if (!value)
        throw new Error(
          `--output ${key}=${path}: the run gave no value for "${key}" (outputs: ${Object.keys(outputs).join(', ') || 'none'}).`,
        )
      let files: string[]
      try {
        files = await exportValue(value, path)
      } catch (e) {
        throw new Error(
          `--output ${key}=${path}: could not write the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
        )
      }
      io.stderr.write(`wrote ${key} → ${files.join(', ')}\n`)
    }
    if (args.json) {
      io.stdout.write(
        `${JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.kind === 'image' || v.kind === 'mask' || v.kind === 'latent' ? describeValue(v) : toValue(v)])), null, 2)}\n`,
      )
    } else {
      for (const [key, value] of Object.entries(outputs)) io.stdout.write(`${key}: ${describeValue(value)}\n`)
    }
  } finally {
    renderer.done()
    process.off('SIGINT', onSigint)
    if (!args.context) await context.close().catch(() => {})
    await d.shutdown()
  }
}
