/**
 * The `discomfort` command: parse, dispatch, and turn errors into a message and
 * an exit code. Each command's code is loaded when it runs, so `run` against a
 * running bridge does not load the bridge (Express, SQLite, Redis clients).
 */
import { readFileSync } from 'node:fs'
import { VERSION } from '../version.js'
import { parseArgs, UsageError } from './args.js'
import { commandHelp, usage } from './help.js'

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv, { readFile: (path) => readFileSync(path, 'utf8') })
    switch (args.command) {
      case 'help':
        process.stdout.write(args.topic ? commandHelp(args.topic) : usage())
        return 0
      case 'version':
        process.stdout.write(`discomfort ${VERSION}\n`)
        return 0
      case 'convert':
        await (await import('./commands/convert.js')).convertCommand(args, (text) => process.stdout.write(text))
        return 0
      case 'bridge':
        await (await import('./commands/bridge.js')).bridgeCommand(args, (line) => process.stderr.write(`${line}\n`))
        return 0
      case 'up':
        return await (await import('./commands/up.js')).upCommand(args, {
          stdout: process.stdout,
          stderr: process.stderr,
          stdin: process.stdin,
        })
      case 'mcp':
        await (await import('./commands/mcp.js')).mcpCommand(args, (line) => process.stderr.write(`${line}\n`))
        return 0
      case 'run':
        await (await import('./commands/run.js')).runCommand(args, { stdout: process.stdout, stderr: process.stderr })
        return 0
      case 'sweep':
        return await (await import('./commands/sweep.js')).sweepCommand(args, {
          stdout: process.stdout,
          stderr: process.stderr,
        })
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    process.stderr.write(`discomfort: ${message}\n`)
    if (e instanceof UsageError) {
      const help = e.command ? commandHelp(e.command) : usage()
      process.stderr.write(
        `${help.split('\n')[0]}\nSee \`discomfort help${e.command ? ` ${e.command}` : ''}\` for the options.\n`,
      )
      return 2
    }
    return 1
  }
}
