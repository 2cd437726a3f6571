/**
 * Legacy group nodes (`workflow>Name`, older `workflow/Name`), defined in
 * `extra.groupNodes`, rewritten as subgraph definitions so one resolver
 * handles both. Inner nodes get execution ids `"<groupNodeId>:<index>"`, as in
 * the frontend.
 *
 * The group node's own widgets carry the inner widgets' values: one per
 * widget input of each inner node, in inner-node order (a `control_after_generate`
 * companion after seeds), and those values win over the ones saved inside the
 * definition.
 */
import { WorkflowFormatError } from '../errors.js'
import {
  intHasControl,
  isWidgetInput,
  orderedInputs,
  specType,
  type NodeDef,
  type ObjectInfo,
} from '../workflow/objectInfo.js'
import {
  SUBGRAPH_INPUT_ID,
  SUBGRAPH_OUTPUT_ID,
  type GroupNodeDefinition,
  type SubgraphDefinition,
  type SubgraphIo,
  type UiLinkObject,
  type UiNode,
  type UiWorkflow,
} from '../workflow/uiWorkflow.js'

/** Marks a subgraph definition made from a group node: its ids are indexes and are never renumbered. */
export const GROUP_NODE_DEFINITION = 'discomfort:groupNode'

const groupName = (type: string): string | undefined => {
  const match = /^workflow[>/](.+)$/.exec(type)
  return match?.[1]
}

interface Built {
  definition: SubgraphDefinition
  /** Widget slot layout of the group node: [inner index, inner input name | undefined (companion)]. */
  widgets: Array<[number, string | undefined]>
}

function buildDefinition(name: string, group: GroupNodeDefinition, objectInfo: ObjectInfo, where: string): Built {
  const id = `${GROUP_NODE_DEFINITION}:${name}`
  const nodes = group.nodes ?? []
  const linksTo = new Map<string, [number, number]>() // "target:slot" → [source index, source slot]
  const linkedFrom = new Set<string>() // "source:slot"
  for (const l of group.links ?? []) {
    const [src, srcSlot, tgt, tgtSlot] = l
    if (src === null || src === undefined) continue
    linksTo.set(`${tgt}:${tgtSlot}`, [Number(src), Number(srcSlot)])
    linkedFrom.add(`${src}:${srcSlot}`)
  }
  const external = new Set((group.external ?? []).map(([n, s]) => `${n}:${s}`))

  const links: UiLinkObject[] = []
  const inputs: SubgraphIo[] = []
  const outputs: SubgraphIo[] = []
  const widgets: Array<[number, string | undefined]> = []
  const converted: Array<() => void> = []
  let nextLink = 1
  const innerNodes: UiNode[] = nodes.map((n, index) => {
    const def: NodeDef | undefined = objectInfo[n.type]
    if (!def) return { ...n, id: index }
    const specs = orderedInputs(def)
    const nodeInputs = n.inputs ?? []
    const isConverted = (name: string) => nodeInputs.some((i) => i.name === name && i.widget?.name === name)
    // Widgets of this inner node that the group node shows.
    for (const [inputName, spec] of specs) {
      if (!isWidgetInput(spec) || isConverted(inputName)) continue
      widgets.push([index, inputName])
      if (specType(spec) === 'INT' && intHasControl(inputName, spec)) {
        widgets.push([index, undefined])
      }
    }
    // Sockets: linked inside the group, or exposed as a group input.
    const newInputs = nodeInputs.map((input, slot) => {
      const inner = linksTo.get(`${index}:${slot}`)
      if (inner) {
        const linkId = nextLink++
        links.push({
          id: linkId,
          origin_id: inner[0],
          origin_slot: inner[1],
          target_id: index,
          target_slot: slot,
          type: input.type,
        })
        return { ...input, link: linkId }
      }
      const expose = () => {
        const linkId = nextLink++
        links.push({
          id: linkId,
          origin_id: SUBGRAPH_INPUT_ID,
          origin_slot: inputs.length,
          target_id: index,
          target_slot: slot,
          type: input.type,
        })
        inputs.push({ name: `${index}:${input.name}`, type: String(input.type), linkIds: [linkId] })
        return linkId
      }
      if (input.widget) {
        // Converted widgets become group inputs after every other input.
        const copy = { ...input, link: null as number | null }
        converted.push(() => {
          copy.link = expose()
        })
        return copy
      }
      return { ...input, link: expose() }
    })
    // Outputs not used inside the group (or also used outside) are group outputs.
    ;(def.output ?? []).forEach((type, slot) => {
      const key = `${index}:${slot}`
      if (linkedFrom.has(key) && !external.has(key)) return
      const linkId = nextLink++
      links.push({
        id: linkId,
        origin_id: index,
        origin_slot: slot,
        target_id: SUBGRAPH_OUTPUT_ID,
        target_slot: outputs.length,
        type,
      })
      outputs.push({ name: `${index}:${slot}`, type, linkIds: [linkId] })
    })
    return { ...n, id: index, inputs: newInputs }
  })
  for (const c of converted) c()
  if (innerNodes.length === 0) throw new WorkflowFormatError(`${where}: group node "${name}" has no nodes.`)
  return {
    definition: { id, name, nodes: innerNodes, links, inputs, outputs, [GROUP_NODE_DEFINITION]: true },
    widgets,
  }
}

/** Returns the workflow with each legacy group node replaced by a subgraph instance. */
export function expandGroupNodes(workflow: UiWorkflow, objectInfo: ObjectInfo, where: string): UiWorkflow {
  const groups = workflow.extra?.groupNodes
  if (!groups || !workflow.nodes.some((n) => typeof n.type === 'string' && groupName(n.type) !== undefined))
    return workflow
  const extraDefs: SubgraphDefinition[] = []
  const nodes = workflow.nodes.map((node) => {
    const name = typeof node.type === 'string' ? groupName(node.type) : undefined
    const group = name === undefined ? undefined : groups[name]
    if (name === undefined || !group) return node
    const built = buildDefinition(name, group, objectInfo, where)
    // One definition per instance: widget values differ between instances.
    const definition: SubgraphDefinition = {
      ...built.definition,
      id: `${built.definition.id}:${node.id}`,
      nodes: built.definition.nodes.map((n) => ({ ...n })),
    }
    const saved = Array.isArray(node.widgets_values) ? node.widgets_values : []
    const perNode = new Map<number, Map<string, unknown>>()
    built.widgets.forEach(([index, input], i) => {
      if (input === undefined || i >= saved.length) return
      let m = perNode.get(index)
      if (!m) {
        m = new Map()
        perNode.set(index, m)
      }
      m.set(input, saved[i])
    })
    for (const [index, values] of perNode) {
      const inner = definition.nodes[index]!
      inner.widgets_values = groupWidgetValues(inner, objectInfo, values)
    }
    extraDefs.push(definition)
    // The group node's sockets line up with the definition's inputs by position.
    const instanceInputs = (node.inputs ?? []).map((input, i) => {
      const io = definition.inputs?.[i]
      return io ? { ...input, name: io.name } : input
    })
    return { ...node, type: definition.id, inputs: instanceInputs }
  })
  return {
    ...workflow,
    nodes,
    definitions: { ...workflow.definitions, subgraphs: [...(workflow.definitions?.subgraphs ?? []), ...extraDefs] },
  }
}

/** The inner node's widgets_values with the group node's values written over them. */
function groupWidgetValues(inner: UiNode, objectInfo: ObjectInfo, values: Map<string, unknown>): unknown[] {
  const def = objectInfo[inner.type]
  const saved = Array.isArray(inner.widgets_values) ? [...inner.widgets_values] : []
  if (!def) return saved
  let i = 0
  for (const [name, spec] of orderedInputs(def)) {
    if (!isWidgetInput(spec)) continue
    if (values.has(name)) saved[i] = values.get(name)
    i += 1
    if (specType(spec) === 'INT' && intHasControl(name, spec)) i += 1
    else if (specType(spec) === 'COMBO' && spec[1]?.control_after_generate) i += 2
  }
  return saved
}
