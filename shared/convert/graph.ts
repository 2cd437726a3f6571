/**
 * A read-only, normalised view of a UI workflow: one `Graph` for the root and
 * one per subgraph definition, links as objects keyed by id, node ids as
 * strings. Schema 0.4 tuples and schema 1 objects both land here.
 */
import { WorkflowFormatError } from '../errors.js'
import { GROUP_NODE_DEFINITION } from './groupNodes.js'
import type { SubgraphDefinition, UiLinkObject, UiLinkTuple, UiNode, UiWorkflow } from '../workflow/uiWorkflow.js'

export interface GraphLink {
  id: number
  originId: string
  originSlot: number
  targetId: string
  targetSlot: number
  type: unknown
}

export interface Graph {
  /** Nodes in saved order; `node.id` is left as saved, use `idOf(node)` for the (remapped) string id. */
  nodes: UiNode[]
  byId: Map<string, UiNode>
  ids: Map<UiNode, string>
  links: Map<number, GraphLink>
  /** Present for subgraph definitions. */
  definition?: SubgraphDefinition
}

export interface NormalisedWorkflow {
  root: Graph
  subgraphs: Map<string, Graph>
}

const toSlot = (value: unknown, where: string): number => {
  const n = typeof value === 'string' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new WorkflowFormatError(`${where}: slot index ${JSON.stringify(value)} is not a whole number.`)
  }
  return n
}

function readLinks(raw: unknown, where: string): Map<number, GraphLink> {
  const links = new Map<number, GraphLink>()
  if (raw === undefined || raw === null) return links
  if (!Array.isArray(raw)) throw new WorkflowFormatError(`${where}: "links" must be an array.`)
  for (const entry of raw as Array<UiLinkTuple | UiLinkObject | null>) {
    if (entry === null) continue
    let link: GraphLink
    if (Array.isArray(entry)) {
      if (entry.length < 5) {
        throw new WorkflowFormatError(`${where}: link ${JSON.stringify(entry)} has fewer than 5 fields.`)
      }
      const [id, originId, originSlot, targetId, targetSlot, type] = entry
      link = {
        id: Number(id),
        originId: String(originId),
        originSlot: toSlot(originSlot, `${where}, link ${id}`),
        targetId: String(targetId),
        targetSlot: toSlot(targetSlot, `${where}, link ${id}`),
        type,
      }
    } else if (typeof entry === 'object') {
      link = {
        id: Number(entry.id),
        originId: String(entry.origin_id),
        originSlot: toSlot(entry.origin_slot, `${where}, link ${entry.id}`),
        targetId: String(entry.target_id),
        targetSlot: toSlot(entry.target_slot, `${where}, link ${entry.id}`),
        type: entry.type,
      }
    } else {
      throw new WorkflowFormatError(`${where}: a link is neither an array nor an object.`)
    }
    if (!Number.isFinite(link.id)) throw new WorkflowFormatError(`${where}: a link has no numeric id.`)
    links.set(link.id, link)
  }
  return links
}

function checkNodes(nodes: unknown, where: string): UiNode[] {
  if (!Array.isArray(nodes)) throw new WorkflowFormatError(`${where}: "nodes" must be an array.`)
  for (const node of nodes as unknown[]) {
    if (typeof node !== 'object' || node === null) {
      throw new WorkflowFormatError(`${where}: a node is not an object.`)
    }
    const { id, type } = node as { id?: unknown; type?: unknown }
    if (typeof id !== 'number' && typeof id !== 'string') {
      throw new WorkflowFormatError(`${where}: a node (type ${JSON.stringify(type)}) has no id.`)
    }
    if (typeof type !== 'string') {
      throw new WorkflowFormatError(`${where}: node ${id} has no "type".`)
    }
  }
  return nodes as UiNode[]
}

function buildGraph(
  nodes: UiNode[],
  links: Map<number, GraphLink>,
  rename: Map<string, string>,
  definition?: SubgraphDefinition,
): Graph {
  const byId = new Map<string, UiNode>()
  const ids = new Map<UiNode, string>()
  for (const node of nodes) {
    const saved = String(node.id)
    const id = rename.get(saved) ?? saved
    byId.set(id, node)
    ids.set(node, id)
  }
  if (rename.size > 0) {
    for (const link of links.values()) {
      link.originId = rename.get(link.originId) ?? link.originId
      link.targetId = rename.get(link.targetId) ?? link.targetId
    }
  }
  const graph: Graph = { nodes, byId, ids, links }
  if (definition) graph.definition = definition
  return graph
}

function collectDefinitions(defs: SubgraphDefinition[] | undefined, into: SubgraphDefinition[]): void {
  for (const def of defs ?? []) {
    into.push(def)
    collectDefinitions(def.definitions?.subgraphs, into)
  }
}

/**
 * Normalise a UI workflow. With `renumber` (frontends from 1.41), node ids
 * inside subgraph definitions that clash with an id already in use are
 * renumbered from the workflow's last node id, as those frontends do on load,
 * so execution ids match the real frontend's; older frontends keep them.
 */
export function normaliseWorkflow(workflow: UiWorkflow, name: string, renumber: boolean): NormalisedWorkflow {
  const rootNodes = checkNodes(workflow.nodes, name)
  const rootLinks = readLinks(workflow.links, name)
  const used = new Set(rootNodes.map((n) => String(n.id)))
  const definitions: SubgraphDefinition[] = []
  collectDefinitions(workflow.definitions?.subgraphs, definitions)

  // The frontend shares one id counter between the root graph and its subgraphs:
  // the highest of every saved counter and every numeric id.
  const counters = [workflow.state?.lastNodeId, workflow.last_node_id, ...rootNodes.map((n) => n.id)]
  for (const def of definitions) {
    const state = def.state as { lastNodeId?: unknown } | undefined
    counters.push(state?.lastNodeId as number | undefined, ...(def.nodes ?? []).map((n) => n.id))
  }
  let lastNodeId = 0
  for (const c of counters) {
    const n = Number(c)
    if (Number.isFinite(n) && n > lastNodeId) lastNodeId = n
  }
  const subgraphs = new Map<string, Graph>()
  for (const def of definitions) {
    if (typeof def.id !== 'string') throw new WorkflowFormatError(`${name}: a subgraph definition has no id.`)
    const where = `${name}, subgraph "${def.name ?? def.id}"`
    const nodes = checkNodes(def.nodes, where)
    const rename = new Map<string, string>()
    // Group-node definitions keep their index ids: they never share the id space.
    if (renumber && !def[GROUP_NODE_DEFINITION])
      for (const node of nodes) {
        const saved = String(node.id)
        if (used.has(saved)) {
          lastNodeId += 1
          rename.set(saved, String(lastNodeId))
          used.add(String(lastNodeId))
        } else {
          used.add(saved)
        }
      }
    subgraphs.set(def.id, buildGraph(nodes, readLinks(def.links, where), rename, def))
  }
  return { root: buildGraph(rootNodes, rootLinks, new Map()), subgraphs }
}
