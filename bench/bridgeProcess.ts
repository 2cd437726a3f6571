/**
 * What the bench sections that compare against ComfyUI's API share: one
 * stand-in ComfyUI, a `discomfort bridge` process over it in a folder of its
 * own, the TypeScript client of that bridge and a direct ComfyUI client; and
 * how to take it all down.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Discomfort } from '../bridge/client/discomfort.js'
import { ComfyClient } from '../bridge/comfy/comfyClient.js'
import { startComfyStandIn } from '../test/comfyStandIn/server.js'
import { freePort } from '../test/helpers/net.js'

const BIN = resolve(import.meta.dirname, '..', 'bin', 'discomfort.js')

export interface BenchSetup {
  /** A scratch folder, removed by `close`. */
  root: string
  /** The bridge process's URL. */
  url: string
  ts: Discomfort
  direct: ComfyClient
  close(): Promise<void>
}

export async function benchSetup(name: string): Promise<BenchSetup> {
  const comfy = await startComfyStandIn()
  const root = mkdtempSync(join(tmpdir(), `discomfort-bench-${name}-`))
  const port = await freePort()
  const bridge = spawn(
    process.execPath,
    [BIN, 'bridge', '--port', String(port), '--root', join(root, 'home'), '--comfy', comfy.url],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  await new Promise<void>((ok) => bridge.stderr.on('data', (d) => String(d).includes('listening') && ok()))
  const url = `http://127.0.0.1:${port}`
  const ts = await Discomfort.create({ bridgeUrl: url })
  const direct = new ComfyClient(comfy.url)
  await direct.connect()
  return {
    root,
    url,
    ts,
    direct,
    close: async () => {
      direct.close()
      await ts.shutdown()
      bridge.kill('SIGTERM')
      await new Promise((r) => bridge.on('exit', r))
      await comfy.close()
      rmSync(root, { recursive: true, force: true })
    },
  }
}
