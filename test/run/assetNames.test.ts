/**
 * Asset names of the current ComfyUI (docs/comfyui-server-generations.md §5): with
 * the asset system on, the page's LoadImage combo may hold `blake3:<64 hex>`,
 * which the server resolves itself. Conversion and port compilation must pass
 * such a value on as it is: it is neither a file of ours to read or upload, nor
 * a context key.
 */
import { describe, expect, it } from 'vitest'
import { compileOnly } from '../../bridge/runs/compileOnly.js'
import { loadWorkflow } from '../../bridge/runs/runner.js'
import { toApiPrompt } from '../../shared/convert/toApiPrompt.js'
import { KNOWN_FRONTEND_VERSIONS } from '../../shared/convert/frontendProfiles.js'
import type { UiWorkflow } from '../../shared/workflow/uiWorkflow.js'
import { currentObjectInfo } from '../comfyStandIn/profile.js'
import { loadObjectInfo0375 } from '../helpers/fixtures.js'

const info = currentObjectInfo(loadObjectInfo0375())
const HASH = `blake3:${'0123456789abcdef'.repeat(4)}`
const OTHER = `blake3:${'fedcba9876543210'.repeat(4)}`

/** LoadImage (an asset, by hash) → ImageInvert → port "inverted"; port "mask" ← LoadImageMask fed by port "mask_name". */
const workflow: UiWorkflow = {
  last_node_id: 6,
  last_link_id: 4,
  nodes: [
    {
      id: 1,
      type: 'LoadImage',
      mode: 0,
      inputs: [],
      outputs: [
        { name: 'IMAGE', type: 'IMAGE', links: [1] },
        { name: 'MASK', type: 'MASK', links: [] },
      ],
      properties: { 'Node name for S&R': 'LoadImage' },
      widgets_values: [HASH, 'image'],
    },
    {
      id: 2,
      type: 'ImageInvert',
      mode: 0,
      inputs: [{ name: 'image', type: 'IMAGE', link: 1 }],
      outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [2] }],
      properties: {},
    },
    {
      id: 3,
      type: 'DiscomfortPort',
      mode: 0,
      inputs: [{ name: 'input_data', type: '*', link: 2 }],
      outputs: [{ name: 'output_data', type: '*', links: [] }],
      properties: {},
      widgets_values: ['inverted'],
    },
    {
      id: 4,
      type: 'DiscomfortPort',
      mode: 0,
      inputs: [{ name: 'input_data', type: '*', link: null }],
      outputs: [{ name: 'output_data', type: '*', links: [3] }],
      properties: {},
      widgets_values: ['mask_name'],
    },
    {
      id: 5,
      type: 'LoadImageMask',
      mode: 0,
      inputs: [{ name: 'image', type: 'COMBO', link: 3, widget: { name: 'image' } }],
      outputs: [{ name: 'MASK', type: 'MASK', links: [4] }],
      properties: {},
      widgets_values: ['placeholder.png', 'red', 'image'],
    },
    {
      id: 6,
      type: 'DiscomfortPort',
      mode: 0,
      inputs: [{ name: 'input_data', type: '*', link: 4 }],
      outputs: [{ name: 'output_data', type: '*', links: [] }],
      properties: {},
      widgets_values: ['mask'],
    },
  ],
  links: [
    [1, 1, 0, 2, 0, 'IMAGE'],
    [2, 2, 0, 3, 0, 'IMAGE'],
    [3, 4, 0, 5, 0, 'COMBO'],
    [4, 5, 0, 6, 0, 'MASK'],
  ],
}

describe('blake3: asset names pass through untouched', () => {
  it('in conversion, for every frontend version the converter reproduces', () => {
    for (const frontendVersion of KNOWN_FRONTEND_VERSIONS) {
      const prompt = toApiPrompt(workflow, info, { frontendVersion })
      expect(prompt['1']!.inputs.image, frontendVersion).toBe(HASH)
    }
  })

  it('in port compilation: a workflow literal stays, and an INPUT port value lands as the literal it is', async () => {
    const loaded = await loadWorkflow({ name: 'assets.json', workflow }, info, 0)
    const compiled = await compileOnly(loaded, { mask_name: OTHER }, info)
    expect(compiled['1']).toMatchObject({ class_type: 'LoadImage', inputs: { image: HASH } })
    expect(compiled['5']).toMatchObject({ class_type: 'LoadImageMask', inputs: { image: OTHER, channel: 'red' } })
    // Nothing was uploaded or loaded in their place: the only loaders are the workflow's own.
    const loaders = Object.entries(compiled).filter(([, n]) => n.class_type.startsWith('Load'))
    expect(loaders.map(([id]) => id).sort()).toEqual(['1', '5'])
    expect(Object.keys(compiled).filter((id) => id.startsWith('port:'))).toEqual([
      'port:inverted:preview',
      'port:mask:mask2image',
      'port:mask:preview',
    ])
  })
})
