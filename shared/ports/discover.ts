/**
 * DiscomfortPort pseudo-nodes in an API prompt: which ports there are, what
 * each does (INPUT / OUTPUT / PASSTHRU, by its links) and the ComfyUI type it
 * carries (from object_info, through chains of ports).
 */
import { DISCOMFORT_PORT } from '../convert/frontendNodes.js'
import { PortError } from '../errors.js'
import { isApiLink, type ApiLink, type ApiPrompt } from '../workflow/apiPrompt.js'
import { specType, type ObjectInfo } from '../workflow/objectInfo.js'
import { MATCH_TYPE, matchedInput } from './loops.js'

export type PortMode = 'INPUT' | 'OUTPUT' | 'PASSTHRU'

export interface Consumer {
  nodeId: string
  input: string
}

export interface Port {
  nodeId: string
  uniqueId: string
  mode: PortMode
  /** The ComfyUI type the port carries (`*` when nothing tells). */
  type: string
  /** Where an OUTPUT or PASSTHRU port takes its value from. */
  source?: ApiLink
  /** Inputs that read this port's value. */
  consumers: Consumer[]
}

/** For each node id, the inputs that link to it. */
export function consumersOf(prompt: ApiPrompt): Map<string, Consumer[]> {
  const map = new Map<string, Consumer[]>()
  for (const [nodeId, node] of Object.entries(prompt)) {
    for (const [input, value] of Object.entries(node.inputs)) {
      if (!isApiLink(value)) continue
      let list = map.get(value[0])
      if (!list) {
        list = []
        map.set(value[0], list)
      }
      list.push({ nodeId, input })
    }
  }
  return map
}

function inputType(objectInfo: ObjectInfo, classType: string | undefined, input: string): string | undefined {
  const def = classType ? objectInfo[classType] : undefined
  const spec = def?.input.required?.[input] ?? def?.input.optional?.[input]
  const type = spec ? specType(spec) : undefined
  // A MatchType input takes whatever is connected: it tells nothing.
  return type === MATCH_TYPE ? undefined : type
}

/**
 * Find the ports of a prompt.
 *
 * @throws PortError for an empty `unique_id`, or two INPUT (or two OUTPUT) ports sharing one.
 *   An INPUT and an OUTPUT may share a `unique_id`: that is a feedback loop across iterations.
 */
export function discoverPorts(prompt: ApiPrompt, objectInfo: ObjectInfo, workflowName = 'workflow'): Port[] {
  const consumers = consumersOf(prompt)
  const ports: Port[] = []
  for (const [nodeId, node] of Object.entries(prompt)) {
    if (node.class_type !== DISCOMFORT_PORT) continue
    const raw = node.inputs.unique_id
    const uniqueId = typeof raw === 'string' ? raw.trim() : ''
    if (!uniqueId) {
      throw new PortError(
        `${workflowName}: DiscomfortPort node ${nodeId}${node._meta?.title ? ` "${node._meta.title}"` : ''} has an empty unique_id. ` +
          'Give it the context key it should read or write.',
      )
    }
    const source = isApiLink(node.inputs.input_data) ? node.inputs.input_data : undefined
    const out = consumers.get(nodeId) ?? []
    const mode: PortMode = source ? (out.length > 0 ? 'PASSTHRU' : 'OUTPUT') : 'INPUT'
    const port: Port = { nodeId, uniqueId, mode, type: '*', consumers: out }
    if (source) port.source = source
    ports.push(port)
  }

  // Types flow through chains of ports (PASSTHRU). Both walks are loops with memos, not recursion:
  // a chain of any length is typed in time linear in its length.
  /** The type a link carries: the output type of the first real node up the chain of ports. */
  const sourceMemo = new Map<string, string>()
  const sourceType = (link: ApiLink): string => {
    const path: string[] = []
    const matched = new Set<string>()
    let current: ApiLink | undefined = link
    let type = '*'
    while (current) {
      const [id, slot]: ApiLink = current
      const node: ApiPrompt[string] | undefined = prompt[id]
      if (!node) break
      if (node.class_type !== DISCOMFORT_PORT) {
        const declared: string = objectInfo[node.class_type]?.output[slot] ?? '*'
        // A loop node's matched output carries the type of the input it matches (EndLoop's, of output_value).
        const from: ApiLink | undefined =
          declared === MATCH_TYPE || declared === '*' ? matchedInput(prompt, current) : undefined
        if (from && !matched.has(`${id}#${slot}`)) {
          matched.add(`${id}#${slot}`)
          current = from
          continue
        }
        type = declared === MATCH_TYPE ? '*' : declared
        break
      }
      const known = sourceMemo.get(id)
      if (known !== undefined) {
        type = known
        break
      }
      if (path.includes(id)) break // a loop of ports carries nothing known
      path.push(id)
      const up: unknown = node.inputs.input_data
      current = isApiLink(up) ? up : undefined
    }
    for (const id of path) sourceMemo.set(id, type)
    return type
  }

  /** The type a port's consumers take: the first known one, depth first through downstream ports. */
  const consumerMemo = new Map<string, string>()
  const consumerType = (start: string): string => {
    const active = new Set([start])
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }]
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const list = consumers.get(top.id) ?? []
      let found: string | undefined
      let descended = false
      for (; top.next < list.length; top.next++) {
        const c = list[top.next]!
        const node = prompt[c.nodeId]
        let t: string | undefined
        if (node?.class_type === DISCOMFORT_PORT) {
          t = consumerMemo.get(c.nodeId)
          if (t === undefined && !active.has(c.nodeId)) {
            active.add(c.nodeId)
            stack.push({ id: c.nodeId, next: 0 })
            descended = true
            break
          }
        } else {
          t = inputType(objectInfo, node?.class_type, c.input)
        }
        if (t && t !== '*') {
          found = t
          break
        }
      }
      if (descended) continue
      consumerMemo.set(top.id, found ?? '*')
      active.delete(top.id)
      stack.pop()
    }
    return consumerMemo.get(start) ?? '*'
  }
  for (const port of ports) {
    const fromSource = port.source ? sourceType(port.source) : '*'
    port.type = fromSource !== '*' ? fromSource : consumerType(port.nodeId)
  }

  for (const mode of ['INPUT', 'OUTPUT'] as const) {
    const byId = new Map<string, string>()
    for (const port of ports.filter((p) => p.mode === mode)) {
      const other = byId.get(port.uniqueId)
      if (other !== undefined) {
        throw new PortError(
          `${workflowName}: DiscomfortPort nodes ${other} and ${port.nodeId} are both ${mode} ports for "${port.uniqueId}". ` +
            `A workflow can ${mode === 'INPUT' ? 'read' : 'write'} a key through one port only: rename one of them.`,
        )
      }
      byId.set(port.uniqueId, port.nodeId)
    }
  }
  return ports
}
