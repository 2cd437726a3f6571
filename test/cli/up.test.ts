/**
 * `discomfort up` as a real process against the stand-in: with a ComfyUI
 * already running (with and without the extension), with a ComfyUI folder
 * (linked and started with the folder's Python, stopped on SIGTERM), and
 * with nothing at all.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ComfyHttp } from '../../bridge/comfy/comfyHttp.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { BIN, runCli } from '../helpers/cli.js'
import { freePort } from '../helpers/net.js'

const ROOT = resolve(import.meta.dirname, '../..')
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'discomfort-up-'))
})

interface Up {
  child: ChildProcessWithoutNullStreams
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
}

function up(args: string[], env: NodeJS.ProcessEnv = {}): Up {
  const child = spawn(process.execPath, [BIN, 'up', ...args], {
    env: { ...process.env, DISCOMFORT_HOME: join(dir, 'home'), ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += String(d)))
  child.stderr.on('data', (d) => (stderr += String(d)))
  const exit = new Promise<number | null>((r) => child.on('exit', r))
  return { child, stdout: () => stdout, stderr: () => stderr, exit }
}

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const note = (value: string) => ({
  '1': { class_type: 'PrimitiveString', inputs: { value } },
  '2': { class_type: 'DiscomfortPort', inputs: { unique_id: 'note', input_data: ['1', 0] } },
})

describe('discomfort up, with a ComfyUI already running', () => {
  let comfy: ComfyStandIn
  let bare: ComfyStandIn
  beforeAll(async () => {
    comfy = await startComfyStandIn({ extensions: { discomfort: join(ROOT, 'web') } })
    bare = await startComfyStandIn()
  })
  afterAll(async () => {
    await comfy.close()
    await bare.close()
  })

  it('starts the bridge, prints where everything is, runs work, and on SIGTERM stops only the bridge', async () => {
    const port = await freePort()
    const u = up(['--comfy', comfy.url, '--port', String(port)])
    await until('the addresses', () => u.stdout().includes('Contexts in:'))
    expect(u.stdout()).toContain(`ComfyUI page:  ${comfy.url}/`)
    expect(u.stdout()).toContain(`Bridge:        http://127.0.0.1:${port}`)
    expect(u.stdout()).toContain(join(dir, 'home', 'contexts'))
    expect(u.stderr()).not.toMatch(/does not load the Discomfort extension/)
    const wf = join(dir, 'note.json')
    writeFileSync(wf, JSON.stringify(note('hello')))
    const run = await runCli(['run', wf, '--bridge', `http://127.0.0.1:${port}`])
    expect(run.stdout).toContain('note: "hello"')
    u.child.kill('SIGTERM')
    expect(await u.exit).toBe(0)
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow()
    expect(await new ComfyHttp(comfy.url).version()).toBe('0.3.54') // not ours to stop
  })

  it('says how to install the extension when the page does not load it', async () => {
    const u = up(['--comfy', bare.url, '--port', String(await freePort())])
    // stdout and stderr are separate pipes: wait for both (the order they arrive in is not fixed).
    await until('the addresses and the advice', () => u.stdout().includes('Contexts in:') && /ln -s/.test(u.stderr()))
    expect(u.stderr()).toMatch(/does not load the Discomfort extension.*ln -s ".*" ".*custom_nodes\/discomfort"/s)
    u.child.kill('SIGINT')
    expect(await u.exit).toBe(0)
  })
})

describe('discomfort up, with a ComfyUI folder', () => {
  it("links the package into custom_nodes, starts ComfyUI with the folder's Python, and stops it on SIGTERM", async () => {
    // A ComfyUI folder whose main.py (run by its venv's Python) serves the stand-in with that folder's custom_nodes.
    const comfyDir = join(dir, 'ComfyUI')
    mkdirSync(join(comfyDir, 'custom_nodes'), { recursive: true })
    mkdirSync(join(comfyDir, 'venv', 'bin'), { recursive: true })
    const realPython = (await import('node:child_process'))
      .execFileSync('python3', ['-c', 'import sys; print(sys.executable)'])
      .toString()
      .trim()
    symlinkSync(realPython, join(comfyDir, 'venv', 'bin', 'python'))
    const tsx = import.meta.resolve('tsx')
    writeFileSync(
      join(comfyDir, 'main.py'),
      `import argparse, os, sys
p = argparse.ArgumentParser()
p.add_argument('--port', default='8188')
args, _ = p.parse_known_args()
here = os.path.dirname(os.path.abspath(__file__))
open(os.path.join(here, 'started_with.txt'), 'w').write(sys.argv[0] + ' ' + os.path.realpath(sys.executable) + ' ' + ' '.join(sys.argv[1:]))
node = ${JSON.stringify(process.execPath)}
os.execv(node, [node, '--import', ${JSON.stringify(tsx)}, ${JSON.stringify(join(ROOT, 'test', 'comfyStandIn', 'main.ts'))}, '--port', args.port, '--custom-nodes', os.path.join(here, 'custom_nodes')])
`,
    )
    const comfyPort = await freePort()
    const comfyUrl = `http://127.0.0.1:${comfyPort}`
    const u = up(['--port', String(await freePort()), '--comfy', comfyUrl, '--comfy-args=--cpu'], {
      DISCOMFORT_COMFYUI_DIR: comfyDir,
    })
    await until('the addresses', () => u.stdout().includes('Contexts in:') || u.child.exitCode !== null, 30_000).catch(
      () => {},
    )
    if (!u.stdout().includes('Contexts in:')) throw new Error(`up did not start: ${u.stderr()}`)
    expect(realpathSync(join(comfyDir, 'custom_nodes', 'discomfort'))).toBe(realpathSync(ROOT))
    const started = readFileSync(join(comfyDir, 'started_with.txt'), 'utf8')
    expect(started).toContain(realpathSync(realPython))
    expect(started).toMatch(/--listen 127\.0\.0\.1 --port \d+ --disable-auto-launch --cpu/)
    const list = (await (await fetch(`${comfyUrl}/extensions`)).json()) as string[]
    expect(list).toContain('/extensions/discomfort/discomfort.js')
    expect(u.stderr()).not.toMatch(/does not list the Discomfort extension/)
    u.child.kill('SIGTERM')
    expect(await u.exit).toBe(0)
    await expect(new ComfyHttp(comfyUrl, { requestTimeoutMs: 1000 }).version()).rejects.toThrow(/not reachable/)

    // A second time: the link is there already, nothing else is touched.
    const again = up(['--port', String(await freePort()), '--comfy', comfyUrl, '--comfyui-dir', comfyDir])
    await until('the addresses', () => again.stdout().includes('Contexts in:'), 30_000)
    expect(again.stderr()).toMatch(/already linked/)
    again.child.kill('SIGTERM')
    expect(await again.exit).toBe(0)
  }, 60_000)

  it('refuses a folder that is not ComfyUI, and says what to give', async () => {
    const r = await runCli(['up', '--comfyui-dir', dir, '--comfy', `http://127.0.0.1:${await freePort()}`], {
      ...process.env,
      DISCOMFORT_HOME: join(dir, 'home'),
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/has no main\.py: give the ComfyUI folder itself/)
  })
})

describe('discomfort up, with nothing', () => {
  it('without a terminal or --install, says the three ways forward and installs nothing', async () => {
    const home = join(dir, 'empty-home')
    const r = await runCli(['up', '--comfy', `http://127.0.0.1:${await freePort()}`], {
      ...process.env,
      DISCOMFORT_HOME: home,
      DISCOMFORT_COMFYUI_DIR: '',
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/No ComfyUI answers at .*--comfyui-dir DIR.*discomfort up --install/s)
    expect(existsSync(join(home, 'comfyui'))).toBe(false)
  })
})
