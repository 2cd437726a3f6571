/**
 * Run the stand-in as its own process: `node --import tsx test/comfyStandIn/main.ts --port 8188 [--root DIR]`.
 * Used by tests of the ComfyUI launcher and the CLI, and handy for trying the bridge without ComfyUI.
 */
import { startComfyStandIn } from './server.js'

const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const comfy = await startComfyStandIn({
  port: Number(flag('port') ?? 8188),
  ...(flag('root') ? { root: flag('root')! } : {}),
})
process.stdout.write(`ComfyUI stand-in listening on ${comfy.url}\n`)
const stop = () => void comfy.close().then(() => process.exit(0))
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
