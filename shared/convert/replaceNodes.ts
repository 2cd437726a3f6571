/**
 * The swap the ComfyUI frontend offers for a missing node that the server lists
 * a replacement for, done on the normalised graph before conversion, as if the
 * user had pressed "Replace all" in the missing-nodes panel. Read from
 * Comfy-Org/ComfyUI_frontend `src/platform/nodeReplacement/` (`useNodeReplacement.ts`
 * `replaceNodesInPlace`, `nodeReplacementStore.ts`, `missingNodeScan.ts`, the
 * newest of the index's versions). The frontend never swaps on its own: it
 * queues nothing for a missing node (a placeholder has no class), so a
 * converter that must produce a prompt does what its "Replace" button does:
 *
 * - a node is swapped when its class is unknown (not in object_info, not a
 *   frontend-only, virtual or subgraph node) and the first registration for it
 *   names a class the server has (the frontend's `getReplacementFor` and
 *   `LiteGraph.createNode`, the server's "first registration wins");
 * - the new node keeps the id, mode, title and properties (`Node name for S&R`
 *   renamed to the new class), and starts from its own defaults;
 * - with an `input_mapping`: an `old_id` entry moves the link of the old input of
 *   that name to the new input, and its widget value (found by position through
 *   `old_widget_ids`) to the new widget, through the widget's callback; a
 *   `set_value` entry sets the new widget; links into the old node that no entry
 *   moves are removed;
 * - with an `output_mapping`: links from `old_idx` come from `new_idx`, links
 *   from other outputs are removed;
 * - without either, the frontend's default mapping: inputs and outputs by name,
 *   widget values by position (over the widgets in `widgets_values` order, the
 *   frontend profile's own widgets included);
 * - a mapping that is null keeps the links' slot numbers, and when the new node
 *   has no such slot the frontend refuses the swap: the node stays unknown.
 *
 * Where the frontend's behaviour is not what a converter can follow, this chooses:
 * - dotted `new_id`s (`images.image0`, `resize_type.multiplier`: Autogrow and
 *   DynamicCombo sub-inputs) are skipped by the frontend ("backend handles these"),
 *   which loses the link or value. Here they are carried the way the server's
 *   own replacement writes them into an API prompt: a flat input of that dotted
 *   name holding the old link or value (the server nests dotted keys before it runs).
 * - a `set_value` for an input the converter does not know as a widget (a V3
 *   input type it does not model, e.g. a DynamicCombo) is sent as a literal input,
 *   as the server's replacement would set it, instead of being dropped.
 * - `old_widget_ids: null` with an `input_mapping` (e.g. T2IAdapterLoader →
 *   ControlNetLoader) moves no widget value, as in the frontend: the new widget
 *   keeps its default. The server's own replacement (of an API prompt) would
 *   carry it; a UI workflow cannot say which saved value is which without them.
 * - nodes are swapped whatever their mode: the frontend's missing-node scan skips
 *   muted and bypassed nodes, but leaves them as placeholders it can still queue
 *   around, which this converter cannot do for a class it has no definition of.
 */
import type { ApiInputValue } from '../workflow/apiPrompt.js'
import type { NodeReplacement, NodeReplacements } from '../workflow/nodeReplacements.js'
import {
  isWidgetInput,
  orderedInputs,
  specType,
  widgetLayout,
  type InputSpec,
  type NodeDef,
  type ObjectInfo,
} from '../workflow/objectInfo.js'
import type { UiNode, UiNodeInput, UiNodeOutput } from '../workflow/uiWorkflow.js'
import type { Graph, GraphLink } from './graph.js'
import { throughWidgetCallback } from './numberWidgets.js'

/** A node the converter swapped for its replacement. */
export interface ReplacedNode {
  /** The node's id (inside a subgraph: prefixed with the subgraph's name, as in unknown-type errors). */
  readonly nodeId: string
  readonly from: string
  readonly to: string
}

/** Literal inputs of swapped nodes that are no widget of theirs (dotted sub-inputs, unmodelled V3 inputs), by graph and node id. */
export type ExtraInputs = Map<Graph, Map<string, Record<string, ApiInputValue>>>

export interface ReplaceOptions {
  objectInfo: ObjectInfo
  replacements: NodeReplacements
  /** Whether the converter can emit a node of this type as it is. */
  isKnown: (type: string) => boolean
  /** The widgets the frontend adds to a node of this type after its definition's (the frontend profile's). */
  extraWidgets?: (type: string) => readonly { name: string; persist: boolean }[]
  onReplaced?: (node: ReplacedNode) => void
}

type Mapping = Pick<NodeReplacement, 'old_widget_ids' | 'input_mapping' | 'output_mapping'>

const isDotted = (id: string) => id.includes('.')

/** The new node's widget names in `widgets_values` order: its definition's, then the frontend's own that are saved. */
function widgetOrder(def: NodeDef, extras: readonly { name: string; persist: boolean }[]): string[] {
  return [...widgetLayout(def).map((w) => w.name), ...extras.filter((e) => e.persist).map((e) => e.name)]
}

/** The frontend's `generateDefaultMapping`: inputs and outputs by name, widgets by position. */
function defaultMapping(old: UiNode, inputs: UiNodeInput[], outputs: UiNodeOutput[], widgetNames: string[]): Mapping {
  const oldInputs = new Set((old.inputs ?? []).map((i) => i.name))
  const input = [
    ...inputs.filter((i) => oldInputs.has(i.name)).map((i) => ({ old_id: i.name, new_id: i.name })),
    ...widgetNames.filter((n) => !oldInputs.has(n)).map((n) => ({ old_id: n, new_id: n })),
  ]
  const output = (old.outputs ?? []).flatMap((o, oldIdx) => {
    const newIdx = outputs.findIndex((n) => n.name === o.name)
    return newIdx === -1 ? [] : [{ old_idx: oldIdx, new_idx: newIdx }]
  })
  return {
    input_mapping: input.length > 0 ? input : null,
    output_mapping: output.length > 0 ? output : null,
    old_widget_ids: widgetNames.length > 0 ? widgetNames : null,
  }
}

/** How the links at the old node change: new slots for the kept ones, the rest removed; undefined when the frontend would refuse. */
interface LinkPlan {
  targets: Map<GraphLink, number>
  origins: Map<GraphLink, number>
  /** Dotted inputs appended after the new node's own, each with the link it takes. */
  dotted: Array<{ name: string; link: GraphLink }>
  removed: GraphLink[]
}

function planLinks(graph: Graph, id: string, old: UiNode, inputs: UiNodeInput[], m: Mapping): LinkPlan | undefined {
  const into = [...graph.links.values()].filter((l) => l.targetId === id)
  const from = [...graph.links.values()].filter((l) => l.originId === id)
  const plan: LinkPlan = { targets: new Map(), origins: new Map(), dotted: [], removed: [] }
  if (m.input_mapping === null) {
    for (const l of into) {
      if (!inputs[l.targetSlot]) return undefined
      plan.targets.set(l, l.targetSlot)
    }
  } else {
    for (const entry of m.input_mapping) {
      if (!('old_id' in entry)) continue
      const linkId = old.inputs?.find((i) => i.name === entry.old_id)?.link
      const link = into.find((l) => l.id === linkId)
      if (!link) continue
      if (isDotted(entry.new_id)) {
        plan.dotted.push({ name: entry.new_id, link })
        continue
      }
      const slot = inputs.findIndex((i) => i.name === entry.new_id)
      if (slot !== -1) plan.targets.set(link, slot)
    }
    const kept = new Set([...plan.targets.keys(), ...plan.dotted.map((d) => d.link)])
    plan.removed.push(...into.filter((l) => !kept.has(l)))
  }
  if (m.output_mapping === null) {
    for (const l of from) plan.origins.set(l, l.originSlot)
    return plan
  }
  for (const l of from) {
    const mapped = m.output_mapping.find((o) => o.old_idx === l.originSlot)
    if (mapped && mapped.new_idx >= 0) plan.origins.set(l, mapped.new_idx)
    else plan.removed.push(l)
  }
  return plan
}

/** The new node's widget values by name, and its literal inputs that are no widget. */
function carryValues(
  old: UiNode,
  def: NodeDef,
  m: Mapping,
  frontendWidgets: readonly { name: string }[],
): { values: Record<string, unknown>; extras: Record<string, ApiInputValue> } {
  const specs = new Map<string, InputSpec | undefined>()
  for (const w of widgetLayout(def)) if (w.input) specs.set(w.input, w.spec)
  for (const w of frontendWidgets) if (!specs.has(w.name)) specs.set(w.name, undefined)
  const declared = new Set(orderedInputs(def).map(([name]) => name))
  const values: Record<string, unknown> = {}
  const extras: Record<string, ApiInputValue> = {}
  const put = (name: string, value: unknown, literalIfDeclared: boolean) => {
    if (specs.has(name)) values[name] = throughWidgetCallback(specs.get(name), value)
    else if (isDotted(name) || (literalIfDeclared && declared.has(name)))
      extras[name] = (Array.isArray(value) ? { __value__: value } : value) as ApiInputValue
  }
  const saved = old.widgets_values
  for (const entry of m.input_mapping ?? []) {
    if ('set_value' in entry) {
      put(entry.new_id, entry.set_value, true)
      continue
    }
    // Found by position, as the frontend does: only a saved list with known widget names says which value is which.
    const index = m.old_widget_ids?.indexOf(entry.old_id) ?? -1
    const value = Array.isArray(saved) && index >= 0 ? saved[index] : undefined
    if (value !== undefined) put(entry.new_id, value, false)
  }
  return { values, extras }
}

/** The swapped node, or undefined when the frontend would leave the old one in place. */
function swap(
  graph: Graph,
  old: UiNode,
  replacement: NodeReplacement,
  def: NodeDef,
  frontendWidgets: readonly { name: string; persist: boolean }[],
): { node: UiNode; extras: Record<string, ApiInputValue>; removed: GraphLink[] } | undefined {
  const id = graph.ids.get(old)!
  const inputs: UiNodeInput[] = orderedInputs(def).map(([name, spec]) => ({
    name,
    type: specType(spec),
    link: null,
    ...(isWidgetInput(spec) ? { widget: { name } } : {}),
  }))
  const outputs: UiNodeOutput[] = def.output.map((type, i) => ({ name: def.output_name?.[i] ?? type, type, links: [] }))
  const mapping: Mapping =
    replacement.input_mapping !== null || replacement.output_mapping !== null
      ? replacement
      : defaultMapping(old, inputs, outputs, widgetOrder(def, frontendWidgets))
  const plan = planLinks(graph, id, old, inputs, mapping)
  if (!plan || [...plan.origins.values()].some((slot) => !outputs[slot])) return undefined

  for (const [link, slot] of plan.targets) {
    link.targetSlot = slot
    inputs[slot]!.link = link.id
  }
  for (const { name, link } of plan.dotted) {
    link.targetSlot = inputs.length
    inputs.push({ name, type: typeof link.type === 'string' ? link.type : '*', link: link.id })
  }
  for (const [link, slot] of plan.origins) {
    link.originSlot = slot
    outputs[slot]!.links!.push(link.id)
  }
  const { values, extras } = carryValues(old, def, mapping, frontendWidgets)
  const properties = { ...(old.properties ?? {}) }
  if ('Node name for S&R' in properties) properties['Node name for S&R'] = replacement.new_node_id
  const node: UiNode = { ...old, type: replacement.new_node_id, inputs, outputs, properties, widgets_values: values }
  return { node, extras, removed: plan.removed }
}

/** Put `next` where `prev` is in the graph, under the same id. */
function putNode(graph: Graph, prev: UiNode, next: UiNode): void {
  const id = graph.ids.get(prev)!
  graph.nodes[graph.nodes.indexOf(prev)] = next
  graph.byId.set(id, next)
  graph.ids.delete(prev)
  graph.ids.set(next, id)
}

/** Disconnect removed links at the nodes they end at (copies of those nodes: the workflow read stays as it was). */
function disconnect(graph: Graph, removed: readonly GraphLink[]): void {
  for (const link of removed) {
    graph.links.delete(link.id)
    const target = graph.byId.get(link.targetId)
    if (!target?.inputs?.some((i) => i.link === link.id)) continue
    putNode(graph, target, {
      ...target,
      inputs: target.inputs.map((i) => (i.link === link.id ? { ...i, link: null } : i)),
    })
  }
}

/**
 * Swap, in each graph, the nodes of unknown classes that have a replacement the
 * server can run. The graphs are changed in place (their node lists and the
 * nodes that change are copied first, so the workflow they were read from is
 * not); the answer holds the literal inputs of swapped nodes that the converter
 * must add to what it emits.
 */
export function replaceMissingNodes(
  graphs: ReadonlyArray<{ graph: Graph; prefix: string }>,
  o: ReplaceOptions,
): ExtraInputs {
  const extraInputs: ExtraInputs = new Map()
  for (const { graph, prefix } of graphs) {
    const extras = new Map<string, Record<string, ApiInputValue>>()
    let copied = false
    // By id: a node met later may have been copied meanwhile (a link to it removed).
    for (const id of graph.nodes.map((n) => graph.ids.get(n)!)) {
      const old = graph.byId.get(id)!
      if (o.isKnown(old.type)) continue
      const replacement = o.replacements[old.type]?.[0]
      const def = replacement && o.objectInfo[replacement.new_node_id]
      if (!replacement || !def) continue
      const swapped = swap(graph, old, replacement, def, o.extraWidgets?.(replacement.new_node_id) ?? [])
      if (!swapped) continue
      if (!copied) {
        graph.nodes = [...graph.nodes]
        copied = true
      }
      putNode(graph, old, swapped.node)
      disconnect(graph, swapped.removed)
      if (Object.keys(swapped.extras).length > 0) extras.set(id, swapped.extras)
      o.onReplaced?.({ nodeId: prefix + id, from: old.type, to: replacement.new_node_id })
    }
    if (extras.size > 0) extraInputs.set(graph, extras)
  }
  return extraInputs
}
