/**
 * The `discomfort` command line: each command's options (with their help
 * text) declared once, parsed with node:util's parseArgs into typed
 * arguments. Pure: nothing here touches the network or the disk (a config
 * file is read by the function the caller passes in).
 */
import { dirname, resolve } from 'node:path'
import { parseArgs as parseNodeArgs } from 'node:util'
import type { InputValue } from '../values/inputs.js'
import type { PassBy } from '../values/values.js'
import type { SweepValue } from '../../shared/protocol/index.js'
import { DEFAULT_BRIDGE_PORT, DEFAULT_COMFY_URL, MAX_ITERATIONS } from '../defaults.js'
import { DiscomfortError } from '../../shared/errors.js'
import {
  DEFAULT_FRONTEND_VERSION,
  KNOWN_FRONTEND_VERSIONS,
  isFrontendVersion,
} from '../../shared/convert/frontendProfiles.js'

export class UsageError extends DiscomfortError {
  static override code = 'usage'
  override name = 'UsageError'
  constructor(
    message: string,
    /** The command whose usage to show. */
    readonly command?: CommandName,
  ) {
    super(message)
  }
}

interface OptionSpec {
  type: 'string' | 'boolean'
  multiple?: boolean
  short?: string
  /** The value's placeholder in help, e.g. "URL". */
  value?: string
  help: string
}

interface CommandSpec {
  /** Positional arguments as shown in help. */
  synopsis: string
  summary: string
  details?: string
  options: Record<string, OptionSpec>
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'Show this help.' }

export const COMMANDS = {
  up: {
    synopsis: '[options]',
    summary: 'Start everything: ComfyUI with the Discomfort extension, and the bridge. Ctrl+C stops what it started.',
    details: `Uses, in this order: a ComfyUI already answering at --comfy (checks that its page serves the
extension); your ComfyUI folder (--comfyui-dir or DISCOMFORT_COMFYUI_DIR: links this package into its
custom_nodes and starts it with that folder's Python); the ComfyUI that --install put in the home folder;
else, with --install (or a yes at the prompt), installs a CPU ComfyUI there first (a few minutes).`,
    options: {
      'comfyui-dir': { type: 'string', value: 'DIR', help: 'Your ComfyUI folder (with main.py).' },
      python: {
        type: 'string',
        value: 'PATH',
        help: "Python to start ComfyUI with (default: the folder's venv, .venv or python_embeded, else python3).",
      },
      'comfy-args': {
        type: 'string',
        value: 'ARGS',
        help: 'Extra arguments for ComfyUI, e.g. "--cpu" or "--lowvram".',
      },
      install: {
        type: 'boolean',
        help: 'Install a CPU ComfyUI into the home folder if none is found, without asking.',
      },
      comfy: { type: 'string', value: 'URL', help: `ComfyUI's address (default ${DEFAULT_COMFY_URL}).` },
      port: { type: 'string', value: 'N', help: `Bridge port (default ${DEFAULT_BRIDGE_PORT}).` },
      root: { type: 'string', value: 'DIR', help: 'Folder for contexts (default: the home folder).' },
      help: HELP,
    },
  },
  bridge: {
    synopsis: '[options]',
    summary: "Run the bridge: contexts, runs, the HTTP API and the ComfyUI extension's backend.",
    details: 'Beyond 127.0.0.1 it needs a token (--token or DISCOMFORT_TOKEN).',
    options: {
      port: { type: 'string', value: 'N', help: `Port (default ${DEFAULT_BRIDGE_PORT}; 0 for any free port).` },
      host: { type: 'string', value: 'HOST', help: 'Address to listen on (default 127.0.0.1).' },
      comfy: { type: 'string', value: 'URL', help: `ComfyUI's address (default ${DEFAULT_COMFY_URL}).` },
      token: { type: 'string', value: 'T', help: 'Require this bearer token from clients.' },
      root: { type: 'string', value: 'DIR', help: 'Folder for contexts (default: the home folder).' },
      'allow-origin': {
        type: 'string',
        multiple: true,
        value: 'URL',
        help: "A browser origin allowed besides ComfyUI's (repeatable).",
      },
      'comfy-launch': {
        type: 'string',
        value: 'CMD',
        help: 'Start ComfyUI with this command when it does not answer (e.g. "python main.py --cpu").',
      },
      'comfy-config': { type: 'string', value: 'FILE', help: "The original Discomfort's comfy_serverless.json." },
      frontend: {
        type: 'string',
        value: 'VERSION',
        help: `Convert UI workflows as this ComfyUI frontend version does (known: ${KNOWN_FRONTEND_VERSIONS.join(', ')}; default: the one ComfyUI says it serves).`,
      },
      server: {
        type: 'string',
        multiple: true,
        value: 'URL',
        help: 'Another ComfyUI server for runs and sweeps (repeatable); --comfy stays the one the page uses.',
      },
      pool: {
        type: 'string',
        value: 'FILE',
        help: 'A pool file: {"servers": [{"url", "label", "weight", "maxQueued"}, ...]}.',
      },
      redis: {
        type: 'string',
        value: 'URL',
        help: 'Join the bridges on this Redis (redis://host:6379): shared contexts, sweep items as BullMQ jobs. Default: DISCOMFORT_REDIS_URL.',
      },
      'redis-prefix': {
        type: 'string',
        value: 'NAME',
        help: 'Key prefix on that Redis (default discomfort): bridges with the same one share work.',
      },
      'ram-mb': {
        type: 'string',
        value: 'MB',
        help: "RAM each context keeps values in before the least used spill to disk (default: workflow_context.json's, 2 GB).",
      },
      'stall-timeout': {
        type: 'string',
        value: 'SECONDS',
        help: 'A prompt ComfyUI holds with no news of it for this long is dropped there and its run fails (default 600).',
      },
      'redis-lock-ms': {
        type: 'string',
        value: 'MS',
        help: 'A job held by a bridge that stopped answering goes to another after this long (default 30000).',
      },
      name: {
        type: 'string',
        value: 'NAME',
        help: "This bridge's name in item and run records, one per bridge on a Redis (default: host-pid).",
      },
      config: {
        type: 'string',
        value: 'FILE',
        help: 'Take options from this JSON file, each under its name here ({"redis": "redis://…", "server": ["http://…"], "token": "…"}); paths in it are relative to it; flags given as well win.',
      },
      help: HELP,
    },
  },
  run: {
    synopsis: '<workflow.json>... [options]',
    summary:
      'Run workflows in order, N times, through the bridge (without --bridge, one is started in this process when none answers).',
    details: `Input values: numbers (also 0x… hex), true/false and JSON are parsed, @file reads a file
(PNG → IMAGE, .latent → LATENT), anything else is a string.`,
    options: {
      input: {
        type: 'string',
        multiple: true,
        short: 'i',
        value: 'KEY=VALUE',
        help: 'A value for an INPUT port (repeatable).',
      },
      output: {
        type: 'string',
        multiple: true,
        short: 'o',
        value: 'KEY=PATH',
        help: "Write an OUTPUT port's final value to a file: PNG, .latent or JSON (repeatable).",
      },
      iterations: {
        type: 'string',
        short: 'n',
        value: 'N',
        help: `Run the whole list N times (1 to ${MAX_ITERATIONS}; default 1).`,
      },
      context: {
        type: 'string',
        value: 'ID',
        help: 'Run in this context (kept afterwards); default: a new one, removed at the end.',
      },
      stitch: {
        type: 'boolean',
        help: 'Join the workflows into one ComfyUI prompt (INPUTs linked to earlier OUTPUTs of the same key).',
      },
      'pass-by': {
        type: 'string',
        multiple: true,
        value: 'KEY=val|ref',
        help: 'Keep an OUTPUT as its value, or as a reference (its recipe, run again where it is read) (repeatable).',
      },
      'client-id': {
        type: 'string',
        value: 'ID',
        help: "Queue as this ComfyUI client id, so that page shows the progress (ComfyUI's own).",
      },
      'resubmit-lost': {
        type: 'string',
        value: 'N',
        help: 'Submit a workflow again this many times when ComfyUI loses it in a restart (default 2; 0: fail).',
      },
      'start-bridge': {
        type: 'boolean',
        help: 'When no bridge answers at --bridge, start one inside this command (it stops with it).',
      },
      bridge: {
        type: 'string',
        value: 'URL',
        help: `Bridge to use (default http://127.0.0.1:${DEFAULT_BRIDGE_PORT}).`,
      },
      comfy: { type: 'string', value: 'URL', help: 'ComfyUI for a bridge started in this process.' },
      json: { type: 'boolean', help: 'Print the outputs as JSON.' },
      help: HELP,
    },
  },
  sweep: {
    synopsis: '<workflow.json>... --vary KEY=VALUES... [options]',
    summary: 'Run the workflows for every combination of values, over all ComfyUI servers of the bridge.',
    details: `VALUES: a,b,c (numbers and true/false are parsed) or a range of whole numbers 1..100. Several --vary
make a cartesian product (the last varies fastest). Each item's outputs go to DIR/<n>/<key>.<ext>, and
DIR/manifest.jsonl has one line per item: its inputs and its files. The bridge records the sweep before
it starts: if this command stops, --attach ID picks it up again (only what is left runs).`,
    options: {
      vary: {
        type: 'string',
        multiple: true,
        value: 'KEY=VALUES',
        help: 'Values to try for an INPUT port (repeatable: a cartesian product).',
      },
      input: {
        type: 'string',
        multiple: true,
        short: 'i',
        value: 'KEY=VALUE',
        help: 'A value every item gets (repeatable).',
      },
      items: {
        type: 'string',
        value: 'FILE',
        help: 'Instead of --vary: a JSON file with a list of input sets, one item each ([{"seed": 1, "cfg": 3}, ...]).',
      },
      out: { type: 'string', value: 'DIR', help: 'Folder for the outputs and manifest.jsonl (default: sweep-<id>).' },
      context: { type: 'string', value: 'ID', help: 'The master context items read (default: an empty one).' },
      'commit-to-context': {
        type: 'boolean',
        help: "Also save each item's outputs into that context, as <key>.<item number>.",
      },
      concurrency: {
        type: 'string',
        value: 'N',
        help: "Items in flight (default: four times the pool's slots, plus 16).",
      },
      attempts: {
        type: 'string',
        value: 'N',
        help: 'Attempts per item on different servers when a server fails under it (1 to 10; default 3).',
      },
      label: { type: 'string', value: 'TEXT', help: "The sweep's name in lists (default: the workflow files' names)." },
      attach: { type: 'string', value: 'ID', help: 'Follow a sweep submitted earlier instead of submitting one.' },
      'start-bridge': {
        type: 'boolean',
        help: 'When no bridge answers at --bridge, start one inside this command (it stops with it).',
      },
      bridge: {
        type: 'string',
        value: 'URL',
        help: `Bridge to use (default http://127.0.0.1:${DEFAULT_BRIDGE_PORT}).`,
      },
      comfy: {
        type: 'string',
        multiple: true,
        value: 'URL',
        help: 'ComfyUI servers for a bridge started in this process (repeatable: a pool).',
      },
      help: HELP,
    },
  },
  convert: {
    synopsis: '<workflow.json> [options]',
    summary: 'Print the API prompt of a UI workflow (JSON on stdout).',
    details: `Without --compiled this is what the ComfyUI frontend would send: DiscomfortPort nodes stay in it
as pseudo-nodes (class_type "DiscomfortPort"), which only the bridge understands. With --compiled, the
ports are compiled as a run would (INPUT values from --input, OUTPUT ports as capture nodes): the prompt
ComfyUI itself would run. Files for IMAGE, MASK and LATENT inputs are named by their content hash.`,
    options: {
      'object-info': { type: 'string', value: 'FILE', help: 'A saved /object_info instead of asking ComfyUI.' },
      comfy: { type: 'string', value: 'URL', help: `ComfyUI to ask for /object_info (default ${DEFAULT_COMFY_URL}).` },
      compiled: { type: 'boolean', help: 'Compile the ports: print the prompt ComfyUI would run.' },
      frontend: {
        type: 'string',
        value: 'VERSION',
        help: `Convert UI workflows as this ComfyUI frontend version does (known: ${KNOWN_FRONTEND_VERSIONS.join(', ')}; default: with --comfy, the one it serves; else ${DEFAULT_FRONTEND_VERSION}).`,
      },
      input: {
        type: 'string',
        multiple: true,
        short: 'i',
        value: 'KEY=VALUE',
        help: 'With --compiled: a value for an INPUT port (repeatable).',
      },
      help: HELP,
    },
  },
  mcp: {
    synopsis: '[options]',
    summary: 'Serve the bridge to an MCP client (an agent) over stdio: contexts, runs, batches, the pool.',
    details: `In an MCP client's configuration: the command "npx" with the arguments ["discomfort", "mcp"]
(where the package is installed), or "node" with ["/path/to/discomfort/bin/discomfort.js", "mcp"]. It uses the bridge at --bridge (or DISCOMFORT_BRIDGE_URL); when none answers
there it starts one inside this process, which stops with it. Nothing but the protocol goes to stdout;
what it says goes to stderr. A running bridge also serves MCP over HTTP at <bridge>/mcp.`,
    options: {
      bridge: {
        type: 'string',
        value: 'URL',
        help: `Bridge to use (default http://127.0.0.1:${DEFAULT_BRIDGE_PORT}).`,
      },
      token: { type: 'string', value: 'T', help: "The bridge's token (or DISCOMFORT_TOKEN)." },
      comfy: { type: 'string', value: 'URL', help: 'ComfyUI for a bridge started in this process.' },
      help: HELP,
    },
  },
  help: { synopsis: '[command]', summary: 'Show help for all commands, or for one.', options: {} },
  version: { synopsis: '', summary: 'Print the version.', options: {} },
} as const satisfies Record<string, CommandSpec>

export type CommandName = keyof typeof COMMANDS

export interface UpArgs {
  command: 'up'
  comfyuiDir?: string
  python?: string
  comfyArgs?: string
  install: boolean
  comfy?: string
  port: number
  root?: string
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
  frontend?: string
  servers: string[]
  pool?: string
  redis?: string
  redisPrefix?: string
  redisLockMs?: number
  /** --ram-mb: RAM capacity per context. */
  ramMb?: number
  /** --stall-timeout, in seconds. */
  stallTimeoutS?: number
  name?: string
}

export interface RunArgs {
  command: 'run'
  workflows: string[]
  inputs: Array<[string, string]>
  outputs: Array<[string, string]>
  iterations: number
  context?: string
  stitch?: boolean
  passBy?: Record<string, PassBy>
  clientId?: string
  resubmitLost?: number
  bridge?: string
  comfy?: string
  json: boolean
  /** --start-bridge: a bridge in this process when none answers at --bridge. */
  startBridge: boolean
}

export interface SweepArgs {
  command: 'sweep'
  workflows: string[]
  vary: Array<[string, SweepValue[]]>
  base: Array<[string, string]>
  /** --items: a JSON file of input sets. */
  items?: string
  out?: string
  context?: string
  commitToContext?: boolean
  concurrency?: number
  attempts?: number
  label?: string
  attach?: string
  bridge?: string
  /** --start-bridge: a bridge in this process when none answers at --bridge. */
  startBridge: boolean
  comfy: string[]
}

export interface ConvertArgs {
  command: 'convert'
  workflow: string
  objectInfo?: string
  comfy: string
  compiled: boolean
  inputs: Array<[string, string]>
  frontend?: string
}

export interface McpArgs {
  command: 'mcp'
  bridge?: string
  token?: string
  comfy?: string
}

export type CliArgs =
  | McpArgs
  | UpArgs
  | BridgeArgs
  | RunArgs
  | ConvertArgs
  | SweepArgs
  | { command: 'help'; topic?: CommandName }
  | { command: 'version' }

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name)

function pair(value: string, flag: string, command: CommandName): [string, string] {
  const eq = value.indexOf('=')
  if (eq <= 0) throw new UsageError(`--${flag} takes key=value (got "${value}").`, command)
  return [value.slice(0, eq), value.slice(eq + 1)]
}

function wholeNumber(
  value: string | undefined,
  flag: string,
  command: CommandName,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} takes a whole number from ${min} to ${max} (got "${value}").`, command)
  }
  return n
}

/** Turn node:util's parse errors into sentences that name the command. */
function parseCommand(
  command: CommandName,
  argv: readonly string[],
): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const options: Record<string, OptionSpec> = COMMANDS[command].options
    const { values, positionals } = parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: true })
    return { values, positionals }
  } catch (e) {
    const err = e as Error & { code?: string }
    const option = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1]
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`${command}: unknown option ${option ?? ''}. See: discomfort help ${command}`, command)
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        if (/ambiguous/.test(err.message)) {
          throw new UsageError(
            `${command}: ${option ?? 'an option'} needs a value; for one that starts with "-", write it with "=": ${option ?? '--option'}=--cpu`,
            command,
          )
        }
        throw new UsageError(
          `${command}: ${option ?? 'an option'} ${/argument missing/.test(err.message) ? 'needs a value' : "doesn't take a value"}.`,
          command,
        )
      default:
        throw new UsageError(`${command}: ${err.message}`, command)
    }
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [])

/** `1..100` (whole numbers) or `a,b,c` (numbers and booleans parsed, the rest strings). */
function sweepValues(key: string, text: string, command: CommandName): SweepValue[] {
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(text)
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])]
    const n = Math.abs(to - from) + 1
    if (n > 100_000) throw new UsageError(`sweep: --vary ${key}=${text} has ${n} values; at most 100000.`, command)
    return Array.from({ length: n }, (_, i) => (from <= to ? from + i : from - i))
  }
  const values = text.split(',').map((s) => s.trim())
  if (values.some((s) => s === '')) throw new UsageError(`sweep: --vary ${key}=${text} has an empty value.`, command)
  return values.map((s) =>
    s === 'true' ? true : s === 'false' ? false : /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(s) ? Number(s) : s,
  )
}

function frontendVersion(v: unknown, command: CommandName): string | undefined {
  const value = str(v)
  if (value !== undefined && !isFrontendVersion(value))
    throw new UsageError(
      `${command}: --frontend takes a version such as ${DEFAULT_FRONTEND_VERSION} (got "${value}").`,
      command,
    )
  return value
}

/** What the command line needs from outside: reading a config file (`bridge --config`). */
export interface ArgsEnv {
  readFile?: (path: string) => string
}

/**
 * A bridge config file's options, checked against the bridge's own: each key
 * an option's name, each value of the option's kind; paths resolved from the
 * file's folder.
 */
function configFileValues(path: string, env: ArgsEnv): Record<string, unknown> {
  const where = `bridge --config ${path}`
  if (!env.readFile) throw new UsageError(`${where}: config files cannot be read here.`, 'bridge')
  let raw: unknown
  try {
    raw = JSON.parse(env.readFile(path))
  } catch (e) {
    throw new UsageError(`${where}: ${(e as Error).message}`, 'bridge')
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(
      `${where}: the file holds a JSON object of options, e.g. {"redis": "redis://127.0.0.1:6379"}.`,
      'bridge',
    )
  const options: Record<string, OptionSpec> = COMMANDS.bridge.options
  const allowed = Object.keys(options).filter((k) => k !== 'config' && k !== 'help')
  const values: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    const spec = allowed.includes(key) ? options[key] : undefined
    if (!spec)
      throw new UsageError(
        `${where}: "${key}" is not an option of discomfort bridge; it takes: ${allowed.join(', ')}.`,
        'bridge',
      )
    const one = (v: unknown): string => {
      if (typeof v === 'number' && Number.isFinite(v)) return String(v)
      if (typeof v !== 'string')
        throw new UsageError(
          `${where}: "${key}" takes ${spec.multiple ? 'a list of strings' : 'a string'} (got ${JSON.stringify(v)}).`,
          'bridge',
        )
      return spec.value === 'FILE' || spec.value === 'DIR' ? resolve(dirname(path), v) : v
    }
    if (spec.type === 'boolean') {
      if (typeof value !== 'boolean') throw new UsageError(`${where}: "${key}" takes true or false.`, 'bridge')
      values[key] = value
    } else values[key] = spec.multiple ? (Array.isArray(value) ? value : [value]).map(one) : one(value)
  }
  return values
}

export function parseArgs(argv: readonly string[], env: ArgsEnv = {}): CliArgs {
  const [first, ...rest] = argv
  if (first === undefined || first === '--help' || first === '-h') return { command: 'help' }
  if (first === '--version' || first === '-v' || first === 'version') return { command: 'version' }
  if (first === 'help') {
    const topic = rest[0]
    if (topic === undefined) return { command: 'help' }
    if (!isCommand(topic)) throw new UsageError(`help: no command "${topic}".`)
    return { command: 'help', topic }
  }
  if (!isCommand(first)) throw new UsageError(`Unknown command "${first}".`)
  const command = first
  const { values: v, positionals } = parseCommand(command, rest)
  if (v.help === true) return { command: 'help', topic: command }

  switch (command) {
    case 'up': {
      if (positionals.length) throw new UsageError(`up: unexpected argument "${positionals[0]}".`, command)
      const args: UpArgs = {
        command,
        install: v.install === true,
        port: wholeNumber(str(v.port), 'port', command, DEFAULT_BRIDGE_PORT, 0, 65535),
      }
      const dir = str(v['comfyui-dir'])
      if (dir !== undefined) args.comfyuiDir = dir
      for (const [flag, key] of [
        ['python', 'python'],
        ['comfy-args', 'comfyArgs'],
        ['comfy', 'comfy'],
        ['root', 'root'],
      ] as const) {
        const value = str(v[flag])
        if (value !== undefined) args[key] = value
      }
      return args
    }
    case 'bridge': {
      if (positionals.length) throw new UsageError(`bridge: unexpected argument "${positionals[0]}".`, command)
      // The file's options first; flags given as well take their place.
      const config = str(v.config)
      if (config !== undefined) Object.assign(v, { ...configFileValues(config, env), ...v })
      const args: BridgeArgs = {
        command,
        host: str(v.host) ?? '127.0.0.1',
        port: wholeNumber(str(v.port), 'port', command, DEFAULT_BRIDGE_PORT, 0, 65535),
        allowOrigins: list(v['allow-origin']),
        servers: list(v.server),
      }
      const pool = str(v.pool)
      if (pool !== undefined) args.pool = pool
      if (str(v['ram-mb']) !== undefined)
        args.ramMb = wholeNumber(str(v['ram-mb']), 'ram-mb', command, 2048, 1, 1_048_576)
      if (str(v['stall-timeout']) !== undefined)
        args.stallTimeoutS = wholeNumber(str(v['stall-timeout']), 'stall-timeout', command, 600, 1, 86_400)
      if (str(v['redis-lock-ms']) !== undefined)
        args.redisLockMs = wholeNumber(str(v['redis-lock-ms']), 'redis-lock-ms', command, 30_000, 500, 3_600_000)
      for (const [flag, key] of [
        ['comfy', 'comfy'],
        ['token', 'token'],
        ['root', 'root'],
        ['comfy-launch', 'comfyLaunch'],
        ['comfy-config', 'comfyConfig'],
        ['redis', 'redis'],
        ['redis-prefix', 'redisPrefix'],
        ['name', 'name'],
      ] as const) {
        const value = str(v[flag])
        if (value !== undefined) args[key] = value
      }
      const frontend = frontendVersion(v.frontend, command)
      if (frontend) args.frontend = frontend
      return args
    }
    case 'run': {
      if (positionals.length === 0)
        throw new UsageError('run: name at least one workflow file, e.g. discomfort run a.json b.json', command)
      const args: RunArgs = {
        command,
        workflows: positionals,
        inputs: list(v.input).map((x) => pair(x, 'input', command)),
        outputs: list(v.output).map((x) => pair(x, 'output', command)),
        iterations: wholeNumber(str(v.iterations), 'iterations', command, 1, 1, MAX_ITERATIONS),
        json: v.json === true,
        startBridge: v['start-bridge'] === true,
      }
      if (v.stitch === true) args.stitch = true
      const passBy = list(v['pass-by']).map((x) => {
        const [key, how] = pair(x, 'pass-by', command)
        if (how !== 'val' && how !== 'ref')
          throw new UsageError(`--pass-by ${key}=${how}: say val (the value) or ref (a reference).`, command)
        return [key, how] as const
      })
      if (passBy.length) args.passBy = Object.fromEntries(passBy)
      if (str(v['resubmit-lost']) !== undefined)
        args.resubmitLost = wholeNumber(str(v['resubmit-lost']), 'resubmit-lost', command, 2, 0, 10)
      for (const [flag, key] of [
        ['context', 'context'],
        ['bridge', 'bridge'],
        ['comfy', 'comfy'],
        ['client-id', 'clientId'],
      ] as const) {
        const value = str(v[flag])
        if (value !== undefined) args[key] = value
      }
      return args
    }
    case 'sweep': {
      const attach = str(v.attach)
      if (positionals.length === 0 && !attach)
        throw new UsageError(
          'sweep: name the workflow file(s), e.g. discomfort sweep a.json --vary seed=1..10',
          command,
        )
      const vary = list(v.vary).map((x) => {
        const [key, values] = pair(x, 'vary', command)
        return [key, sweepValues(key, values, command)] as [string, SweepValue[]]
      })
      const items = str(v.items)
      if (!attach && vary.length === 0 && items === undefined)
        throw new UsageError(
          'sweep: give at least one --vary KEY=VALUES (e.g. --vary seed=1..100), or --items FILE.',
          command,
        )
      if (vary.length > 0 && items !== undefined)
        throw new UsageError('sweep: give either --vary or --items, not both.', command)
      const args: SweepArgs = {
        command,
        workflows: positionals,
        vary,
        base: list(v.input).map((x) => pair(x, 'input', command)),
        comfy: list(v.comfy),
        startBridge: v['start-bridge'] === true,
      }
      if (v['commit-to-context'] === true) args.commitToContext = true
      if (str(v.concurrency) !== undefined)
        args.concurrency = wholeNumber(str(v.concurrency), 'concurrency', command, 1, 1, 10_000)
      if (str(v.attempts) !== undefined) args.attempts = wholeNumber(str(v.attempts), 'attempts', command, 3, 1, 10)
      for (const key of ['out', 'context', 'attach', 'bridge', 'items', 'label'] as const) {
        const value = str(v[key])
        if (value !== undefined) args[key] = value
      }
      return args
    }
    case 'mcp': {
      if (positionals.length) throw new UsageError(`mcp: unexpected argument "${positionals[0]}".`, command)
      const args: McpArgs = { command }
      for (const key of ['bridge', 'token', 'comfy'] as const) {
        const value = str(v[key])
        if (value !== undefined) args[key] = value
      }
      return args
    }
    case 'convert': {
      const [workflow, extra] = positionals
      if (!workflow)
        throw new UsageError('convert: name the workflow file, e.g. discomfort convert my_workflow.json', command)
      if (extra) throw new UsageError(`convert: one workflow at a time (got "${workflow}" and "${extra}").`, command)
      if (v['object-info'] !== undefined && v.comfy !== undefined)
        throw new UsageError('convert: give either --object-info or --comfy, not both.', command)
      const inputs = list(v.input).map((x) => pair(x, 'input', command))
      if (inputs.length && v.compiled !== true)
        throw new UsageError('convert: --input only makes sense with --compiled.', command)
      const args: ConvertArgs = {
        command,
        workflow,
        comfy: str(v.comfy) ?? DEFAULT_COMFY_URL,
        compiled: v.compiled === true,
        inputs,
      }
      const objectInfo = str(v['object-info'])
      if (objectInfo !== undefined) args.objectInfo = objectInfo
      const frontend = frontendVersion(v.frontend, command)
      if (frontend) args.frontend = frontend
      return args
    }
    default:
      // help and version were handled before parsing.
      return { command: 'help', topic: command }
  }
}

/**
 * `--input` values: numbers, booleans, null and JSON parse; `@path` is a file;
 * the rest is a string (a `0x…` string becomes a number where the port takes INT or FLOAT).
 */
export function parseInputValue(raw: string): unknown {
  if (raw.startsWith('@')) return { file: raw.slice(1) }
  if (
    /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) ||
    raw === 'true' ||
    raw === 'false' ||
    raw === 'null' ||
    /^[[{"]/.test(raw)
  ) {
    try {
      return JSON.parse(raw) as unknown
    } catch {
      return raw
    }
  }
  return raw
}

/** `--input key=value` pairs as run inputs. */
export const parseInputs = (pairs: Array<[string, string]>): Record<string, InputValue> =>
  Object.fromEntries(pairs.map(([key, raw]) => [key, parseInputValue(raw) as InputValue]))
