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
