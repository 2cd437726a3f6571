import { describe, expect, it } from 'vitest'
import { graphToPromptCases, graphToPromptExpected, loadCase, loadObjectInfo } from '../../test/helpers/fixtures.js'
import { isUnknownNodeTypesError, type UnknownNodeTypesError } from '../errors.js'
import type { UiWorkflow } from '../workflow/uiWorkflow.js'
import { toApiPrompt } from './toApiPrompt.js'

const expected = graphToPromptExpected()

/**
 * Two legacy group-node cases where the real frontend 1.41.3 scrambles widget
 * values when it rebuilds the group's inner nodes (a KSampler's `denoise`
 * comes out as "euler", a SaveImage prefix as "normal"). We deliberately keep
 * the values the workflow saved instead; everything else must match exactly.
 */
const FRONTEND_CORRUPTION: Record<string, Record<string, Record<string, unknown>>> = {
  'groupnodes__group_node_v1.3.3': {
    '10:4': { denoise: 1 },
    '10:6': { filename_prefix: 'ComfyUI' },
  },
  groupnodes__legacy_group_node: {
    '15:0': { noise_seed: 0, steps: 20, cfg: 8, start_at_step: 0, end_at_step: 10000 },
    '15:1': { denoise: 1 },
  },
}

function withSavedValues(output: Record<string, unknown>, fixes: Record<string, Record<string, unknown>>) {
  const copy = structuredClone(output) as Record<string, { inputs: Record<string, unknown> }>
  for (const [id, inputs] of Object.entries(fixes)) Object.assign(copy[id]!.inputs, inputs)
  return copy
}
const objectInfo = loadObjectInfo()

describe('toApiPrompt reproduces the real frontend 1.41.3 on every captured case', () => {
  it('has all 77 cases', () => {
    expect(graphToPromptCases()).toHaveLength(77)
  })
  for (const name of graphToPromptCases()) {
    const want = expected[name]!
    it(name, () => {
      const workflow = loadCase(name) as UiWorkflow
      if (want.expect === 'prompt') {
        const fixes = FRONTEND_CORRUPTION[name]
        const output = fixes ? withSavedValues(want.output, fixes) : want.output
        expect(toApiPrompt(workflow, objectInfo, { name, frontendVersion: '1.41.3' })).toEqual(output)
      } else {
        let error: unknown
        try {
          toApiPrompt(workflow, objectInfo, { name, frontendVersion: '1.41.3' })
        } catch (e) {
          error = e
        }
        expect(isUnknownNodeTypesError(error)).toBe(true)
        expect([...(error as UnknownNodeTypesError).types].sort()).toEqual([...want.unknown_types].sort())
      }
    })
  }
})
