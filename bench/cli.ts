/**
 * The `discomfort` command as a whole process (Node's start, loading, the
 * work, the exit): `discomfort run` against a running bridge beside a script
 * that uses ComfyUI's API directly for the same string run, in turns; and
 * `discomfort --version`, which is all start-up; and importing the client
 * (`import … from 'discomfort'`) in a fresh process beside importing `ws`,
 * all that the direct script loads.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { startBridge } from '../bridge/bridge.js'
import { startComfyStandIn } from '../test/comfyStandIn/server.js'
import { CONCAT } from '../test/helpers/prompts.js'

const exec = promisify(execFile)
const BIN = resolve(import.meta.dirname, '../bin/discomfort.js')
const DIRECT = resolve(import.meta.dirname, 'directRun.mjs')

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function wall(args: string[], expect: RegExp): Promise<number> {
  const t = performance.now()
  const { stdout } = await exec(process.execPath, args)
  const ms = performance.now() - t
  if (!expect.test(stdout)) throw new Error(`${args.join(' ')} printed ${stdout}`)
  return ms
}

export async function cliBench(row: (k: string, v: string) => void): Promise<void> {
  const comfy = await startComfyStandIn()
  const root = mkdtempSync(join(tmpdir(), 'discomfort-bench-cli-'))
  const bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root })
  try {
    const workflow = join(root, 'concat.json')
    writeFileSync(workflow, JSON.stringify(CONCAT.workflow))
    const ours: number[] = []
    const direct: number[] = []
    const ratios: number[] = []
    for (let i = 0; i < 12; i++) {
      const text = `cli ${i} ${Math.random()}`
      const a = await wall([BIN, 'run', workflow, '-i', `text=${text}`, '--bridge', bridge.url, '--json'], /!/)
      const b = await wall([DIRECT, comfy.url, text], /!/)
      // The first pair warms the disk cache and the bridge.
      if (i === 0) continue
      ours.push(a)
      direct.push(b)
      ratios.push(a / b)
    }
    row(
      'discomfort run (a whole process) against a running bridge, median of 11',
      `${median(ours).toFixed(0)} ms vs ${median(direct).toFixed(0)} ms for a script on the ComfyUI API (${median(ratios).toFixed(2)} × direct, pair by pair)`,
    )
    // In-process import time, each in a fresh process, in turns.
    const CLIENT = resolve(import.meta.dirname, '../dist/bridge/client/index.js')
    const importMs = async (specifier: string): Promise<number> => {
      const { stdout } = await exec(process.execPath, [
        '--input-type=module',
        '-e',
        `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t)`,
      ])
      return Number(stdout)
    }
    const client: number[] = []
    const ws: number[] = []
    for (let i = 0; i < 12; i++) {
      const a = await importMs(CLIENT)
      const b = await importMs('ws')
      if (i === 0) continue
      client.push(a)
      ws.push(b)
    }
    row(
      "import { Discomfort } from 'discomfort' (fresh process), median of 11",
      `${median(client).toFixed(0)} ms vs ${median(ws).toFixed(0)} ms to import ws (${(median(client) / median(ws)).toFixed(2)} ×)`,
    )
    const version: number[] = []
    for (let i = 0; i < 6; i++) version.push(await wall([BIN, '--version'], /discomfort/))
    row('discomfort --version (a whole process), median of 5', `${median(version.slice(1)).toFixed(0)} ms`)
  } finally {
    await bridge.close()
    await comfy.close()
    rmSync(root, { recursive: true, force: true })
  }
}
