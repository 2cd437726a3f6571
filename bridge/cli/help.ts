/** Help text, rendered from the command specs in args.ts and the environment list. */
import { ENVIRONMENT } from '../env.js'
import { COMMANDS, type CommandName } from './args.js'

/** The commands in the order args.ts declares them: a new command is listed as it is declared. */
const ORDER = Object.keys(COMMANDS) as CommandName[]

function environment(): string {
  const width = Math.max(...ENVIRONMENT.map((e) => e.name.length))
  return `Environment:\n${ENVIRONMENT.map((e) => `  ${e.name.padEnd(width)}  ${e.meaning}`).join('\n')}\n`
}

export function usage(): string {
  const width = Math.max(...ORDER.map((c) => c.length))
  return `Usage: discomfort <command> [options]

Commands:
${ORDER.map((c) => `  ${c.padEnd(width)}  ${COMMANDS[c].summary}`).join('\n')}

\`discomfort help <command>\` (or \`discomfort <command> --help\`) shows a command's options.

${environment()}`
}

export function commandHelp(name: CommandName): string {
  const spec = COMMANDS[name]
  const options = Object.entries(
    spec.options as Record<string, { short?: string; value?: string; help: string; multiple?: boolean }>,
  ).map(
    ([long, o]) => [`${o.short ? `-${o.short}, ` : '    '}--${long}${o.value ? ` ${o.value}` : ''}`, o.help] as const,
  )
  const width = Math.max(0, ...options.map(([flag]) => flag.length))
  const details = 'details' in spec ? `\n${spec.details}\n` : ''
  return `Usage: discomfort ${name}${spec.synopsis ? ` ${spec.synopsis}` : ''}

${spec.summary}
${details}${options.length ? `\nOptions:\n${options.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`).join('\n')}\n` : ''}
${environment()}`
}
