/** Pure argument parsing for the `discomfort` command. */

export const USAGE = `Usage: discomfort <command> [options]

Commands:
  bridge [--port 8189] [--host 127.0.0.1] [--comfy http://127.0.0.1:8188] [--token T]
         [--root DIR] [--allow-origin URL]... [--comfy-launch "python main.py --cpu"] [--comfy-config comfy_serverless.json]
      Run the bridge: contexts, runs, the HTTP API and the ComfyUI extension's backend.
      Beyond 127.0.0.1 it needs a token (--token or DISCOMFORT_TOKEN).

  run <workflow.json>... [--input key=value]... [--iterations N] [--output key=path]...
      [--context ID] [--bridge URL] [--comfy URL] [--json]
      Run workflows in order, N times, through the bridge (started in this process when
      none answers). Input values: numbers, true/false and JSON are parsed, @file reads a
      file (PNG → IMAGE, .latent → LATENT), anything else is a string.
      --output writes a port's final value to a file (PNG, .latent, JSON).

  convert <workflow.json> [--object-info <file> | --comfy <url>]
      Print the API prompt ComfyUI would run for a UI workflow (JSON on stdout).

  help
      Show this text.
`

export interface ConvertArgs {
  command: 'convert'
  workflow: string
  objectInfo?: string
  comfy: string
}

export interface BridgeArgs {
  command: 'bridge'
  host: string
  port: number
  comfy?: string
  token?: string
  root?: string
  allowOrigins: string[]
  comfyLaunch?: string
  comfyConfig?: string
}

export interface RunArgs {
  command: 'run'
  workflows: string[]
  inputs: Array<[string, string]>
  outputs: Array<[string, string]>
  iterations: number
  context?: string
  bridge?: string
  comfy?: string
  json: boolean
}

export type CliArgs = ConvertArgs | BridgeArgs | RunArgs | { command: 'help' }

export class UsageError extends Error {
  override name = 'UsageError'
}

const BOOLEAN_FLAGS = new Set(['json'])

/** Reads `--flag value`, `--flag=value` and repeated flags; everything else is positional. */
function split(argv: readonly string[]): { positional: string[]; flags: Map<string, string[]> } {
  const positional: string[] = []
  const flags = new Map<string, string[]>()
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v])
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    if (eq > 0) {
      add(arg.slice(2, eq), arg.slice(eq + 1))
      continue
    }
    const name = arg.slice(2)
    if (BOOLEAN_FLAGS.has(name)) {
      add(name, 'true')
      continue
    }
    const value = argv[i + 1]
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value.`)
    add(name, value)
    i += 1
  }
  return { positional, flags }
}

function only(flags: Map<string, string[]>, command: string, allowed: string[]): void {
  for (const key of flags.keys()) if (!allowed.includes(key)) throw new UsageError(`${command}: unknown option --${key}.`)
}

const last = (flags: Map<string, string[]>, key: string): string | undefined => flags.get(key)?.at(-1)

function pair(value: string, flag: string): [string, string] {
  const eq = value.indexOf('=')
  if (eq <= 0) throw new UsageError(`--${flag} takes key=value (got "${value}").`)
  return [value.slice(0, eq), value.slice(eq + 1)]
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} takes a whole number (got "${value}").`)
  return n
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' }
  const { positional, flags } = split(rest)
  if (command === 'convert') {
    only(flags, 'convert', ['object-info', 'comfy'])
    const [workflow, extra] = positional
    if (!workflow) throw new UsageError('convert: name the workflow file, e.g. discomfort convert my_workflow.json')
    if (extra) throw new UsageError(`convert: one workflow at a time (got "${workflow}" and "${extra}").`)
    if (flags.has('object-info') && flags.has('comfy')) throw new UsageError('convert: give either --object-info or --comfy, not both.')
    const args: ConvertArgs = { command: 'convert', workflow, comfy: last(flags, 'comfy') ?? 'http://127.0.0.1:8188' }
    const objectInfo = last(flags, 'object-info')
    if (objectInfo) args.objectInfo = objectInfo
    return args
  }
  if (command === 'bridge') {
    only(flags, 'bridge', ['port', 'host', 'comfy', 'token', 'root', 'allow-origin', 'comfy-launch', 'comfy-config'])
    if (positional.length) throw new UsageError(`bridge: unexpected argument "${positional[0]}".`)
    const args: BridgeArgs = {
      command: 'bridge',
      host: last(flags, 'host') ?? '127.0.0.1',
      port: positiveInt(last(flags, 'port'), 'port', 8189),
      allowOrigins: flags.get('allow-origin') ?? [],
    }
    for (const [flag, key] of [['comfy', 'comfy'], ['token', 'token'], ['root', 'root'], ['comfy-launch', 'comfyLaunch'], ['comfy-config', 'comfyConfig']] as const) {
      const v = last(flags, flag)
      if (v !== undefined) args[key] = v
    }
    return args
  }
  if (command === 'run') {
    only(flags, 'run', ['input', 'output', 'iterations', 'context', 'bridge', 'comfy', 'json'])
    if (positional.length === 0) throw new UsageError('run: name at least one workflow file, e.g. discomfort run a.json b.json')
    const iterations = positiveInt(last(flags, 'iterations'), 'iterations', 1)
    if (iterations < 1) throw new UsageError('--iterations must be at least 1.')
    const args: RunArgs = {
      command: 'run',
      workflows: positional,
      inputs: (flags.get('input') ?? []).map((v) => pair(v, 'input')),
      outputs: (flags.get('output') ?? []).map((v) => pair(v, 'output')),
      iterations,
      json: flags.has('json'),
    }
    for (const key of ['context', 'bridge', 'comfy'] as const) {
      const v = last(flags, key)
      if (v !== undefined) args[key] = v
    }
    return args
  }
  throw new UsageError(`Unknown command "${command}".`)
}

/** `--input` values: numbers, booleans, null and JSON parse; `@path` is a file; the rest is a string. */
export function parseInputValue(raw: string): unknown {
  if (raw.startsWith('@')) return { file: raw.slice(1) }
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) || raw === 'true' || raw === 'false' || raw === 'null' || /^[[{"]/.test(raw)) {
    try {
      return JSON.parse(raw) as unknown
    } catch {
      return raw
    }
  }
  return raw
}
