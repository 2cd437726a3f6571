/** Pure argument parsing for the `discomfort` command. */

export const USAGE = `Usage: discomfort <command> [options]

Commands:
  convert <workflow.json> [--object-info <file> | --comfy <url>]
      Print the API prompt ComfyUI would run for a UI workflow (JSON on stdout).
      Node definitions come from an object_info file, or from a running ComfyUI
      (default http://127.0.0.1:8188).
  help
      Show this text.
`

export interface ConvertArgs {
  command: 'convert'
  workflow: string
  objectInfo?: string
  comfy: string
}

export type CliArgs = ConvertArgs | { command: 'help' }

export class UsageError extends Error {
  override name = 'UsageError'
}

/** Reads `--flag value` and `--flag=value`; everything else is positional. */
function split(argv: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = []
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    if (eq > 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1))
      continue
    }
    const value = argv[i + 1]
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value.`)
    flags.set(arg.slice(2), value)
    i += 1
  }
  return { positional, flags }
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' }
  if (command === 'convert') {
    const { positional, flags } = split(rest)
    for (const key of flags.keys()) {
      if (key !== 'object-info' && key !== 'comfy') throw new UsageError(`convert: unknown option --${key}.`)
    }
    const [workflow, extra] = positional
    if (!workflow) throw new UsageError('convert: name the workflow file, e.g. discomfort convert my_workflow.json')
    if (extra) throw new UsageError(`convert: one workflow at a time (got "${workflow}" and "${extra}").`)
    if (flags.has('object-info') && flags.has('comfy')) {
      throw new UsageError('convert: give either --object-info or --comfy, not both.')
    }
    const args: ConvertArgs = { command: 'convert', workflow, comfy: flags.get('comfy') ?? 'http://127.0.0.1:8188' }
    const objectInfo = flags.get('object-info')
    if (objectInfo) args.objectInfo = objectInfo
    return args
  }
  throw new UsageError(`Unknown command "${command}".`)
}
