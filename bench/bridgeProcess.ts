/** A `discomfort bridge` process for a bench section: over one ComfyUI, in a folder of its own; its URL and how to stop it. */
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { freePort } from '../test/helpers/net.js'

const BIN = resolve(import.meta.dirname, '..', 'bin', 'discomfort.js')

export async function benchBridge(comfyUrl: string, home: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort()
  const bridge = spawn(
    process.execPath,
    [BIN, 'bridge', '--port', String(port), '--root', join(home), '--comfy', comfyUrl],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  await new Promise<void>((ok) => bridge.stderr.on('data', (d) => String(d).includes('listening') && ok()))
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      bridge.kill('SIGTERM')
      await new Promise((r) => bridge.on('exit', r))
    },
  }
}
