/**
 * `discomfort up --comfyui-dir` on the real ComfyUI that `npm run comfyui:install`
 * (or `up --install`) installed: the package is linked into its custom_nodes,
 * ComfyUI starts with that install's Python, the page serves the extension,
 * a run from the CLI lands in the context, and SIGTERM stops everything.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, it } from 'vitest'
import { BIN, runCli } from '../helpers/cli.js'
import { freePort } from '../helpers/net.js'

const ROOT = resolve(import.meta.dirname, '../..')
const INSTALL = process.env.COMFYUI_INSTALL_DIR ?? join(ROOT, '.comfyui')

it('up --comfyui-dir: the real page serves the extension, and a CLI run lands in the context', async () => {
  const treeFile = join(INSTALL, 'tree')
  if (!existsSync(treeFile)) throw new Error(`No ComfyUI installed in ${INSTALL}. Run: npm run comfyui:install`)
  const tree = readFileSync(treeFile, 'utf8').trim()
  const data = mkdtempSync(join(tmpdir(), 'discomfort-up-real-'))
  for (const d of ['input', 'output', 'user']) mkdirSync(join(data, d))
  const comfy = `http://127.0.0.1:${await freePort()}`
  const bridge = `http://127.0.0.1:${await freePort()}`
  const comfyArgs = `--cpu --input-directory ${join(data, 'input')} --output-directory ${join(data, 'output')} --temp-directory ${data} --user-directory ${join(data, 'user')} --database-url sqlite:///${join(data, 'comfyui.db')}`
  const env = { ...process.env, DISCOMFORT_HOME: join(data, 'home') }
  const up = spawn(
    process.execPath,
    [
      BIN,
      'up',
      '--comfyui-dir',
      tree,
      '--python',
      join(INSTALL, 'venv', 'bin', 'python'),
      `--comfy-args=${comfyArgs}`,
      '--comfy',
      comfy,
      '--port',
      new URL(bridge).port,
    ],
    { env },
  )
  let out = ''
  up.stdout.on('data', (d) => (out += String(d)))
  up.stderr.on('data', (d) => (out += String(d)))
  const exit = new Promise((r) => up.on('exit', r))
  try {
    for (let i = 0; i < 1800 && !out.includes('Contexts in:') && up.exitCode === null; i++)
      await new Promise((r) => setTimeout(r, 100))
    expect(out).toContain(`ComfyUI page:  ${comfy}/`)
    const list = (await (await fetch(`${comfy}/extensions`)).json()) as string[]
    expect(list).toContain('/extensions/discomfort/discomfort.js')
    expect(await (await fetch(`${comfy}/extensions/discomfort/discomfort.js`)).text()).toContain('DiscomfortPort')
    const run = await runCli(
      [
        'run',
        join(ROOT, 'examples', 'workflows', 'make_canvas.json'),
        '-i',
        'width=16',
        '-i',
        'height=8',
        '-i',
        'color=0x204080',
        '--context',
        'from-the-cli',
        '--bridge',
        bridge,
      ],
      env,
    )
    expect(run.code).toBe(0)
    const context = (await (await fetch(`${bridge}/api/contexts/from-the-cli`)).json()) as {
      entries: Array<{ key: string; comfyType?: string }>
    }
    expect(context.entries.map((e) => e.key)).toContain('canvas')
  } finally {
    up.kill('SIGTERM')
    await exit
  }
  expect(up.exitCode).toBe(0)
  await expect(fetch(`${comfy}/system_stats`)).rejects.toThrow()
}, 240_000)
