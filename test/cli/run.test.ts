import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../helpers/net.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePng } from '../../bridge/codec/png.js'
import { parseArgs, parseInputValue } from '../../bridge/cli/args.js'
import { BIN, runCli } from '../helpers/cli.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'

let comfy: ComfyStandIn
let dir: string

beforeAll(async () => {
  comfy = await startComfyStandIn()
  dir = mkdtempSync(join(tmpdir(), 'discomfort-cli-run-'))
  writeFileSync(
    join(dir, 'invert.json'),
    JSON.stringify({
      '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'image' } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'output_image', input_data: ['2', 0] } },
      '4': { class_type: 'DiscomfortPort', inputs: { unique_id: 'seed' } },
      '5': { class_type: 'PrimitiveInt', inputs: { value: ['4', 0] } },
      '6': { class_type: 'DiscomfortPort', inputs: { unique_id: 'seed_out', input_data: ['5', 0] } },
    }),
  )
})
afterAll(async () => {
  await comfy.close()
})

const cli = (args: string[]) =>
  runCli(args, { ...process.env, DISCOMFORT_COMFY_URL: comfy.url, DISCOMFORT_HOME: join(dir, 'home') })

describe('discomfort run', () => {
  it('runs a workflow with inputs (a file and a number), shows progress lines, writes the output', async () => {
    const out = join(dir, 'out.png')
    const r = await cli([
      'run',
      join(dir, 'invert.json'),
      '--input',
      `image=@${join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png')}`,
      '--input',
      'seed=42',
      '--iterations',
      '2',
      '--output',
      `output_image=${out}`,
      '--start-bridge',
      '--bridge',
      `http://127.0.0.1:${await freePort()}`,
    ])
    expect(r.stderr).toMatch(/\[1\/2\] invert\.json iteration 1: done/)
    expect(r.stderr).toMatch(/\[2\/2\] invert\.json iteration 2: done/)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('output_image: IMAGE 64×48')
    expect(r.stdout).toContain('seed_out: 42')
    const png = decodePng(readFileSync(out))
    expect(Array.from(png.rgba.subarray(0, 3))).toEqual([255, 0, 0])
  })

  it('--json prints the outputs as JSON', async () => {
    const r = await cli([
      'run',
      join(dir, 'invert.json'),
      '--input',
      `image=@${join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png')}`,
      '--input',
      'seed=7',
      '--json',
      '--start-bridge',
      '--bridge',
      `http://127.0.0.1:${await freePort()}`,
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ output_image: 'IMAGE 64×48', seed_out: 7 })
  })

  it('fails with a readable error and a non-zero exit', async () => {
    const r = await cli([
      'run',
      join(dir, 'invert.json'),
      '--input',
      'seed=1',
      '--start-bridge',
      '--bridge',
      `http://127.0.0.1:${await freePort()}`,
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /discomfort: invert\.json: INPUT port "image" \(node 1\) needs "image", which the context does not hold/,
    )
  })

  it('parses its arguments', () => {
    expect(
      parseArgs([
        'run',
        'a.json',
        'b.json',
        '--input',
        'seed=42',
        '--input',
        'image=@in.png',
        '--iterations',
        '5',
        '--output',
        'output_image=out.png',
      ]),
    ).toEqual({
      command: 'run',
      workflows: ['a.json', 'b.json'],
      inputs: [
        ['seed', '42'],
        ['image', '@in.png'],
      ],
      outputs: [['output_image', 'out.png']],
      iterations: 5,
      json: false,
      startBridge: false,
    })
    expect(parseInputValue('42')).toBe(42)
    expect(parseInputValue('0.5')).toBe(0.5)
    expect(parseInputValue('true')).toBe(true)
    expect(parseInputValue('@in.png')).toEqual({ file: 'in.png' })
    expect(parseInputValue('[1,2]')).toEqual([1, 2])
    expect(parseInputValue('a cat')).toBe('a cat')
    expect(() => parseArgs(['run', 'a.json', '--iterations', '0'])).toThrow(/from 1 to 100000/)
    expect(() => parseArgs(['run', 'a.json', '--input', 'novalue'])).toThrow(/key=value/)
    expect(
      parseArgs(['bridge', '--port', '9000', '--allow-origin', 'http://a', '--allow-origin', 'http://b']),
    ).toMatchObject({ port: 9000, allowOrigins: ['http://a', 'http://b'], host: '127.0.0.1' })
  })
})

describe('discomfort bridge', () => {
  it('serves until SIGTERM, then stops cleanly; refuses 0.0.0.0 without a token', async () => {
    const { spawn } = await import('node:child_process')
    const port = await freePort()
    const child = spawn(
      process.execPath,
      [BIN, 'bridge', '--port', String(port), '--comfy', comfy.url, '--root', join(dir, 'bridge-root')],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += String(d)))
    for (let i = 0; i < 100 && !stderr.includes('listening'); i++) await new Promise((r) => setTimeout(r, 50))
    expect(stderr).toMatch(new RegExp(`Discomfort bridge listening on http://127\\.0\\.0\\.1:${port}`))
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
      comfy: { reachable: boolean }
    }
    expect(health.comfy.reachable).toBe(true)
    child.kill('SIGTERM')
    const code = await new Promise((r) => child.on('exit', r))
    expect(code).toBe(0)
    const refused = await cli(['bridge', '--host', '0.0.0.0', '--port', String(port)])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0 without a token/)
  })
})
