/**
 * Invariant 6 of docs/FAULTS.md, and the README's path it breaks on: the CLI
 * as typed, against a bridge running in its own process (the state `up`
 * leaves). A file named with `@` is read by the CLI and sent as bytes; a
 * `--bridge` that does not answer is an error saying so (no bridge of the
 * command's own unless `--start-bridge`); `sweep --out` is checked before
 * anything is submitted.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePng } from '../../bridge/codec/png.js'
import { runCli } from '../helpers/cli.js'
import { freePort } from '../helpers/net.js'
import { bridgeProcess, killAll, standIn } from '../helpers/processes.js'

const EXAMPLES = resolve(import.meta.dirname, '../../examples')
let bridge: string
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clients-'))
  const comfy = await standIn(0)
  const port = await freePort()
  await bridgeProcess(join(dir, 'home'), [comfy], port)
  bridge = `http://127.0.0.1:${port}`
}, 30_000)
afterAll(() => killAll())

const env = () => ({ ...process.env, DISCOMFORT_BRIDGE_URL: bridge })

describe('clients of a running bridge', () => {
  it("the README's third command as typed: @file is read by the CLI and sent as bytes to the running bridge", async () => {
    const out = join(dir, 'out.png')
    const r = await runCli(
      [
        'run',
        join(EXAMPLES, 'workflows/invert_and_halve.json'),
        '--input',
        `image=@${join(EXAMPLES, 'images/red_64x48.png')}`,
        '--iterations',
        '5',
        '--output',
        `image=${out}`,
      ],
      env(),
    )
    expect(r.stderr).not.toMatch(/does not read files/)
    expect(r.code, r.stderr).toBe(0)
    // Halved five times, inverted five times: the example's red 64×48 is a cyan 2×2.
    const png = decodePng(readFileSync(out))
    expect([png.width, png.height]).toEqual([2, 2])
    expect(Array.from(png.rgba.subarray(0, 3))).toEqual([0, 255, 255])
  }, 30_000)

  it('a file that cannot be read is an error naming it, before anything runs', async () => {
    const r = await runCli(
      ['run', join(EXAMPLES, 'workflows/invert_and_halve.json'), '--input', 'image=@no/such/file.png'],
      env(),
    )
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/inputs\["image"\]: cannot read "no\/such\/file\.png" \(ENOENT\)/)
  })

  it('a run missing several inputs names them all at once, with the command-line way to give them', async () => {
    const r = await runCli(['run', join(EXAMPLES, 'workflows/make_canvas.json')], env())
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /make_canvas\.json: 3 INPUT ports need values the context does not hold: "width" \(node \d+\), "height" \(node \d+\), "color" \(node \d+\)/,
    )
    expect(r.stderr).toMatch(/on the command line, -i width=… -i height=… -i color=…/)
  })

  it('--bridge that does not answer is an error saying so, and starts no bridge of its own', async () => {
    const port = await freePort()
    const r = await runCli([
      'run',
      join(EXAMPLES, 'workflows/make_canvas.json'),
      '-i',
      'width=8',
      '--bridge',
      `http://127.0.0.1:${port}`,
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`No Discomfort bridge answers at http://127.0.0.1:${port}`))
    expect(r.stderr).not.toMatch(/listening/)
  })

  it('sweep --out that cannot be written is an error before the sweep is submitted', async () => {
    const before = (await (await fetch(`${bridge}/api/sweeps`)).json()) as unknown[]
    // As root every folder is writable: a file where a folder must be is refused for anyone.
    const r = await runCli(
      [
        'sweep',
        join(EXAMPLES, 'workflows/make_canvas.json'),
        '--vary',
        'width=8,16',
        '--out',
        join(EXAMPLES, 'images/red_64x48.png', 'sub'),
      ],
      env(),
    )
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/--out .*: cannot write there .*Nothing was submitted/)
    const after = (await (await fetch(`${bridge}/api/sweeps`)).json()) as unknown[]
    expect(after.length).toBe(before.length)
  })
})
