/**
 * What a newcomer does with the CLI in the first hour, each as a real
 * process: help and version, a port already taken, outputs checked before a
 * run, long loops, progress that names nodes, hex inputs, convert --compiled.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { createServer as createHttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '../../bridge/cli/args.js'
import { ENVIRONMENT } from '../../bridge/env.js'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { BIN, runCli } from '../helpers/cli.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'
import { freePort } from '../helpers/net.js'

const ROOT = resolve(import.meta.dirname, '../..')
const EXAMPLES = join(ROOT, 'examples', 'workflows')
let comfy: ComfyStandIn
let dir: string

beforeAll(async () => {
  comfy = await startComfyStandIn()
  dir = mkdtempSync(join(tmpdir(), 'discomfort-newcomer-'))
})
afterAll(async () => {
  await comfy.close()
})

const cli = (args: string[]) =>
  runCli(args, { ...process.env, DISCOMFORT_COMFY_URL: comfy.url, DISCOMFORT_HOME: join(dir, 'home') })
const anyBridge = async () => ['--start-bridge', '--bridge', `http://127.0.0.1:${await freePort()}`]

describe('help and version', () => {
  it('`<command> --help`, `help <command>` and `--version` answer and exit 0', async () => {
    for (const command of Object.keys(COMMANDS).filter((c) => c !== 'help' && c !== 'version')) {
      const a = await cli([command, '--help'])
      const b = await cli(['help', command])
      expect(a.code).toBe(0)
      expect(a.stdout).toContain(`Usage: discomfort ${command}`)
      expect(b.stdout).toBe(a.stdout)
      // And the list of commands names it.
      expect((await cli(['--help'])).stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
    }
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    const v = await cli(['--version'])
    expect(v.code).toBe(0)
    expect(v.stdout.trim()).toBe(`discomfort ${pkg.version}`)
  })

  it('lists every environment variable the program reads, in --help and in the README', async () => {
    const help = (await cli(['--help'])).stdout
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    for (const { name } of ENVIRONMENT) {
      expect(help).toContain(name)
      expect(readme).toContain(name)
    }
    // Nothing in the program reads the environment except through that list.
    const offenders: string[] = []
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name)
        if (e.isDirectory()) walk(p)
        else if (
          p.endsWith('.ts') &&
          !p.endsWith('env.ts') &&
          /process\.env\.[A-Z_]+|process\.env\[/.test(readFileSync(p, 'utf8'))
        )
          offenders.push(p)
      }
    }
    walk(join(ROOT, 'bridge'))
    expect(offenders).toEqual([])
  })

  it('convert --help says that ports stay as DiscomfortPort pseudo-nodes and how to compile them', async () => {
    const r = await cli(['convert', '--help'])
    expect(r.stdout).toMatch(/pseudo-nodes/)
    expect(r.stdout).toMatch(/--compiled/)
  })
})

describe('a port already in use', () => {
  it('says a Discomfort bridge is there and how to use it', async () => {
    const bridge: Bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: join(dir, 'other-bridge') })
    try {
      const r = await cli(['bridge', '--port', String(bridge.port), '--root', join(dir, 'second')])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(
        new RegExp(`A Discomfort bridge .* is already running at http://127\\.0\\.0\\.1:${bridge.port}`),
      )
      expect(r.stderr).toMatch(/--bridge http:\/\/127\.0\.0\.1:\d+/)
      expect(r.stderr).not.toMatch(/EADDRINUSE/)
    } finally {
      await bridge.close()
    }
  })

  it('says another program holds it and how to pick another port', async () => {
    const other = createServer(() => {})
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    const port = (other.address() as { port: number }).port
    try {
      const r = await cli(['bridge', '--port', String(port), '--root', join(dir, 'third')])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(
        new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is taken by another program.*--port ${port + 1}`),
      )
    } finally {
      other.close()
    }
  })

  it("names Comfy-Org's v2 proxy when it holds the port (8189 is its default too)", async () => {
    const proxy = createHttpServer((req, res) => {
      res.writeHead(req.url === '/api/v2/health' ? 200 : 404, { 'content-type': 'application/json' })
      res.end(req.url === '/api/v2/health' ? '{"status":"healthy","upstream":"http://127.0.0.1:8188"}' : '{}')
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    const port = (proxy.address() as { port: number }).port
    try {
      const r = await cli(['bridge', '--port', String(port), '--root', join(dir, 'fourth')])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(
        /taken by a Comfy API v2 proxy \(comfy-api-proxy, in front of http:\/\/127\.0\.0\.1:8188\)/,
      )
      expect(r.stderr).toMatch(new RegExp(`COMFY_BASE_URL=http://127\\.0\\.0\\.1:${port}.*--port ${port + 1}`))
    } finally {
      proxy.close()
    }
  })
})

describe('run', () => {
  const canvas = ['run', join(EXAMPLES, 'make_canvas.json'), '-i', 'width=32', '-i', 'height=16']

  it('checks --output names against the OUTPUT ports before anything runs', async () => {
    const r = await cli([...canvas, '-i', 'color=0', '--output', `nope=${join(dir, 'x.png')}`, ...(await anyBridge())])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /"nope" is not an OUTPUT port of make_canvas\.json \(OUTPUT ports: "canvas"\)\. Nothing was run\./,
    )
    expect(r.stderr).not.toMatch(/done|wrote/)
  })

  it('an --output file that cannot be written is an error with a non-zero exit, before the run', async () => {
    const r = await cli([...canvas, '-i', 'color=0', '--output', 'canvas=/proc/nope/x.png', ...(await anyBridge())])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/--output canvas=\/proc\/nope\/x\.png: cannot write in \/proc\/nope/)
    expect(r.stderr).not.toMatch(/wrote/)
  })

  it('INT inputs take 0x… hex, as the examples write colours', async () => {
    const out = join(dir, 'green.png')
    const r = await cli([...canvas, '-i', 'color=0x00ff00', '-o', `canvas=${out}`, ...(await anyBridge())])
    expect(r.stderr).toContain('wrote canvas')
    expect(r.code).toBe(0)
    const { decodePng } = await import('../../bridge/codec/png.js')
    expect(Array.from(decodePng(readFileSync(out)).rgba.subarray(0, 3))).toEqual([0, 255, 0])
  })

  it('runs 20 iterations without a MaxListenersExceededWarning', async () => {
    const r = await cli([
      'run',
      join(EXAMPLES, 'invert_and_halve.json'),
      '-i',
      `image=@${join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png')}`,
      '-n',
      '20',
      ...(await anyBridge()),
    ])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/\[20\/20\]/)
    expect(r.stderr).not.toMatch(/MaxListeners/)
  })

  it('on a terminal, progress names nodes by their title, not internal ids', async () => {
    const port = await freePort()
    // `script` gives the process a real pseudo-terminal, as a person's shell would.
    const command = [
      process.execPath,
      BIN,
      ...canvas,
      '-i',
      'color=0',
      '--start-bridge',
      '--bridge',
      `http://127.0.0.1:${port}`,
    ]
      .map((a) => `'${a}'`)
      .join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, DISCOMFORT_COMFY_URL: comfy.url, DISCOMFORT_HOME: join(dir, 'home'), COLUMNS: '200' },
    })
    let out = ''
    child.stdout.on('data', (d) => (out += String(d)))
    const code = await new Promise((r) => child.on('exit', r))
    expect(code).toBe(0)
    expect(out).toMatch(/EmptyImag/)
    expect(out).toMatch(/Capture: canv/)
    expect(out).not.toMatch(/port:canvas:/)
  })

  it('the README names only files that exist', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const named = [
      ...readme.matchAll(/(?:^|[\s'"=@`(])((?:examples|test|bridge|scripts)\/[\w./-]+\.(?:json|png|ts|sh|latent))/gm),
    ].map((m) => m[1]!)
    expect(named.length).toBeGreaterThan(3)
    for (const file of named) expect(existsSync(join(ROOT, file)), file).toBe(true)
  })
})

describe('convert --compiled', () => {
  it('prints the prompt ComfyUI would run: no DiscomfortPort left, inputs written in', async () => {
    const r = await cli([
      'convert',
      join(EXAMPLES, 'scale_square.json'),
      '--object-info',
      join(COMFY_FIXTURES, 'object_info.json'),
      '--compiled',
      '-i',
      'scale=2',
    ])
    expect(r.code).toBe(0)
    const prompt = JSON.parse(r.stdout) as Record<string, { class_type: string; inputs: Record<string, unknown> }>
    const types = Object.values(prompt).map((n) => n.class_type)
    expect(types).not.toContain('DiscomfortPort')
    expect(types).toContain('PreviewImage')
    expect(Object.values(prompt).find((n) => n.class_type === 'ImageScaleBy')?.inputs.scale_by).toBe(2)
    const plain = JSON.parse(
      (
        await cli([
          'convert',
          join(EXAMPLES, 'scale_square.json'),
          '--object-info',
          join(COMFY_FIXTURES, 'object_info.json'),
        ])
      ).stdout,
    ) as Record<string, { class_type: string }>
    expect(Object.values(plain).map((n) => n.class_type)).toContain('DiscomfortPort')
  })
})
