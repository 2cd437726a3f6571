/** Widget values land on the inputs the frontend would give them. */
import { describe, expect, it } from 'vitest'
import { loadObjectInfo } from '../../test/helpers/fixtures.js'
import type { NodeDef, ObjectInfo } from '../workflow/objectInfo.js'
import type { UiWorkflow } from '../workflow/uiWorkflow.js'
import { toApiPrompt } from './toApiPrompt.js'

const seeded = (control?: boolean | string): NodeDef => ({
  name: 'Seeded',
  input: {
    required: { seed: ['INT', control === undefined ? {} : { control_after_generate: control }], steps: ['INT', {}] },
  },
  input_order: { required: ['seed', 'steps'] },
  output: [],
  output_node: true,
})

const one = (widgets: unknown[]): UiWorkflow =>
  ({
    nodes: [{ id: 1, type: 'Seeded', mode: 0, inputs: [], outputs: [], widgets_values: widgets }],
    links: [],
    version: 0.4,
  }) as unknown as UiWorkflow

describe('control_after_generate, as the frontend decides it', () => {
  const convert = (def: NodeDef, widgets: unknown[]) =>
    toApiPrompt(one(widgets), { ...loadObjectInfo(), Seeded: def } as ObjectInfo, { name: 'w.json' })['1']!.inputs

  it('a seed input gets the control widget by its name when the option is absent', () => {
    expect(convert(seeded(), [42, 'randomize', 20])).toEqual({ seed: 42, steps: 20 })
  })

  it('an explicit control_after_generate: false means no control widget, even for a seed (no shifted values)', () => {
    expect(convert(seeded(false), [42, 20])).toEqual({ seed: 42, steps: 20 })
  })

  it('an explicit true or a default mode adds one', () => {
    expect(convert(seeded(true), [42, 'fixed', 20])).toEqual({ seed: 42, steps: 20 })
    expect(convert(seeded('increment'), [42, 'increment', 20])).toEqual({ seed: 42, steps: 20 })
  })
})

describe('a PrimitiveNode value goes through the target widget, as applyToGraph does', () => {
  const scaled = (spec: Record<string, unknown>, type: 'FLOAT' | 'INT', value: number): unknown => {
    const def: NodeDef = {
      name: 'Scaled',
      input: { required: { amount: [type, spec] } },
      input_order: { required: ['amount'] },
      output: [],
      output_node: true,
    }
    const workflow = {
      nodes: [
        {
          id: 1,
          type: 'PrimitiveNode',
          outputs: [{ name: type, type, links: [1], widget: { name: 'amount' } }],
          widgets_values: [value, 'fixed'],
        },
        {
          id: 2,
          type: 'Scaled',
          inputs: [{ name: 'amount', type, link: 1, widget: { name: 'amount' } }],
          widgets_values: [0],
        },
      ],
      links: [[1, 1, 0, 2, 0, type]],
      version: 0.4,
    } as unknown as UiWorkflow
    return toApiPrompt(workflow, { Scaled: def } as ObjectInfo, { name: 'p.json' })['2']!.inputs.amount
  }

  it('FLOAT: rounded to the decimals of its step, or to its own round, and clamped to min/max', () => {
    expect(scaled({ step: 0.1, min: 0, max: 10 }, 'FLOAT', 3.25)).toBe(3.3)
    expect(scaled({ step: 0.01, round: 0.005, min: 0, max: 10 }, 'FLOAT', 3.2576)).toBe(3.26)
    // The frontend writes round's multiple with the step's decimals: KSampler's cfg (step 0.1, round 0.01).
    expect(scaled({ step: 0.1, round: 0.01, min: 0, max: 100 }, 'FLOAT', 3.256)).toBe(3.3)
    expect(scaled({ step: 0.1, min: 0, max: 10 }, 'FLOAT', 12.34)).toBe(10)
    expect(scaled({ step: 1 }, 'FLOAT', 3.25)).toBe(3.25) // a whole step and no round: kept
  })

  it('INT: a multiple of its step counted from its min', () => {
    expect(scaled({ step: 8, min: 16 }, 'INT', 101)).toBe(104)
    expect(scaled({ step: 1 }, 'INT', 2.6)).toBe(3)
  })

  it("a value saved on the node itself is not rounded (loading doesn't run the callback)", () => {
    const def: NodeDef = {
      name: 'Scaled',
      input: { required: { amount: ['FLOAT', { step: 0.1 }] } },
      input_order: { required: ['amount'] },
      output: [],
      output_node: true,
    }
    const workflow = { nodes: [{ id: 2, type: 'Scaled', widgets_values: [3.25] }], links: [], version: 0.4 }
    expect(
      toApiPrompt(workflow as unknown as UiWorkflow, { Scaled: def } as ObjectInfo, { name: 'p.json' })['2']!.inputs,
    ).toEqual({ amount: 3.25 })
  })
})
