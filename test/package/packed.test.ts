/**
 * The package as a user gets it: packed with `npm pack`, installed from the
 * tarball into an empty project, then used there: `npx discomfort bridge`,
 * `npx discomfort run` against the stand-in, and a consumer file importing
 * `discomfort` and `discomfort/core` type-checked against the shipped types.
 */
import { execFile, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePng } from '../../bridge/codec/png.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { freePort } from '../helpers/net.js'

const exec = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
const devVersion = (name: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
    .devDependencies[name]!

let dir: string
let project: string
let comfy: ComfyStandIn

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'discomfort-packed-'))
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  })
  const tarball = join(dir, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename)
  project = join(dir, 'consumer')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  await exec(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      tarball,
      `typescript@${devVersion('typescript')}`,
      `@types/node@${devVersion('@types/node')}`,
    ],
    { cwd: project },
  )
  comfy = await startComfyStandIn()
}, 300_000)

afterAll(async () => {
  await comfy?.close()
})

describe('the installed package', () => {
  it('ships what ComfyUI and the bridge need', () => {
    const pkg = join(project, 'node_modules', 'discomfort')
    for (const file of [
      '__init__.py',
      'pyproject.toml',
      'web/discomfort.js',
      'bridge/config/workflow_context.json',
      'bridge/config/pass_by_rules.json',
      'scripts/comfyui/install.sh',
    ]) {
      expect(existsSync(join(pkg, file)), file).toBe(true)
    }
    // ComfyUI-Manager and the Comfy Registry read pyproject.toml: same name and version as the npm package.
    const pyproject = readFileSync(join(pkg, 'pyproject.toml'), 'utf8')
    const npm = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { name: string; version: string }
    expect(/^version = "([^"]+)"/m.exec(pyproject)?.[1]).toBe(npm.version)
    expect(/^name = "([^"]+)"/m.exec(pyproject)?.[1]).toBe(npm.name)
    expect(pyproject).toMatch(/^\[tool\.comfy\]$/m)
    expect(pyproject).toMatch(/^PublisherId = "\w+"$/m)
  })

  it('`npx discomfort bridge` starts, and `npx discomfort run` runs a workflow through it', async () => {
    const port = await freePort()
    const env = { ...process.env, DISCOMFORT_HOME: join(dir, 'home') }
    const bridge = spawn(
      'npx',
      ['--no-install', 'discomfort', 'bridge', '--port', String(port), '--comfy', comfy.url],
      // Its own process group: npx runs the bridge as a child, and both must stop at the end.
      { cwd: project, env, detached: true },
    )
    let log = ''
    bridge.stderr.on('data', (d) => (log += String(d)))
    const exited = new Promise((r) => bridge.on('exit', r))
    try {
      for (let i = 0; i < 200 && !log.includes('listening'); i++) await new Promise((r) => setTimeout(r, 50))
      expect(log).toContain(`Discomfort bridge listening on http://127.0.0.1:${port}`)
      copyFileSync(join(ROOT, 'examples', 'workflows', 'make_canvas.json'), join(project, 'make_canvas.json'))
      const { stdout, stderr } = await exec(
        'npx',
        [
          '--no-install',
          'discomfort',
          'run',
          'make_canvas.json',
          '-i',
          'width=8',
          '-i',
          'height=4',
          '-i',
          'color=0x112233',
          '-o',
          'canvas=out.png',
          '--bridge',
          `http://127.0.0.1:${port}`,
        ],
        { cwd: project, env },
      )
      expect(stderr).toContain('wrote canvas')
      expect(stdout).toContain('canvas: IMAGE 8×4')
      const png = decodePng(readFileSync(join(project, 'out.png')))
      expect(Array.from(png.rgba.subarray(0, 3))).toEqual([0x11, 0x22, 0x33])
    } finally {
      // A bridge that already exited (it failed to start) leaves nothing to stop: the assertion above says why.
      if (bridge.exitCode === null && bridge.signalCode === null) {
        process.kill(-bridge.pid!, 'SIGTERM')
        await exited
      }
    }
  }, 60_000)

  it('`discomfort`, `discomfort/bridge` and `discomfort/core` import with their types', async () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { Discomfort, type ImageValue, type RunEvent } from 'discomfort'
import { ComfyClient } from 'discomfort/bridge'
import { toApiPrompt, discoverPorts, type ApiPrompt, type ObjectInfo } from 'discomfort/core'

export async function sweep(objectInfo: ObjectInfo, workflow: Parameters<typeof toApiPrompt>[0]): Promise<number> {
  const prompt: ApiPrompt = toApiPrompt(workflow, objectInfo, { name: 'w.json' })
  const ports = discoverPorts(prompt, objectInfo, 'w.json')
  const d = await Discomfort.create({ embedded: false })
  const events: RunEvent[] = []
  const out = await d.run(['w.json'], { inputs: { seed: 1 }, onProgress: (e) => events.push(e) })
  const image = out.image as ImageValue
  void ComfyClient
  return ports.length + image.width + events.length
}
`,
    )
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          noEmit: true,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    )
    await exec('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], { cwd: project })
    const { stdout } = await exec(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const core = await import('discomfort/core'); const main = await import('discomfort'); const bridge = await import('discomfort/bridge'); console.log(typeof core.toApiPrompt, typeof main.Discomfort.create, typeof bridge.startBridge)",
      ],
      { cwd: project },
    )
    expect(stdout.trim()).toBe('function function function')
  }, 60_000)
})
