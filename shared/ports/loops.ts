/**
 * ComfyUI's native loops (current servers: `StartLoop` / `EndLoop`,
 * comfy_extras/nodes_loop.py; docs/comfyui-server-generations.md §6): which
 * nodes of an API prompt form each loop's body, paired the way the server's
 * `validate_loops` (comfy_execution/validation.py) pairs them, and the types the
 * loop nodes' matched outputs carry.
 */
import { isApiLink, type ApiLink, type ApiPrompt } from '../workflow/apiPrompt.js'

const START_LOOP = 'StartLoop'
const END_LOOP = 'EndLoop'

/** The placeholder type of a V3 MatchType slot: its real type is whatever is connected. */
export const MATCH_TYPE = 'COMFY_MATCHTYPE_V3'

/**
 * Outputs of the loop nodes whose type is that of an input (their MatchType
 * template): EndLoop's `outputs` is `output_value`'s type, StartLoop's
 * `list_item` the list's, `current_iteration_value` the initial value's.
 */
const MATCHED_OUTPUTS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  [END_LOOP]: { 0: 'output_value' },
  [START_LOOP]: { 3: 'mode.list', 4: 'initial_iteration_value' },
}

/** The input whose link types output `slot` of a loop node, if it is a matched output. */
export function matchedInput(prompt: ApiPrompt, link: ApiLink): ApiLink | undefined {
  const node = prompt[link[0]]
  const input = node ? MATCHED_OUTPUTS[node.class_type]?.[link[1]] : undefined
  const value = input ? node!.inputs[input] : undefined
  return isApiLink(value) ? value : undefined
}

export interface Loop {
  start: string
  end: string
  /** The nodes between them: reached from the Start without passing its End (inner loops included). */
  body: Set<string>
}

type Edges = Map<string, Set<string>>

/** The server's `_walk_graph`: every node reached from `from` (stops included, not passed). */
function walk(from: Iterable<string>, edges: Edges, stopAt: ReadonlySet<string> = new Set()): Set<string> {
  const found = new Set<string>()
  const pending = [...from]
  while (pending.length > 0) {
    const id = pending.pop()!
    if (found.has(id)) continue
    found.add(id)
    if (!stopAt.has(id)) pending.push(...(edges.get(id) ?? []))
  }
  return found
}

/** Only the stops a walk reaches. */
const stops = (from: Iterable<string>, edges: Edges, stopAt: ReadonlySet<string>): Set<string> =>
  new Set([...walk(from, edges, stopAt)].filter((id) => stopAt.has(id)))

/**
 * The loops of a prompt, paired as the server pairs them: innermost End first,
 * each with the closest Start above it. Loops the server would refuse (an End
 * without a Start, ambiguous nesting, cycles) are left out: the server says what
 * is wrong with them when the prompt is queued.
 */
export function findLoops(prompt: ApiPrompt): Loop[] {
  const ids = Object.keys(prompt)
  const starts = new Set(ids.filter((id) => prompt[id]!.class_type === START_LOOP))
  const ends = new Set(ids.filter((id) => prompt[id]!.class_type === END_LOOP))
  if (starts.size === 0 || ends.size === 0) return []
  const children: Edges = new Map(ids.map((id) => [id, new Set<string>()]))
  const parents: Edges = new Map(ids.map((id) => [id, new Set<string>()]))
  for (const [id, node] of Object.entries(prompt)) {
    for (const value of Object.values(node.inputs)) {
      if (!isApiLink(value) || !(value[0] in prompt)) continue
      children.get(value[0])!.add(id)
      parents.get(id)!.add(value[0])
    }
  }
  const startDag: Edges = new Map([...starts].map((s) => [s, stops(children.get(s)!, children, starts)]))
  const startDescendants = new Map([...starts].map((s) => [s, walk(startDag.get(s)!, startDag)]))
  const endDag = new Map([...ends].map((e) => [e, stops(parents.get(e)!, parents, ends)]))

  const loops: Loop[] = []
  const remainingStarts = new Set(starts)
  const remainingEnds = new Set(ends)
  while (remainingEnds.size > 0) {
    const end = [...remainingEnds].sort().find((e) => ![...endDag.get(e)!].some((x) => remainingEnds.has(x)))
    if (end === undefined) break
    remainingEnds.delete(end)
    const candidates = [...stops(parents.get(end)!, parents, remainingStarts)]
    const closest = candidates.filter((c) => candidates.every((o) => o === c || startDescendants.get(o)!.has(c)))
    if (closest.length !== 1) continue
    const start = closest[0]!
    remainingStarts.delete(start)
    const body = walk(children.get(start)!, children, new Set([end]))
    body.delete(end)
    loops.push({ start, end, body })
  }
  return loops
}

/** The innermost loop whose body holds the node (a Start counts as inside its own loop), if any. */
export function loopHolding(loops: readonly Loop[], nodeId: string): Loop | undefined {
  const holding = loops.filter((l) => l.start === nodeId || l.body.has(nodeId))
  // Innermost: the smallest body (an inner loop's body lies inside the outer one's).
  return holding.sort((a, b) => a.body.size - b.body.size)[0]
}
