/** Cycles in an API prompt: ComfyUI cannot run one (it says only "Prompt outputs failed validation"). */
import { WorkflowFormatError } from '../errors.js'
import { type ApiPrompt, isApiLink } from './apiPrompt.js'

/**
 * The nodes of one cycle of links, in order (first node repeated at the end),
 * or undefined when there is none. Iterative: any depth.
 */
export function findCycle(prompt: ApiPrompt): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>()
  for (const start of Object.keys(prompt)) {
    if (state.has(start)) continue
    const path: string[] = [start]
    const pending: string[][] = [upstream(prompt, start)]
    state.set(start, 'open')
    while (path.length > 0) {
      const next = pending[pending.length - 1]!.pop()
      if (next === undefined) {
        state.set(path.pop()!, 'done')
        pending.pop()
        continue
      }
      const seen = state.get(next)
      if (seen === 'open') return [...path.slice(path.indexOf(next)), next]
      if (seen === 'done' || !(next in prompt)) continue
      state.set(next, 'open')
      path.push(next)
      pending.push(upstream(prompt, next))
    }
  }
  return undefined
}

const upstream = (prompt: ApiPrompt, id: string): string[] =>
  Object.values(prompt[id]?.inputs ?? {})
    .filter(isApiLink)
    .map((link) => link[0])

/** Refuse a prompt whose links form a cycle, naming its nodes (id, title or class). */
export function assertNoCycle(prompt: ApiPrompt, workflow: string): void {
  const cycle = findCycle(prompt)
  if (!cycle) return
  const name = (id: string) => `${id} (${prompt[id]?._meta?.title ?? prompt[id]?.class_type ?? '?'})`
  throw new WorkflowFormatError(
    `${workflow}: the links between nodes ${cycle.map(name).join(' → ')} form a cycle, which ComfyUI cannot run. ` +
      'Break one of those links.',
  )
}
