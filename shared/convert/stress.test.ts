/** Graphs as deep as people make them: nothing in conversion or port handling recurses on graph depth. */
import { describe, expect, it } from 'vitest'
import { loadCase, loadObjectInfo } from '../../test/helpers/fixtures.js'
import { isWorkflowFormatError } from '../errors.js'
import { discoverPorts } from '../ports/discover.js'
import { pruneToPort, removePassthru } from '../ports/graphOps.js'
import type { ApiPrompt } from '../workflow/apiPrompt.js'
import type { UiWorkflow } from '../workflow/uiWorkflow.js'
import { toApiPrompt } from './toApiPrompt.js'

const info = loadObjectInfo()

/** EmptyImage → n reroutes → PreviewImage, in the UI format (schema 0.4). */
function rerouteChain(n: number, cycle = false): UiWorkflow {
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

describe('deep graphs', () => {
  it('converts a chain of 5,000 reroutes, and one of 10,000 nodes', () => {
    for (const n of [5_000, 10_000]) {
      const prompt = toApiPrompt(rerouteChain(n), info, { name: `chain${n}.json` })
      expect(Object.keys(prompt)).toEqual(['1', String(n + 2)])
      expect(prompt[String(n + 2)]!.inputs.images).toEqual(['1', 0])
    }
  })

  it('refuses links that form a cycle, naming a node on it', () => {
    let error: unknown
    try {
      toApiPrompt(rerouteChain(50, true), info, { name: 'cycle.json' })
    } catch (e) {
      error = e
    }
    expect(isWorkflowFormatError(error)).toBe(true)
    expect((error as Error).message).toMatch(/cycle\.json.*node \d+.*form a cycle/)
  })

  it('types, flattens and prunes a chain of 10,000 PASSTHRU ports', () => {
    const n = 10_000
    const prompt: ApiPrompt = {
      src: { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
    }
    let last = 'src'
    for (let i = 0; i < n; i++) {
      prompt[`p${i}`] = { class_type: 'DiscomfortPort', inputs: { unique_id: `k${i}`, input_data: [last, 0] } }
      last = `p${i}`
    }
    prompt.inv = { class_type: 'ImageInvert', inputs: { image: [last, 0] } }
    prompt.out = { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['inv', 0] } }
    const ports = discoverPorts(prompt, info, 'deep.json')
    expect(ports).toHaveLength(n + 1)
    expect(new Set(ports.map((p) => p.type))).toEqual(new Set(['IMAGE']))
    expect(removePassthru(prompt).inv!.inputs.image).toEqual(['src', 0])
    expect(Object.keys(pruneToPort(prompt, 'out', 'deep.json').prompt)).toContain('src')
  })
})

describe('subgraphs that contain themselves', () => {
  const base = () =>
    JSON.parse(JSON.stringify(loadCase('subgraphs__basic-subgraph'))) as {
      definitions: { subgraphs: Array<{ id: string; name: string; nodes: unknown[] }> }
    }
  const instance = (type: string, id: number) => ({
    id,
    type,
    mode: 0,
    inputs: [],
    outputs: [],
    properties: {},
    widgets_values: [],
  })

  it('directly: a clear error naming the subgraph, not a stack overflow', () => {
    const w = base()
    const sg = w.definitions.subgraphs[0]!
    sg.nodes.push(instance(sg.id, 99))
    expect(() => toApiPrompt(w as unknown as UiWorkflow, info, { name: 'self.json' })).toThrow(
      new RegExp(`self\\.json: subgraph "${sg.name}" contains itself`),
    )
  })

  it('through another subgraph: the loop is named', () => {
    const w = base()
    const a = w.definitions.subgraphs[0]!
    const b = { ...JSON.parse(JSON.stringify(a)), id: 'b-def', name: 'B', nodes: [instance(a.id, 1)] }
    a.nodes.push(instance('b-def', 98))
    w.definitions.subgraphs.push(b)
    expect(() => toApiPrompt(w as unknown as UiWorkflow, info, { name: 'loop.json' })).toThrow(
      /contains itself \(".*" › "B" › ".*"\)/,
    )
  })
})

describe('cycles between real nodes', () => {
  it('a UI workflow and an API prompt whose links loop are refused, naming the nodes on the loop', () => {
    const api: ApiPrompt = {
      '1': { class_type: 'ImageInvert', inputs: { image: ['3', 0] }, _meta: { title: 'Invert' } },
      '2': { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 1, sigma: 1 } },
      '3': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
      '4': { class_type: 'PreviewImage', inputs: { images: ['3', 0] } },
    }
    expect(() => toApiPrompt(api, info, { name: 'loop.json' })).toThrow(
      /loop\.json: the links between nodes .*1 \(Invert\).*form a cycle/,
    )
    const deep: ApiPrompt = { a0: { class_type: 'ImageInvert', inputs: { image: ['a9999', 0] } } }
    for (let i = 1; i < 10_000; i++) deep[`a${i}`] = { class_type: 'ImageInvert', inputs: { image: [`a${i - 1}`, 0] } }
    expect(() => toApiPrompt(deep, info, { name: 'deep.json' })).toThrow(/form a cycle/)
  })
})
