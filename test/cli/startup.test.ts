/**
 * What a command or an entry loads decides how long it takes to start:
 * `discomfort run` against a bridge that is already running and
 * `import … from 'discomfort'` (the client) load no npm package at all (no
 * schemas, no PNG codec, none of the bridge's server packages: Express,
 * SQLite, the Redis and BullMQ clients, ws), nor does `--version`;
 * `discomfort/core` loads nothing of Node; a bridge that works alone loads
 * no Redis client.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { BIN } from '../helpers/cli.js'
import { CONCAT } from '../helpers/prompts.js'

const RECORD = resolve(import.meta.dirname, '../helpers/recordPackages.mjs')
/** Every package the bridge depends on at run time (package.json): a client loads none of them. */
const SERVER_PACKAGES = Object.keys(
  (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { dependencies: object })
    .dependencies,
)

/** The npm packages a `discomfort` command loads, and what it printed. */
async function loaded(args: string[]): Promise<{ packages: string[]; stdout: string }> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', RECORD, BIN, ...args])
  const line = /^packages: (.*)$/m.exec(stderr)
  if (!line) throw new Error(`no package list in: ${stderr}`)
  return { packages: line[1]!.split(' ').filter(Boolean), stdout }
}

let comfy: ComfyStandIn
let bridge: Bridge
let dir: string
beforeAll(async () => {
  comfy = await startComfyStandIn()
  bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: mkdtempSync(join(tmpdir(), 'startup-')) })
  dir = mkdtempSync(join(tmpdir(), 'startup-files-'))
})
afterAll(async () => {
  await bridge?.close()
  await comfy?.close()
})

describe('what a command loads', () => {
  it('`discomfort run` against a running bridge loads none of the server packages', async () => {
    const workflow = join(dir, 'concat.json')
    writeFileSync(workflow, JSON.stringify(CONCAT.workflow))
    const r = await loaded(['run', workflow, '-i', 'text=hi', '--bridge', bridge.url, '--json'])
    expect(r.stdout).toMatch(/hi!/)
    // What it did load is recorded (Node's own HTTP client), and no npm package is among it.
    expect(r.packages).toContain('node:http')
    expect(r.packages.filter((p) => !p.startsWith('node:'))).toEqual([])
  })

  it('`discomfort --version` loads none of them either', async () => {
    const r = await loaded(['--version'])
    expect(r.stdout).toMatch(/^discomfort \d/)
    expect(r.packages.filter((p) => SERVER_PACKAGES.includes(p))).toEqual([])
  })

  /** What importing a module of this package (by its package name, as a user's script does) loads. */
  async function imported(specifier: string): Promise<string[]> {
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', RECORD, '--input-type=module', '-e', `await import(${JSON.stringify(specifier)})`],
      { cwd: resolve(import.meta.dirname, '../..') },
    )
    return /^packages: (.*)$/m.exec(stderr)![1]!.split(' ').filter(Boolean)
  }

  it("`import … from 'discomfort'` is the client: it loads no package at all (not even the schemas or PNG codec)", async () => {
    const packages = await imported('discomfort')
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([])
  })

  it('`discomfort/bridge` is the bridge: it loads its server; `discomfort/core` loads nothing of Node and only zod', async () => {
    const bridgeEntry = await imported('discomfort/bridge')
    expect(bridgeEntry).toEqual(expect.arrayContaining(['ws', 'zod']))
    // Its ledger is the runtime's SQLite: no native addon.
    expect(bridgeEntry).not.toContain('better-sqlite3')
    // Its HTTP server is Node's own.
    expect(bridgeEntry).not.toContain('express')
    expect(await imported('discomfort/core')).toEqual(['zod'])
  })

  it('the bridge code alone loads no Redis or BullMQ client', async () => {
    const { stderr } = await promisify(execFile)(process.execPath, [
      '--import',
      RECORD,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(resolve(import.meta.dirname, '../../dist/bridge/bridge.js'))})`,
    ])
    const packages = /^packages: (.*)$/m.exec(stderr)![1]!.split(' ')
    expect(packages).toContain('ws')
    expect(packages.filter((p) => p === 'ioredis' || p === 'bullmq')).toEqual([])
  })
})

describe("the bridge's ledger is the runtime's SQLite", () => {
  it('a bridge process records a sweep in it and says nothing about SQLite being experimental (Node 22 would)', async () => {
    const { spawn } = await import('node:child_process')
    const bridgeProcessUrl = (said: string) => /listening on (http:\/\/\S+)/.exec(said)?.[1]
    const comfy = await startComfyStandIn()
    const home = mkdtempSync(join(tmpdir(), 'sqlite-home-'))
    const child = spawn(process.execPath, [BIN, 'bridge', '--port', '0', '--root', home, '--comfy', comfy.url])
    let out = ''
    child.stdout.on('data', (d) => (out += String(d)))
    child.stderr.on('data', (d) => (out += String(d)))
    try {
      for (let i = 0; i < 200 && !bridgeProcessUrl(out); i++) await new Promise((r) => setTimeout(r, 25))
      const url = bridgeProcessUrl(out)!
      const sweep = await fetch(`${url}/api/sweeps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflows: [CONCAT], vary: { text: ['a', 'b'] } }),
      })
      expect(sweep.status).toBe(202)
      const listed = (await (await fetch(`${url}/api/sweeps`)).json()) as Array<{ total: number }>
      expect(listed.map((s) => s.total)).toEqual([2])
      expect(out).not.toMatch(/ExperimentalWarning|experimental feature/)
    } finally {
      child.kill('SIGTERM')
      await new Promise((r) => child.on('exit', r))
      await comfy.close()
    }
  })
})
