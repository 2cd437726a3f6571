/**
 * The UI ("workflow") format the ComfyUI frontend saves: schema 0.4 (links as
 * arrays) and schema 1 (links as objects), with subgraph definitions, native
 * reroutes and legacy group nodes. Only the fields the core reads are typed;
 * the rest passes through untouched.
 */

export type NodeId = number | string

export interface UiNodeInput {
  name: string
  type: string | string[] | number
  link: number | null
  widget?: { name: string }
  label?: string
  [key: string]: unknown
}

export interface UiNodeOutput {
  name: string
  type: string | string[] | number
  links?: number[] | null
  [key: string]: unknown
}

export interface UiNode {
  id: NodeId
  type: string
  mode?: number
  title?: string
  inputs?: UiNodeInput[]
  outputs?: UiNodeOutput[]
  properties?: Record<string, unknown>
  widgets_values?: unknown[] | Record<string, unknown>
  [key: string]: unknown
}

/** `[id, origin_id, origin_slot, target_id, target_slot, type]` */
export type UiLinkTuple = [number, NodeId, number | string, NodeId, number | string, unknown]

export interface UiLinkObject {
  id: number
  origin_id: NodeId
  origin_slot: number
  target_id: NodeId
  target_slot: number
  type: unknown
  parentId?: number
}

export interface SubgraphIo {
  id?: string
  name: string
  type: string
  linkIds?: number[]
  label?: string
}

export interface SubgraphDefinition {
  id: string
  name?: string
  nodes: UiNode[]
  links?: UiLinkObject[] | UiLinkTuple[]
  inputs?: SubgraphIo[]
  outputs?: SubgraphIo[]
  widgets?: Array<{ id: NodeId; name: string }>
  definitions?: { subgraphs?: SubgraphDefinition[] }
  [key: string]: unknown
}

export interface GroupNodeDefinition {
  nodes: UiNode[]
  links: Array<[NodeId | null, number, NodeId, number, ...unknown[]]>
  external?: Array<[number, number, string]>
  config?: Record<string, unknown>
}

export interface UiWorkflow {
  version?: number
  last_node_id?: number
  last_link_id?: number
  state?: { lastNodeId?: number; lastLinkId?: number }
  nodes: UiNode[]
  links?: UiLinkTuple[] | UiLinkObject[]
  definitions?: { subgraphs?: SubgraphDefinition[] }
  extra?: { groupNodes?: Record<string, GroupNodeDefinition>; [key: string]: unknown }
  [key: string]: unknown
}

/** LGraphEventMode values as saved in `node.mode`. */
export const NodeMode = { ALWAYS: 0, ON_EVENT: 1, NEVER: 2, ON_TRIGGER: 3, BYPASS: 4 } as const

/** Ids the frontend gives the subgraph input and output panels inside a definition. */
export const SUBGRAPH_INPUT_ID = -10
export const SUBGRAPH_OUTPUT_ID = -20

/** A UI workflow has a `nodes` array; an API prompt is an object of `{class_type, inputs}`. */
export function isUiWorkflow(value: unknown): value is UiWorkflow {
  return typeof value === 'object' && value !== null && Array.isArray((value as { nodes?: unknown }).nodes)
}
