/** The `discomfort` command. */
import { bridgeCommand } from './commands/bridge.js'
import { convertCommand } from './commands/convert.js'
import { runCommand } from './commands/run.js'
import { parseArgs, USAGE, UsageError } from './args.js'

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv)
    switch (args.command) {
      case 'help':
        process.stdout.write(USAGE)
        return 0
      case 'convert':
        await convertCommand(args, (text) => process.stdout.write(text))
        return 0
      case 'bridge':
        await bridgeCommand(args, (line) => process.stderr.write(`${line}\n`))
        return 0
      case 'run':
        await runCommand(args, { stdout: process.stdout, stderr: process.stderr })
        return 0
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    process.stderr.write(`discomfort: ${message}\n`)
    if (e instanceof UsageError) process.stderr.write(`\n${USAGE}`)
    return e instanceof UsageError ? 2 : 1
  }
}
