/**
 * Run the stand-in as its own process:
 * `node --import tsx test/comfyStandIn/main.ts --port 8188 [--root DIR] [--custom-nodes DIR] [--frontend DIR] [--node-delay-ms N] [--prompt-delay-ms N] [--test-hooks] [--profile current|0.3.75]`.
 * Used by tests of the ComfyUI launcher and the CLI, and handy for trying the bridge without ComfyUI.
 *
 * --custom-nodes does what ComfyUI does with its custom_nodes folder for a
 * JavaScript-only node pack: each sub-folder whose __init__.py sets
 * WEB_DIRECTORY has that folder served at /extensions/<sub-folder>/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { isComfyProfile } from './profile.js'
import { startComfyStandIn } from './server.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8188' },
    listen: { type: 'string' },
    root: { type: 'string' },
    'custom-nodes': { type: 'string' },
    frontend: { type: 'string' },
    'node-delay-ms': { type: 'string' },
    'prompt-delay-ms': { type: 'string' },
    'test-hooks': { type: 'boolean' },
    profile: { type: 'string' },
  },
  strict: false,
})

function webDirectories(customNodes: string): Record<string, string> {
  const found: Record<string, string> = {}
  for (const entry of readdirSync(customNodes, { withFileTypes: true })) {
    const init = join(customNodes, entry.name, '__init__.py')
    if (!existsSync(init)) continue
    const web = /^WEB_DIRECTORY\s*=\s*["']([^"']+)["']/m.exec(readFileSync(init, 'utf8'))?.[1]
    if (web) found[entry.name] = resolve(customNodes, entry.name, web)
  }
  return found
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const customNodes = str(values['custom-nodes'])
const root = str(values.root)
const frontend = str(values.frontend)
const profile = str(values.profile)
if (profile !== undefined && !isComfyProfile(profile)) {
  process.stderr.write(`--profile must be 'current' or '0.3.75', not '${profile}'\n`)
  process.exit(2)
}
const comfy = await startComfyStandIn({
  port: Number(str(values.port)),
  ...(root ? { root } : {}),
  ...(customNodes ? { extensions: webDirectories(customNodes) } : {}),
  ...(frontend ? { frontendDir: frontend } : {}),
  ...(str(values['node-delay-ms']) ? { nodeDelayMs: Number(str(values['node-delay-ms'])) } : {}),
  ...(str(values['prompt-delay-ms']) ? { promptDelayMs: Number(str(values['prompt-delay-ms'])) } : {}),
  ...(values['test-hooks'] === true ? { testHooks: true } : {}),
  ...(profile ? { profile } : {}),
})
process.stdout.write(`ComfyUI stand-in listening on ${comfy.url}\n`)
const stop = () => void comfy.close().then(() => process.exit(0))
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
