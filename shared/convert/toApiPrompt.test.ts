import { describe, expect, it } from 'vitest'
import {
  graphToPromptCases,
  graphToPromptExpected,
  loadCase,
  loadObjectInfo,
} from '../../test/helpers/fixtures.js'
import { isUnknownNodeTypesError, UnknownNodeTypesError } from '../errors.js'
import type { UiWorkflow } from '../workflow/uiWorkflow.js'
import { toApiPrompt } from './toApiPrompt.js'

const expected = graphToPromptExpected()
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
        expect(toApiPrompt(workflow, objectInfo, { name })).toEqual(want.output)
      } else {
        let error: unknown
        try {
          toApiPrompt(workflow, objectInfo, { name })
        } catch (e) {
          error = e
        }
        expect(isUnknownNodeTypesError(error)).toBe(true)
        expect([...(error as UnknownNodeTypesError).types].sort()).toEqual([...want.unknown_types].sort())
      }
    })
  }
})
