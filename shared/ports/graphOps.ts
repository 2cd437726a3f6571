/**
 * Graph operations on API prompts with ports: removing PASSTHRU ports,
 * pruning to the ancestors of an output, and stitching partial workflows.
 */
import { DISCOMFORT_PORT } from '../convert/frontendNodes.js'
import { PortError } from '../errors.js'
import { isApiLink, type ApiLink, type ApiPrompt } from '../workflow/apiPrompt.js'
import { discoverPorts } from './discover.js'
import type { ObjectInfo } from '../workflow/objectInfo.js'
import { cloneJson } from '../util/cloneJson.js'

const clone = (prompt: ApiPrompt): ApiPrompt => cloneJson(prompt)

/**
 * Follow a link up through PASSTHRU ports to the node that really produces the
 * value, or to the INPUT port the chain starts at. Undefined on a cycle.
 */
export function resolveThroughPorts(prompt: ApiPrompt, link: ApiLink): ApiLink | undefined {
  let current: ApiLink = link
  const seen = new Set<string>()
  while (prompt[current[0]]?.class_type === DISCOMFORT_PORT) {
    if (seen.has(current[0])) return undefined
    seen.add(current[0])
    const up: unknown = prompt[current[0]]!.inputs.input_data
    if (!isApiLink(up)) return current
    current = up
  }
  return current
}

/** Remove PASSTHRU ports: their consumers link straight to the port's source. INPUT and OUTPUT ports stay. */
export function removePassthru(prompt: ApiPrompt): ApiPrompt {
  const out = clone(prompt)
  const consumed = new Set<string>()
  for (const node of Object.values(out)) {
    for (const value of Object.values(node.inputs)) if (isApiLink(value)) consumed.add(value[0])
  }
  const passthru = Object.keys(out).filter(
    (id) => out[id]!.class_type === DISCOMFORT_PORT && isApiLink(out[id]!.inputs.input_data) && consumed.has(id),
  )
  if (passthru.length === 0) return out
  for (const node of Object.values(out)) {
    for (const [name, value] of Object.entries(node.inputs)) {
      if (!isApiLink(value) || !passthru.includes(value[0])) continue
      const source = resolveThroughPorts(out, value)
      if (source) node.inputs[name] = source
    }
  }
  for (const id of passthru) delete out[id]
  return out
}

/** The given nodes and all their ancestors: the minimal sub-prompt that computes them. */
export function ancestors(prompt: ApiPrompt, ids: readonly string[]): ApiPrompt {
  const out: ApiPrompt = {}
  const stack = [...ids]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (id in out) continue
    const node = prompt[id]
    if (!node) continue
    out[id] = cloneJson(node)
    for (const value of Object.values(node.inputs)) if (isApiLink(value)) stack.push(value[0])
  }
  return out
}

/** A pruned sub-prompt plus the output of it that yields a value: a reference recipe. */
export interface Recipe {
  prompt: ApiPrompt
  output: ApiLink
}

/**
 * The minimal sub-prompt producing an OUTPUT port's value, with PASSTHRU ports
 * removed. The port itself is not part of it.
 */
export function pruneToPort(prompt: ApiPrompt, portNodeId: string, workflowName = 'workflow'): Recipe {
  const port = prompt[portNodeId]
  if (port?.class_type !== DISCOMFORT_PORT || !isApiLink(port.inputs.input_data)) {
    throw new PortError(`${workflowName}: node ${portNodeId} is not a DiscomfortPort with a connected input.`)
  }
  const flat = removePassthru(prompt)
  const output = resolveThroughPorts(prompt, port.inputs.input_data)
  if (!output) throw new PortError(`${workflowName}: port ${portNodeId} has no producing node upstream.`)
  const sub = ancestors(flat, [output[0]])
  for (const id of Object.keys(sub)) if (sub[id]!.class_type === DISCOMFORT_PORT) delete sub[id]
  return { prompt: sub, output }
}

export interface StitchedWorkflow {
  prompt: ApiPrompt
  /** For each input workflow, its old node id → new node id. */
  idMaps: Array<Map<string, string>>
}

/**
 * Join partial workflows into one prompt. Node ids are namespaced by
 * position (`"1/5"`, `"2/5"`). Each INPUT port is connected to the latest
 * earlier OUTPUT port with the same unique_id (and so becomes a PASSTHRU);
 * the OUTPUT port keeps capturing unless a later OUTPUT of the same key
 * supersedes it. INPUT ports with no earlier OUTPUT stay INPUT ports, to be
 * read from the context.
 */
export function stitch(
  workflows: ReadonlyArray<{ name: string; prompt: ApiPrompt }>,
  objectInfo: ObjectInfo,
): StitchedWorkflow {
  const prompt: ApiPrompt = {}
  const idMaps: Array<Map<string, string>> = []
  const outputs = new Map<string, ApiLink>() // unique_id → source link (already renamed), latest wins
  const outputPorts = new Map<string, string>() // unique_id → the stitched OUTPUT port's id
  workflows.forEach(({ name, prompt: part }, index) => {
    const ports = discoverPorts(part, objectInfo, name)
    const map = new Map<string, string>()
    for (const id of Object.keys(part)) map.set(id, `${index + 1}/${id}`)
    idMaps.push(map)
    const rename = (link: ApiLink): ApiLink => [map.get(link[0]) ?? link[0], link[1]]
    for (const [id, node] of Object.entries(part)) {
      const copy = cloneJson(node)
      for (const [k, v] of Object.entries(copy.inputs)) if (isApiLink(v)) copy.inputs[k] = rename(v)
      prompt[map.get(id)!] = copy
    }
    for (const port of ports) {
      if (port.mode !== 'INPUT') continue
      const source = outputs.get(port.uniqueId)
      if (source) prompt[map.get(port.nodeId)!]!.inputs.input_data = source
    }
    for (const port of ports) {
      if (port.mode !== 'OUTPUT' || !port.source) continue
      // A later OUTPUT of the same key supersedes the earlier one: only the last value is kept.
      const earlier = outputPorts.get(port.uniqueId)
      if (earlier) delete prompt[earlier]
      outputPorts.set(port.uniqueId, map.get(port.nodeId)!)
      outputs.set(port.uniqueId, rename(port.source))
    }
  })
  return { prompt, idMaps }
}
