/** Graphs as deep as people make them: nothing in conversion or port handling recurses on graph depth. */
import { describe, expect, it } from 'vitest'
import { loadCase, loadObjectInfo } from '../../test/helpers/fixtures.js'
import { isWorkflowFormatError } from '../errors.js'
import { discoverPorts } from '../ports/discover.js'
import { pruneToPort, removePassthru } from '../ports/graphOps.js'
import type { ApiPrompt } from '../workflow/apiPrompt.js'
import type { UiWorkflow } from '../workflow/uiWorkflow.js'
import { nestedSubgraphs as nested, rerouteChain } from '../../test/helpers/stressGraphs.js'
import { toApiPrompt } from './toApiPrompt.js'

const info = loadObjectInfo()

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

describe('deep subgraph nesting', () => {
  // Execution ids grow with depth ("3:3:…:3:2"), so the prompt itself grows with depth squared.
  it('1,000 levels convert; the innermost node has a 1,001-part execution id', () => {
    const prompt = toApiPrompt(nested(1000), info, { name: 'nested.json', frontendVersion: '1.32.9' })
    expect(Object.keys(prompt)).toHaveLength(2000)
    const innermost = `${Array(1000).fill('3').join(':')}:2`
    expect(prompt[innermost]).toMatchObject({
      class_type: 'PreviewImage',
      inputs: { images: [innermost.replace(/2$/, '1'), 0] },
    })
  })
})

describe('cycles through bypassed and virtual nodes', () => {
  const n = (id: number, type: string, mode: number, input: number | null, out: number[]) => ({
    id,
    type,
    mode,
    inputs: [{ name: type === 'Reroute' ? '' : 'image', type: type === 'Reroute' ? '*' : 'IMAGE', link: input }],
    outputs: [{ name: 'IMAGE', type: 'IMAGE', links: out }],
    widgets_values: [],
  })
  it('a loop closed through a bypassed node is refused, naming the nodes that run', () => {
    // 1 ImageInvert → 2 ImageInvert (bypassed) → 3 ImageInvert → back into 1.
    const w = {
      nodes: [n(1, 'ImageInvert', 0, 3, [1]), n(2, 'ImageInvert', 4, 1, [2]), n(3, 'ImageInvert', 0, 2, [3])],
      links: [
        [1, 1, 0, 2, 0, 'IMAGE'],
        [2, 2, 0, 3, 0, 'IMAGE'],
        [3, 3, 0, 1, 0, 'IMAGE'],
      ],
      version: 0.4,
    }
    expect(() => toApiPrompt(w as unknown as UiWorkflow, info, { name: 'bypass.json' })).toThrow(
      /bypass\.json: the links between nodes .*form a cycle/,
    )
  })
  it('a loop of reroutes and bypassed nodes only is refused, not walked forever', () => {
    const w = {
      nodes: [n(1, 'Reroute', 0, 3, [1]), n(2, 'ImageInvert', 4, 1, [2]), n(3, 'Reroute', 0, 2, [3, 4])],
      links: [
        [1, 1, 0, 2, 0, 'IMAGE'],
        [2, 2, 0, 3, 0, 'IMAGE'],
        [3, 3, 0, 1, 0, '*'],
        [4, 3, 0, 4, 0, 'IMAGE'],
      ],
      version: 0.4,
    }
    w.nodes.push({ ...n(4, 'PreviewImage', 0, 4, []), inputs: [{ name: 'images', type: 'IMAGE', link: 4 }] })
    expect(() => toApiPrompt(w as unknown as UiWorkflow, info, { name: 'virtual.json' })).toThrow(
      /virtual\.json, node \d \(Reroute\): the links through this node form a cycle/,
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
