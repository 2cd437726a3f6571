/**
 * ComfyUI's own workflow templates (the comfyui_workflow_templates_media_*
 * packages that ComfyUI 0.3.75 pins), converted for each frontend version
 * whose graphToPrompt of every template was captured: ours must be the same
 * prompt — declared inputs, frontend-only inputs, links, execution ids and
 * `_meta` — or the same unknown node types.
 */
import { describe, expect, it } from 'vitest'
import {
  loadObjectInfo0375,
  loadTemplate,
  templateCapture,
  templateCaptureVersions,
  templateNames,
} from '../../test/helpers/fixtures.js'
import { isUnknownNodeTypesError } from '../errors.js'
import type { UiWorkflow } from '../workflow/uiWorkflow.js'
import { toApiPrompt } from './toApiPrompt.js'

/**
 * Frontend 1.41.3 renumbers the second subgraph definition's clashing node ids
 * but then gives the first instance's promoted widget the second definition's
 * value (its negative prompt's system text becomes the positive one's; fixed
 * in later frontends, 1.58.1 included). We keep the value the workflow saved.
 */
const FRONTEND_CORRUPTION: Record<string, Record<string, Record<string, Record<string, unknown>>>> = {
  '1.41.3': {
    'comfyui_workflow_templates_media_image/image_netayume_lumina_t2i': {
      '25:23': {
        value: 'You are an assistant designed to generate low-quality images based on textual prompts <Prompt Start> ',
      },
    },
  },
}

const objectInfo = loadObjectInfo0375()
const names = templateNames()

describe('ComfyUI 0.3.75 workflow templates', () => {
  it('are all here, and captured from four frontend versions', () => {
    expect(names.length).toBe(188)
    expect(templateCaptureVersions()).toEqual(['1.25.11', '1.32.9', '1.41.3', '1.58.1'])
  })
})

describe.each(templateCaptureVersions())('every template converts as the real frontend %s does', (version) => {
  const capture = templateCapture(version)
  it('was captured from that version, for every template', () => {
    expect(capture.frontendVersion).toBe(version)
    expect(Object.keys(capture.cases).sort()).toEqual(names)
  })
  it.each(names)('%s', (name) => {
    const want = capture.cases[name]!
    const workflow = loadTemplate(name) as UiWorkflow
    const convert = () => toApiPrompt(workflow, objectInfo, { name, frontendVersion: version })
    if (want.expect === 'error') {
      let error: unknown
      try {
        convert()
      } catch (e) {
        error = e
      }
      expect(isUnknownNodeTypesError(error)).toBe(true)
      expect(error instanceof Error && error.message).toContain(name)
      expect([...(error as { types: string[] }).types].sort()).toEqual([...want.unknown_types].sort())
      return
    }
    const output = structuredClone(want.output) as Record<string, { inputs: Record<string, unknown> }>
    for (const [id, inputs] of Object.entries(FRONTEND_CORRUPTION[version]?.[name] ?? {}))
      Object.assign(output[id]!.inputs, inputs)
    expect(convert()).toEqual(output)
  })
})
