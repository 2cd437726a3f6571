/**
 * UI workflow → API prompt, the way the ComfyUI frontend's `graphToPrompt`
 * does it, driven by the server's `/object_info`.
 *
 * The model follows the frontend's ExecutableNodeDTO: every node instance has
 * an execution id (`"5"`, or `"12:5:3"` inside subgraphs); an input resolves
 * through bypassed nodes, virtual nodes (Reroute), subgraph boundaries and
 * promoted widgets to either a link `[originId, slot]` or a literal value.
 */
import { UnknownNodeTypesError, WorkflowFormatError, type MissingNodeType } from '../errors.js'
import { isApiLink, isApiPrompt, type ApiInputValue, type ApiPrompt } from '../workflow/apiPrompt.js'
import { specType, widgetLayout, type InputSpec, type NodeDef, type ObjectInfo } from '../workflow/objectInfo.js'
import {
  NodeMode,
  SUBGRAPH_INPUT_ID,
  type UiNode,
  type UiNodeInput,
  isUiWorkflow,
  type UiWorkflow,
} from '../workflow/uiWorkflow.js'
import { throughWidgetCallback } from './numberWidgets.js'
import { processDynamicPrompt, type Random } from './dynamicPrompts.js'
import { FRONTEND_NODE_DEFS, VIRTUAL_NODE_TYPES } from './frontendNodes.js'
import { frontendProfile, type FrontendProfile } from './frontendProfiles.js'
import { expandGroupNodes } from './groupNodes.js'
import { normaliseWorkflow, type Graph, type GraphLink } from './graph.js'
import { applyTextReplacements, type ReplacementNode } from './textReplacements.js'
import { replaceMissingNodes, type ExtraInputs, type ReplacedNode } from './replaceNodes.js'
import type { NodeReplacements } from '../workflow/nodeReplacements.js'
import { assertNoCycle } from '../workflow/cycles.js'

export interface ToApiPromptOptions {
  /** Names the workflow in error messages (a file name, say). */
  name?: string
  /** Random source for `{a|b}` dynamic prompts. */
  random?: Random
  /** Clock for `%date:...%` tokens. */
  now?: () => Date
  /**
   * The frontend version whose `graphToPrompt` to reproduce (its own widgets,
   * display names, subgraph id handling); default: the newest known.
   */
  frontendVersion?: string
  /** API-format input only: called for each node left out because its type is unknown. */
  onDroppedNode?: (node: MissingNodeType) => void
  /**
   * The server's node replacements (`GET /api/node_replacements`, ComfyUI 0.28
   * and later). A UI workflow node whose class is not in `objectInfo` but has a
   * replacement there is swapped for it, as the frontend's "Replace" does
   * (see replaceNodes.ts), instead of being an unknown type.
   */
  nodeReplacements?: NodeReplacements
  /** Called for each node swapped for its replacement. */
  onReplacedNode?: (node: ReplacedNode) => void
}

const SUBGRAPH_INPUT = String(SUBGRAPH_INPUT_ID)

/** One node instance at one place in the subgraph tree. */
/** Where a link walk is: at an input, at an output, or done. */
type LinkStep =
  | { at: 'input'; e: ExecNode; input: UiNodeInput }
  | { at: 'output'; e: ExecNode; slot: number; type: unknown }
  | { resolved: Resolved }

interface ExecNode {
  readonly id: string
  readonly graph: Graph
  readonly node: UiNode
  readonly path: readonly string[]
  /** The subgraph instance this node sits in, when it is inside a subgraph. */
  readonly parent?: ExecNode
}

type Resolved = { link: [string, number] } | { value: unknown } | undefined

const isValidConnection = (a: unknown, b: unknown): boolean => {
  if (!a || !b || a === '*' || b === '*') return true
  if (typeof a !== 'string' || typeof b !== 'string') return a === b
  const as = a.toUpperCase().split(',')
  const bs = b.toUpperCase().split(',')
  return as.some((t) => bs.includes(t))
}

const DEFAULTS: Record<string, unknown> = { INT: 0, FLOAT: 0, STRING: '', BOOLEAN: false }

function defaultValue(spec: InputSpec | undefined): unknown {
  if (!spec) return undefined
  const options = spec[1]
  if (options && 'default' in options) return options.default
  if (Array.isArray(spec[0])) return spec[0][0]
  if (Array.isArray(options?.options)) return options.options[0]
  return DEFAULTS[specType(spec)]
}

class Converter {
  private readonly name: string
  private readonly random: Random
  private readonly now: () => Date
  private readonly subgraphs: Map<string, Graph>
  private readonly root: Graph
  /** Widget values written by PrimitiveNodes (applyToGraph), by execution id then widget name. */
  private readonly primitiveValues = new Map<string, Map<string, unknown>>()
  private readonly replacementNodes: ReplacementNode[] = []
  private readonly profile: FrontendProfile
  /** Literal inputs of nodes swapped for their replacement that are no widget of theirs. */
  private readonly extraInputs: ExtraInputs

  constructor(
    workflow: UiWorkflow,
    private readonly objectInfo: ObjectInfo,
    options: ToApiPromptOptions,
  ) {
    this.name = options.name ?? 'workflow'
    this.random = options.random ?? Math.random
    this.now = options.now ?? (() => new Date())
    this.profile = frontendProfile(options.frontendVersion)
    const expanded = expandGroupNodes(workflow, objectInfo, this.name)
    const normalised = normaliseWorkflow(expanded, this.name, this.profile.renumberSubgraphNodeIds)
    this.subgraphs = normalised.subgraphs
    this.root = normalised.root
    this.checkSubgraphNesting()
    this.extraInputs = options.nodeReplacements
      ? replaceMissingNodes(
          [
            { graph: this.root, prefix: '' },
            ...[...this.subgraphs].map(([id, graph]) => ({
              graph,
              prefix: `subgraph ${graph.definition?.name ?? id} › `,
            })),
          ],
          {
            objectInfo,
            replacements: options.nodeReplacements,
            isKnown: (type) => this.isKnownType(type),
            extraWidgets: (type) => this.profile.extraWidgets[type] ?? [],
            ...(options.onReplacedNode ? { onReplaced: options.onReplacedNode } : {}),
          },
        )
      : new Map()
  }

  /** A subgraph that contains itself, directly or through others, can never run: say which, before walking it. */
  private checkSubgraphNesting(): void {
    const label = (id: string) => `"${this.subgraphs.get(id)?.definition?.name ?? id}"`
    const contains = (id: string) => [
      ...new Set(
        this.subgraphs
          .get(id)!
          .nodes.map((n) => n.type)
          .filter((t) => this.subgraphs.has(t)),
      ),
    ]
    const done = new Set<string>()
    for (const start of this.subgraphs.keys()) {
      if (done.has(start)) continue
      // Depth-first with an explicit stack; `path` is the chain of definitions being expanded.
      const path: string[] = [start]
      const next: number[] = [0]
      while (path.length > 0) {
        const id = path[path.length - 1]!
        const children = contains(id)
        const i = next[next.length - 1]!
        if (i >= children.length) {
          done.add(id)
          path.pop()
          next.pop()
          continue
        }
        next[next.length - 1] = i + 1
        const child = children[i]!
        if (path.includes(child)) {
          const loop = [...path.slice(path.indexOf(child)), child].map(label).join(' › ')
          throw new WorkflowFormatError(
            `${this.name}: subgraph ${label(child)} contains itself (${loop}), so it can never run. Remove the inner instance.`,
          )
        }
        if (!done.has(child)) {
          path.push(child)
          next.push(0)
        }
      }
    }
  }

  def(type: string): NodeDef | undefined {
    return this.objectInfo[type] ?? FRONTEND_NODE_DEFS[type]
  }

  private isKnownType(type: string): boolean {
    return this.def(type) !== undefined || VIRTUAL_NODE_TYPES.has(type) || this.subgraphs.has(type)
  }

  /** Every node type in the root graph and in each subgraph definition must be known. */
  checkTypes(): void {
    const missing: MissingNodeType[] = []
    const visit = (graph: Graph, prefix: string) => {
      for (const node of graph.nodes) {
        const type = node.type
        if (this.isKnownType(type)) continue
        missing.push({ nodeId: prefix + graph.ids.get(node)!, type })
      }
    }
    visit(this.root, '')
    for (const [id, graph] of this.subgraphs) visit(graph, `subgraph ${graph.definition?.name ?? id} › `)
    if (missing.length > 0) throw new UnknownNodeTypesError(this.name, missing)
  }

  private exec(graph: Graph, node: UiNode, path: readonly string[], parent?: ExecNode): ExecNode {
    const local = graph.ids.get(node)!
    const e: ExecNode = { id: [...path, local].join(':'), graph, node, path }
    return parent ? { ...e, parent } : e
  }

  private where(e: ExecNode): string {
    return `${this.name}, node ${e.id} (${e.node.type}${e.node.title ? ` "${e.node.title}"` : ''})`
  }

  private link(e: ExecNode, linkId: number): GraphLink {
    const link = e.graph.links.get(linkId)
    if (!link) {
      throw new WorkflowFormatError(
        `${this.where(e)}: input refers to link ${linkId}, which the workflow does not contain. ` +
          'Reconnect that input in ComfyUI and save the workflow again.',
      )
    }
    return link
  }

  /** All node instances, depth first, skipping the insides of muted or bypassed subgraphs. */
  private *instances(graph: Graph, path: readonly string[], parent?: ExecNode): Generator<ExecNode> {
    // An explicit stack, not recursion: subgraphs may nest thousands deep.
    const stack: Array<{ graph: Graph; path: readonly string[]; parent?: ExecNode; next: number }> = [
      { graph, path, ...(parent ? { parent } : {}), next: 0 },
    ]
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!
      const node = frame.graph.nodes[frame.next++]
      if (!node) {
        stack.pop()
        continue
      }
      const e = this.exec(frame.graph, node, frame.path, frame.parent)
      yield e
      const inner = this.subgraphs.get(node.type)
      const mode = node.mode ?? NodeMode.ALWAYS
      if (inner && mode !== NodeMode.NEVER && mode !== NodeMode.BYPASS) {
        stack.push({ graph: inner, path: [...frame.path, frame.graph.ids.get(node)!], parent: e, next: 0 })
      }
    }
  }

  // --- widget values -------------------------------------------------------

  /** Widget name → value for a node, from its saved `widgets_values` and its definition. */
  private widgetValues(e: ExecNode, def: NodeDef): Map<string, unknown> {
    const values = new Map<string, unknown>()
    const layout = widgetLayout(def)
    const extras = this.profile.extraWidgets[e.node.type] ?? []
    const saved = e.node.widgets_values
    if (Array.isArray(saved)) {
      // Saved values go, in order, to the widgets that persist their value.
      let next = 0
      layout.forEach((w) => {
        const i = next++
        if (w.input) values.set(w.input, i < saved.length ? saved[i] : defaultValue(w.spec))
      })
      for (const extra of extras) {
        if (!extra.persist) {
          values.set(extra.name, extra.value)
          continue
        }
        const i = next++
        values.set(extra.name, i < saved.length ? saved[i] : extra.value)
      }
    } else {
      for (const w of layout) {
        if (!w.input) continue
        values.set(w.input, saved && w.input in saved ? saved[w.input] : defaultValue(w.spec))
      }
      for (const extra of extras) values.set(extra.name, saved && extra.name in saved ? saved[extra.name] : extra.value)
    }
    const fromPrimitive = this.primitiveValues.get(e.id)
    if (fromPrimitive) {
      // applyToGraph sets each target widget and runs its callback, which rounds numbers.
      const specs = { ...def.input.required, ...def.input.optional }
      for (const [k, v] of fromPrimitive) if (values.has(k)) values.set(k, throughWidgetCallback(specs[k], v))
    }
    return values
  }

  /** A PrimitiveNode writes its value into each linked target widget (the frontend's applyToGraph). */
  private applyPrimitives(): void {
    for (const e of this.instances(this.root, [])) {
      if (e.node.type !== 'PrimitiveNode' || e.node.mode === NodeMode.NEVER) continue
      const saved = e.node.widgets_values
      if (!Array.isArray(saved) || saved.length === 0) continue
      for (const linkId of e.node.outputs?.[0]?.links ?? []) {
        const link = e.graph.links.get(linkId)
        if (!link) continue
        const target = e.graph.byId.get(link.targetId)
        const input = target?.inputs?.[link.targetSlot]
        const widget = input?.widget?.name
        if (!target || !widget) continue
        const targetId = [...e.path, link.targetId].join(':')
        let map = this.primitiveValues.get(targetId)
        if (!map) {
          map = new Map()
          this.primitiveValues.set(targetId, map)
        }
        map.set(widget, saved[0])
      }
    }
  }

  /** A subgraph instance shows one widget per subgraph input that feeds a widget inside. */
  private promotedWidgetValue(instance: ExecNode, inputName: string): Resolved {
    const inner = this.subgraphs.get(instance.node.type)
    const inputs = inner?.definition?.inputs ?? []
    const promoted = inputs.filter((io) =>
      (io.linkIds ?? []).some((id) => {
        const l = inner!.links.get(id)
        if (!l) return false
        return inner!.byId.get(l.targetId)?.inputs?.[l.targetSlot]?.widget !== undefined
      }),
    )
    const index = promoted.findIndex((io) => io.name === inputName)
    const saved = instance.node.widgets_values
    if (index < 0 || !Array.isArray(saved) || index >= saved.length) return undefined
    return { value: saved[index] }
  }

  // --- link resolution -----------------------------------------------------

  /**
   * Follow an input's link back to the node output that really feeds it:
   * through reroutes and other virtual nodes, bypassed nodes, subgraph
   * boundaries (both ways) and promoted widgets. A loop of single steps, not
   * recursion, so a chain of any length resolves; a walk that meets the same
   * output twice is a cycle and is refused.
   */
  private resolveInput(start: ExecNode, startInput: UiNodeInput): Resolved {
    const seen = new Set<string>()
    let next: LinkStep = { at: 'input', e: start, input: startInput }
    while ('at' in next)
      next = next.at === 'input' ? this.stepFromInput(next.e, next.input) : this.stepFromOutput(next, seen)
    return next.resolved
  }

  /** One step back from an input: to the output feeding it, to the instance's input outside a subgraph, or done. */
  private stepFromInput(e: ExecNode, input: UiNodeInput): LinkStep {
    if (input.link === null || input.link === undefined) return { resolved: undefined }
    const link = this.link(e, input.link)
    if (link.originId === SUBGRAPH_INPUT) {
      const instance = e.parent
      const io = e.graph.definition?.inputs?.[link.originSlot]
      if (!instance || !io) {
        throw new WorkflowFormatError(`${this.where(e)}: link ${link.id} leaves a subgraph input that does not exist.`)
      }
      const outer = instance.node.inputs?.find((i) => i.name === io.name)
      if (outer && outer.link !== null && outer.link !== undefined) return { at: 'input', e: instance, input: outer }
      return { resolved: this.promotedWidgetValue(instance, io.name) }
    }
    const origin = e.graph.byId.get(link.originId)
    if (!origin) {
      throw new WorkflowFormatError(
        `${this.where(e)}: link ${link.id} starts at node ${link.originId}, which does not exist. ` +
          'Reconnect that input in ComfyUI and save the workflow again.',
      )
    }
    return { at: 'output', e: this.exec(e.graph, origin, e.path, e.parent), slot: link.originSlot, type: input.type }
  }

  /** One step back from an output: through a bypassed, virtual or subgraph node, or done at a real node's output. */
  private stepFromOutput(step: { e: ExecNode; slot: number; type: unknown }, seen: Set<string>): LinkStep {
    const { e, slot, type } = step
    const key = `${e.id}#${slot}`
    if (seen.has(key)) throw new WorkflowFormatError(`${this.where(e)}: the links through this node form a cycle.`)
    seen.add(key)
    const node = e.node
    if (node.mode === NodeMode.BYPASS) {
      const index = this.bypassSlot(node, slot, type)
      const input = index === undefined ? undefined : node.inputs?.[index]
      return input ? { at: 'input', e, input } : { resolved: undefined }
    }
    const inner = this.subgraphs.get(node.type)
    if (inner) {
      if (node.mode === NodeMode.NEVER) return { resolved: undefined }
      const linkId = inner.definition?.outputs?.[slot]?.linkIds?.[0]
      const link = linkId === undefined ? undefined : inner.links.get(linkId)
      if (!link) return { resolved: undefined }
      if (link.originId === SUBGRAPH_INPUT) {
        const io = inner.definition?.inputs?.[link.originSlot]
        const outer = io && node.inputs?.find((i) => i.name === io.name)
        return outer ? { at: 'input', e, input: outer } : { resolved: undefined }
      }
      const origin = inner.byId.get(link.originId)
      if (!origin) return { resolved: undefined }
      return {
        at: 'output',
        e: this.exec(inner, origin, [...e.path, e.graph.ids.get(node)!], e),
        slot: link.originSlot,
        type,
      }
    }
    if (VIRTUAL_NODE_TYPES.has(node.type)) {
      const input = node.inputs?.[slot]
      return input ? { at: 'input', e, input } : { resolved: undefined }
    }
    return { resolved: { link: [e.id, slot] } }
  }

  /** Which input a bypassed node passes to a consumer of output `slot` wanting `type`. */
  private bypassSlot(node: UiNode, slot: number, type: unknown): number | undefined {
    const inputs = node.inputs ?? []
    if (type === '*' || type === '' || type === undefined)
      return inputs[slot] ? slot : inputs.length > 0 ? 0 : undefined
    const outType = node.outputs?.[slot]?.type
    const same = inputs[slot]
    if (same && isValidConnection(same.type, outType) && isValidConnection(same.type, type)) return slot
    const exact = inputs.findIndex((i) => i.type === type)
    if (exact >= 0) return exact
    const compatible = inputs.findIndex((i) => isValidConnection(i.type, outType) && isValidConnection(i.type, type))
    return compatible >= 0 ? compatible : undefined
  }

  // --- emission ------------------------------------------------------------

  convert(): ApiPrompt {
    this.checkTypes()
    this.applyPrimitives()
    const emitted: Array<{ e: ExecNode; def: NodeDef; values: Map<string, unknown> }> = []
    for (const e of this.instances(this.root, [])) {
      const def = this.def(e.node.type)
      if (!def) continue // virtual nodes and subgraph instances
      const mode = e.node.mode ?? NodeMode.ALWAYS
      const values = this.widgetValues(e, def)
      this.replacementNodes.push({
        title: this.title(e.node, def),
        sAndRName: e.node.properties?.['Node name for S&R'] as string | undefined,
        widgets: values,
      })
      if (mode === NodeMode.NEVER || mode === NodeMode.BYPASS) continue
      emitted.push({ e, def, values })
    }

    const prompt: ApiPrompt = {}
    for (const { e, def, values } of emitted) {
      const inputs: Record<string, ApiInputValue> = {}
      const specs = { ...def.input.required, ...def.input.optional }
      for (const [name, raw] of values) {
        inputs[name] = this.serialiseWidget(name, raw, specs[name])
      }
      Object.assign(inputs, this.extraInputs.get(e.graph)?.get(e.graph.ids.get(e.node)!))
      for (const input of e.node.inputs ?? []) {
        const resolved = this.resolveInput(e, input)
        if (!resolved) continue
        inputs[input.name] =
          'link' in resolved ? resolved.link : this.serialiseWidget(input.name, resolved.value, specs[input.name])
      }
      prompt[e.id] = {
        inputs,
        class_type: e.node.type,
        _meta: this.meta(e.node, def),
      }
    }
    // Inputs linked to nodes that are not in the prompt (muted ones) are dropped.
    for (const node of Object.values(prompt)) {
      for (const [name, value] of Object.entries(node.inputs)) {
        if (Array.isArray(value) && !(value[0] in prompt)) delete node.inputs[name]
      }
    }
    return prompt
  }

  /** The title the frontend shows: the node's own, else its locale's or the server's display name (the profile says which first). */
  private title(node: UiNode, def: NodeDef): string {
    if (node.title != null) return node.title
    const locale = this.profile.displayNames[node.type]
    const server = def.display_name || undefined
    return (this.profile.localeNameFirst ? (locale ?? server) : (server ?? locale)) ?? node.type
  }

  private meta(node: UiNode, def: NodeDef): NonNullable<ApiPrompt[string]['_meta']> {
    const meta: NonNullable<ApiPrompt[string]['_meta']> = { title: this.title(node, def) }
    if (this.profile.metaFromProperties) {
      for (const key of ['cnr_id', 'aux_id', 'ver'] as const) {
        const value = node.properties?.[key]
        if (typeof value === 'string' && value !== '') meta[key] = value
      }
    }
    return meta
  }

  private serialiseWidget(name: string, value: unknown, spec: InputSpec | undefined): ApiInputValue {
    let v = value
    if (typeof v === 'string' && spec?.[1]?.dynamicPrompts === true) v = processDynamicPrompt(v, this.random)
    if (typeof v === 'string' && name === 'filename_prefix') {
      v = applyTextReplacements(v, this.replacementNodes, this.now)
    }
    if (Array.isArray(v)) return { __value__: v }
    return v as ApiInputValue
  }
}

/**
 * Convert a UI workflow into the API prompt ComfyUI runs, exactly as the
 * ComfyUI frontend would queue it.
 *
 * @throws UnknownNodeTypesError when a node type is not in `objectInfo` (each listed with its node id)
 * @throws WorkflowFormatError on malformed workflows (dangling links, cycles, wrong shapes)
 *
 * @example
 * const prompt = toApiPrompt(workflowJson, await comfy.objectInfo(), { name: 'sweep.json' })
 */
export function toApiPrompt(
  workflow: UiWorkflow | ApiPrompt,
  objectInfo: ObjectInfo,
  options: ToApiPromptOptions = {},
): ApiPrompt {
  const name = options.name ?? 'workflow'
  let prompt: ApiPrompt
  if (isUiWorkflow(workflow)) prompt = new Converter(workflow, objectInfo, options).convert()
  else if (isApiPrompt(workflow)) prompt = loadApiPrompt(workflow, objectInfo, options)
  else {
    throw new WorkflowFormatError(
      `${name} is neither a ComfyUI workflow (no "nodes" array) nor an API prompt ({id: {class_type, inputs}}).`,
    )
  }
  assertNoCycle(prompt, name)
  return prompt
}

/**
 * An API-format file, loaded the way the frontend loads one: nodes of unknown
 * types cannot be created and are left out (reported through `onDroppedNode`),
 * and links to them are removed.
 */
function loadApiPrompt(prompt: ApiPrompt, objectInfo: ObjectInfo, options: ToApiPromptOptions): ApiPrompt {
  const out: ApiPrompt = {}
  for (const [id, node] of Object.entries(prompt)) {
    if (!objectInfo[node.class_type] && !FRONTEND_NODE_DEFS[node.class_type]) {
      options.onDroppedNode?.({ nodeId: id, type: node.class_type })
      continue
    }
    out[id] = { ...node, inputs: { ...node.inputs } }
  }
  for (const node of Object.values(out)) {
    for (const [key, value] of Object.entries(node.inputs)) {
      if (isApiLink(value) && !(value[0] in out)) delete node.inputs[key]
    }
  }
  return out
}
