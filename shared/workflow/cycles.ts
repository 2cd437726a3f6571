/** Cycles in an API prompt: ComfyUI cannot run one (it says only "Prompt outputs failed validation"). */
import { WorkflowFormatError } from '../errors.js'
import { type ApiPrompt, isApiLink } from './apiPrompt.js'

/**
 * The nodes of one cycle of links, in order (first node repeated at the end),
 * or undefined when there is none. Iterative: any depth.
 */
export function findCycle(prompt: ApiPrompt): string[] | undefined {
  const OPEN = 1
  const DONE = 2
  const state = new Map<string, number>()
  // The depth-first path, with each node's upstream ids and how far through them it is.
  const ids: string[] = []
  const deps: string[][] = []
  const at: number[] = []
  const push = (id: string) => {
    state.set(id, OPEN)
    const up: string[] = []
    const inputs = prompt[id]!.inputs
    for (const name in inputs) {
      const v = inputs[name]
      if (isApiLink(v)) up.push(v[0])
    }
    ids.push(id)
    deps.push(up)
    at.push(0)
  }
  for (const start in prompt) {
    if (state.has(start)) continue
    push(start)
    while (ids.length > 0) {
      const top = ids.length - 1
      const up = deps[top]!
      const i = at[top]!
      if (i >= up.length) {
        state.set(ids.pop()!, DONE)
        deps.pop()
        at.pop()
        continue
      }
      at[top] = i + 1
      const next = up[i]!
      const seen = state.get(next)
      if (seen === OPEN) return [...ids.slice(ids.indexOf(next)), next]
      if (seen === undefined && next in prompt) push(next)
    }
  }
  return undefined
}

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
