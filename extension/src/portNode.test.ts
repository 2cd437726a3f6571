// @vitest-environment node
import { LGraph, LGraphNode, LiteGraph } from '@comfyorg/litegraph'
import { describe, expect, it } from 'vitest'
import { portMode, portTitle } from './portMode.js'
import { definePortNode, modeOf, PORT_TYPE, type PortNodeInstance, valueForPort } from './portNode.js'

describe('portMode', () => {
  it('follows the links', () => {
    expect(portMode(false, 0)).toBe('INPUT')
    expect(portMode(false, 2)).toBe('INPUT')
    expect(portMode(true, 0)).toBe('OUTPUT')
    expect(portMode(true, 1)).toBe('PASSTHRU')
    expect(portTitle('seed', 'INPUT', 'INT')).toBe('▶ seed · INPUT · INT')
    expect(portTitle('', 'OUTPUT')).toBe('◀ (no unique_id) · OUTPUT')
  })
})

describe('DiscomfortPort on litegraph, headless', () => {
  LiteGraph.registerNodeType(
    PORT_TYPE,
    definePortNode(LGraphNode as unknown as new () => PortNodeInstance, {
      store: () => undefined,
      ui: () => undefined,
      strokeStyles: () => undefined,
    }) as never,
  )
  class Source extends LGraphNode {
    constructor() {
      super('Source')
      ;(this as unknown as PortNodeInstance).addOutput('IMAGE', 'IMAGE')
    }
  }
  class Sink extends LGraphNode {
    constructor() {
      super('Sink')
      ;(this as unknown as PortNodeInstance).addInput('image', 'IMAGE')
    }
  }
  LiteGraph.registerNodeType('test/Source', Source)
  LiteGraph.registerNodeType('test/Sink', Sink)

  it('changes mode and title live as links come and go', () => {
    const graph = new LGraph()
    const source = LiteGraph.createNode('test/Source')!
    const port = LiteGraph.createNode(PORT_TYPE)! as unknown as PortNodeInstance & LGraphNode
    const sink = LiteGraph.createNode('test/Sink')!
    graph.add(source)
    graph.add(port as unknown as LGraphNode)
    graph.add(sink)
    port.widgets!.find((w: { name: string }) => w.name === 'unique_id')!.value = 'picture'
    expect(modeOf(port)).toBe('INPUT')
    source.connect(0, port as unknown as LGraphNode, 0)
    expect(modeOf(port)).toBe('OUTPUT')
    expect(port.title).toBe('◀ picture · OUTPUT · IMAGE')
    ;(port as unknown as LGraphNode).connect(0, sink, 0)
    expect(port.properties.discomfortMode).toBe('PASSTHRU')
    ;(port as unknown as LGraphNode).disconnectInput(0)
    expect(port.properties.discomfortMode).toBe('INPUT')
    expect(port.title).toBe('▶ picture · INPUT · IMAGE')
  })

  it('saves and reloads like the original node: one widget value, the unique_id', () => {
    const graph = new LGraph()
    const port = LiteGraph.createNode(PORT_TYPE)! as unknown as PortNodeInstance & LGraphNode
    graph.add(port as unknown as LGraphNode)
    port.widgets!.find((w: { name: string }) => w.name === 'unique_id')!.value = 'seed'
    const saved = graph.serialize()
    const node = (saved.nodes as Array<{ type: string; widgets_values?: unknown[] }>).find((n) => n.type === PORT_TYPE)!
    expect(node.widgets_values?.[0]).toBe('seed')
    const again = new LGraph()
    again.configure(saved)
    const loaded = (again.nodes as unknown as Array<{ type: string }>).find(
      (n) => n.type === PORT_TYPE,
    ) as unknown as PortNodeInstance
    expect(loaded.widgets!.find((w) => w.name === 'unique_id')!.value).toBe('seed')
    expect(modeOf(loaded)).toBe('INPUT')
  })
})

describe('"set value" reads what is typed as the port\'s type', () => {
  it('numbers stay numbers of the port type; an INT port refuses a fraction instead of changing type', () => {
    expect(valueForPort('FLOAT', '2')).toEqual({ value: 2 })
    expect(valueForPort('FLOAT', '0.5')).toEqual({ value: 0.5 })
    expect(valueForPort('INT', '7')).toEqual({ value: 7 })
    expect(valueForPort('INT', '0.5')).toMatchObject({ error: expect.stringMatching(/whole number/) })
    expect(valueForPort('FLOAT', 'abc')).toMatchObject({ error: expect.stringMatching(/not a number/) })
    expect(valueForPort('FLOAT', ' ')).toMatchObject({ error: expect.stringMatching(/not a number/) })
  })
  it('booleans are true or false, strings as typed, anything else JSON when it parses', () => {
    expect(valueForPort('BOOLEAN', 'True')).toEqual({ value: true })
    expect(valueForPort('BOOLEAN', 'yes')).toMatchObject({ error: expect.any(String) })
    expect(valueForPort('STRING', '42')).toEqual({ value: '42' })
    expect(valueForPort('*', '{"a":1}')).toEqual({ value: { a: 1 } })
    expect(valueForPort('*', 'plain words')).toEqual({ value: 'plain words' })
  })
})
