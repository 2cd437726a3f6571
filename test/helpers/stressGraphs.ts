/** Generated workflows as deep as people make them, for the stress tests and the benchmark. */
import type { UiWorkflow } from '../../shared/workflow/uiWorkflow.js'

/** EmptyImage → n reroutes → PreviewImage, in the UI format (schema 0.4). */
export function rerouteChain(n: number, cycle = false): UiWorkflow {
  const nodes: unknown[] = [
    {
      id: 1,
      type: 'EmptyImage',
      mode: 0,
      inputs: [],
      outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [1] }],
      widgets_values: [8, 8, 1, 0],
    },
  ]
  const links: unknown[] = []
  for (let i = 0; i < n; i++) {
    const id = i + 2
    const from = cycle && i === 0 ? n + 1 : id - 1
    nodes.push({
      id,
      type: 'Reroute',
      mode: 0,
      inputs: [{ name: '', type: '*', link: i + 1 }],
      outputs: [{ name: '', type: 'IMAGE', links: [i + 2] }],
    })
    links.push([i + 1, from, 0, id, 0, 'IMAGE'])
  }
  nodes.push({
    id: n + 2,
    type: 'PreviewImage',
    mode: 0,
    inputs: [{ name: 'images', type: 'IMAGE', link: n + 1 }],
    outputs: [],
  })
  links.push([n + 1, n + 1, 0, n + 2, 0, 'IMAGE'])
  return { nodes, links, version: 0.4, last_node_id: n + 2, last_link_id: n + 1 } as unknown as UiWorkflow
}

/** Subgraph k holds an EmptyImage → PreviewImage and an instance of subgraph k+1; the root holds subgraph 0. */
export function nestedSubgraphs(depth: number): UiWorkflow {
  const node = (id: number, type: string, extra: Record<string, unknown> = {}) => ({
    id,
    type,
    mode: 0,
    inputs: [],
    outputs: [],
    properties: {},
    widgets_values: [],
    ...extra,
  })
  const io = { inputNode: { id: -10, bounding: [0, 0, 0, 0] }, outputNode: { id: -20, bounding: [0, 0, 0, 0] } }
  const subgraphs = Array.from({ length: depth }, (_, k) => ({
    id: `sg-${k}`,
    name: `level ${k}`,
    version: 1,
    state: { lastNodeId: 3, lastLinkId: 1 },
    ...io,
    inputs: [],
    outputs: [],
    widgets: [],
    nodes: [
      node(1, 'EmptyImage', {
        outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [1] }],
        widgets_values: [8, 8, 1, k],
      }),
      node(2, 'PreviewImage', { inputs: [{ name: 'images', type: 'IMAGE', link: 1 }] }),
      ...(k + 1 < depth ? [node(3, `sg-${k + 1}`)] : []),
    ],
    links: [{ id: 1, origin_id: 1, origin_slot: 0, target_id: 2, target_slot: 0, type: 'IMAGE' }],
  }))
  return {
    nodes: [node(3, 'sg-0')],
    links: [],
    version: 0.4,
    last_node_id: 3,
    definitions: { subgraphs },
  } as unknown as UiWorkflow
}
