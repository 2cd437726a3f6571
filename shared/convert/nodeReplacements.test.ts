import { describe, expect, it } from 'vitest'
import { replacementMap } from '../../test/comfyStandIn/nodeReplacements.js'
import { currentObjectInfo } from '../../test/comfyStandIn/profile.js'
import {
  graphToPromptCases,
  graphToPromptExpected,
  loadCase,
  loadObjectInfo,
  loadObjectInfo0375,
} from '../../test/helpers/fixtures.js'
import { KNOWN_FRONTEND_VERSIONS } from './frontendProfiles.js'
import { isUnknownNodeTypesError, type UnknownNodeTypesError } from '../errors.js'
import { parseNodeReplacements, type NodeReplacements } from '../workflow/nodeReplacements.js'
import type { NodeDef, ObjectInfo } from '../workflow/objectInfo.js'
import type { SubgraphDefinition, UiLinkTuple, UiNode, UiWorkflow } from '../workflow/uiWorkflow.js'
import type { ReplacedNode } from './replaceNodes.js'
import { toApiPrompt } from './toApiPrompt.js'

/** The current server's node definitions: the classes it replaces are gone (the 0.3.75 capture, less those). */
const info = currentObjectInfo(loadObjectInfo0375())
/** What the current server answers on /api/node_replacements, through the bridge's reader. */
const builtIn = parseNodeReplacements(JSON.parse(JSON.stringify(replacementMap())))

type Sock = [name: string, type: string, link: number | null]
type Out = [name: string, type: string, links: number[]]

const node = (
  id: number,
  type: string,
  o: { inputs?: Sock[]; outputs?: Out[]; widgets?: unknown[]; title?: string } = {},
): UiNode => ({
  id,
  type,
  mode: 0,
  ...(o.title ? { title: o.title } : {}),
  inputs: (o.inputs ?? []).map(([name, t, link]) => ({ name, type: t, link })),
  outputs: (o.outputs ?? []).map(([name, t, links]) => ({ name, type: t, links })),
  properties: { 'Node name for S&R': type },
  widgets_values: o.widgets ?? [],
})

const workflow = (nodes: UiNode[], links: UiLinkTuple[]): UiWorkflow => ({ last_node_id: nodes.length, nodes, links })

/** LoadImage → ResizeImagesByLongerEdge (768) → PreviewImage: a class the current server no longer has, in the middle. */
const resizeWorkflow = (): UiWorkflow =>
  workflow(
    [
      node(1, 'LoadImage', {
        outputs: [
          ['IMAGE', 'IMAGE', [1]],
          ['MASK', 'MASK', []],
        ],
        widgets: ['red.png', 'image'],
      }),
      node(2, 'ResizeImagesByLongerEdge', {
        inputs: [['images', 'IMAGE', 1]],
        outputs: [['IMAGE', 'IMAGE', [2]]],
        widgets: [768],
      }),
      node(3, 'PreviewImage', { inputs: [['images', 'IMAGE', 2]] }),
    ],
    [
      [1, 1, 0, 2, 0, 'IMAGE'],
      [2, 2, 0, 3, 0, 'IMAGE'],
    ],
  )

const unknownTypes = (f: () => unknown): string[] => {
  try {
    f()
  } catch (e) {
    if (isUnknownNodeTypesError(e)) return (e as UnknownNodeTypesError).types
    throw e
  }
  return []
}

describe('node replacements in the converter', () => {
  it('the stand-in plays a server without ResizeImagesByLongerEdge, which lists ImageScaleToMaxDimension as its replacement', () => {
    expect(info.ResizeImagesByLongerEdge).toBeUndefined()
    expect(info.ImageScaleToMaxDimension).toBeDefined()
    expect(builtIn.ResizeImagesByLongerEdge?.[0]?.new_node_id).toBe('ImageScaleToMaxDimension')
  })

  it('without the table, a replaced class is an unknown node type, as before', () => {
    expect(unknownTypes(() => toApiPrompt(resizeWorkflow(), info))).toEqual(['ResizeImagesByLongerEdge'])
  })

  it('with it, the node becomes its replacement: same id, links moved by name, widget value by position, set_value applied, and it is reported', () => {
    const wf = resizeWorkflow()
    const before = structuredClone(wf)
    const replaced: ReplacedNode[] = []
    const prompt = toApiPrompt(wf, info, { nodeReplacements: builtIn, onReplacedNode: (r) => replaced.push(r) })
    expect(prompt['2']).toMatchObject({
      class_type: 'ImageScaleToMaxDimension',
      inputs: { image: ['1', 0], largest_size: 768, upscale_method: 'lanczos' },
    })
    expect(Object.keys(prompt['2']!.inputs).sort()).toEqual(['image', 'largest_size', 'upscale_method'])
    expect(prompt['3']!.inputs.images).toEqual(['2', 0])
    expect(replaced).toEqual([{ nodeId: '2', from: 'ResizeImagesByLongerEdge', to: 'ImageScaleToMaxDimension' }])
    // The caller's workflow is not changed.
    expect(wf).toEqual(before)
  })

  it('a replacement whose new class the server lacks leaves the node unknown (the frontend cannot create it, the server skips it)', () => {
    const { ImageScaleToMaxDimension: _, ...without } = info
    expect(unknownTypes(() => toApiPrompt(resizeWorkflow(), without, { nodeReplacements: builtIn }))).toEqual([
      'ResizeImagesByLongerEdge',
    ])
  })

  it('a class the server still has is never replaced (ImageBatch is deprecated but loaded)', () => {
    const wf = workflow(
      [
        node(1, 'LoadImage', { outputs: [['IMAGE', 'IMAGE', [1, 2]]], widgets: ['a.png', 'image'] }),
        node(2, 'ImageBatch', {
          inputs: [
            ['image1', 'IMAGE', 1],
            ['image2', 'IMAGE', 2],
          ],
        }),
      ],
      [
        [1, 1, 0, 2, 0, 'IMAGE'],
        [2, 1, 0, 2, 1, 'IMAGE'],
      ],
    )
    const prompt = toApiPrompt(wf, info, { nodeReplacements: builtIn })
    expect(prompt['2']).toMatchObject({ class_type: 'ImageBatch', inputs: { image1: ['1', 0], image2: ['1', 0] } })
  })

  it('without any mapping, the frontend default: links and outputs by name, widget values by position, title kept', () => {
    const wf = workflow(
      [
        node(1, 'CLIPTextEncode', { outputs: [['CONDITIONING', 'CONDITIONING', [1]]], widgets: ['a cat'] }),
        node(2, 'CLIPTextEncode', { outputs: [['CONDITIONING', 'CONDITIONING', [2]]], widgets: ['a dog'] }),
        node(3, 'ConditioningAverage ', {
          title: 'Blend',
          inputs: [
            ['conditioning_to', 'CONDITIONING', 1],
            ['conditioning_from', 'CONDITIONING', 2],
          ],
          outputs: [['CONDITIONING', 'CONDITIONING', [3]]],
          widgets: [0.25],
        }),
        node(4, 'ConditioningZeroOut', { inputs: [['conditioning', 'CONDITIONING', 3]], outputs: [] }),
      ],
      [
        [1, 1, 0, 3, 0, 'CONDITIONING'],
        [2, 2, 0, 3, 1, 'CONDITIONING'],
        [3, 3, 0, 4, 0, 'CONDITIONING'],
      ],
    )
    const prompt = toApiPrompt(wf, info, { nodeReplacements: builtIn })
    expect(prompt['3']).toEqual({
      class_type: 'ConditioningAverage',
      inputs: { conditioning_to: ['1', 0], conditioning_from: ['2', 0], conditioning_to_strength: 0.25 },
      _meta: { title: 'Blend' },
    })
    expect(prompt['4']!.inputs.conditioning).toEqual(['3', 0])
  })

  describe('mappings the built-in list does not exercise (a custom node pack registers its own)', () => {
    const def = (name: string, required: NodeDef['input']['required'], output: string[]): NodeDef => ({
      name,
      display_name: name,
      input: { required },
      output,
      output_name: output,
    })
    const extended: ObjectInfo = {
      ...info,
      // V3 nodes as the current server describes them: an Autogrow and a DynamicCombo input.
      NewBatch: def('NewBatch', { images: ['COMFY_AUTOGROW_V3', {}] }, ['IMAGE']),
      NewResize: def(
        'NewResize',
        {
          input: ['IMAGE', {}],
          resize_type: ['COMFY_DYNAMICCOMBO_V3', {}],
          scale_method: [['nearest-exact', 'bilinear', 'area'], {}],
        },
        ['IMAGE'],
      ),
      NewPair: def('NewPair', { image: ['IMAGE', {}] }, ['IMAGE', 'IMAGE']),
    }
    const table: NodeReplacements = parseNodeReplacements({
      OldBatch: [
        {
          new_node_id: 'NewBatch',
          old_node_id: 'OldBatch',
          old_widget_ids: null,
          input_mapping: [
            { new_id: 'images.image0', old_id: 'image1' },
            { new_id: 'images.image1', old_id: 'image2' },
          ],
          output_mapping: null,
        },
      ],
      OldScale: [
        {
          new_node_id: 'NewResize',
          old_node_id: 'OldScale',
          old_widget_ids: ['upscale_method', 'scale_by'],
          input_mapping: [
            { new_id: 'input', old_id: 'image' },
            { new_id: 'resize_type', set_value: 'scale by multiplier' },
            { new_id: 'resize_type.multiplier', old_id: 'scale_by' },
            { new_id: 'scale_method', old_id: 'upscale_method' },
          ],
          output_mapping: null,
        },
      ],
      OldSplit: [
        // Only the first registration counts (the frontend's getReplacementFor, the server's rule); the second is kept, unused.
        {
          new_node_id: 'NewPair',
          old_node_id: 'OldSplit',
          old_widget_ids: null,
          input_mapping: [{ new_id: 'image', old_id: 'source' }],
          output_mapping: [{ new_idx: 0, old_idx: 1 }],
        },
        {
          new_node_id: 'Missing',
          old_node_id: 'OldSplit',
          old_widget_ids: null,
          input_mapping: null,
          output_mapping: null,
        },
      ],
      Malformed: [{ new_node_id: 3 }],
    })

    it('reading the table drops malformed registrations and keeps the order of the rest', () => {
      expect(table.Malformed).toBeUndefined()
      expect(table.OldSplit?.map((r) => r.new_node_id)).toEqual(['NewPair', 'Missing'])
    })

    const source = node(1, 'LoadImage', {
      outputs: [
        ['IMAGE', 'IMAGE', [1, 2]],
        ['MASK', 'MASK', []],
      ],
      widgets: ['a.png', 'image'],
    })

    it('dotted (Autogrow) ids carry the old links as flat dotted inputs, as the server writes them', () => {
      const wf = workflow(
        [
          source,
          node(2, 'OldBatch', {
            inputs: [
              ['image1', 'IMAGE', 1],
              ['image2', 'IMAGE', 2],
            ],
            outputs: [['IMAGE', 'IMAGE', [3]]],
          }),
          node(3, 'PreviewImage', { inputs: [['images', 'IMAGE', 3]] }),
        ],
        [
          [1, 1, 0, 2, 0, 'IMAGE'],
          [2, 1, 0, 2, 1, 'IMAGE'],
          [3, 2, 0, 3, 0, 'IMAGE'],
        ],
      )
      const prompt = toApiPrompt(wf, extended, { nodeReplacements: table })
      expect(prompt['2']!.class_type).toBe('NewBatch')
      expect(prompt['2']!.inputs).toEqual({ 'images.image0': ['1', 0], 'images.image1': ['1', 0] })
      expect(prompt['3']!.inputs.images).toEqual(['2', 0])
    })

    it('DynamicCombo ids: set_value and dotted values are sent as literal inputs, widget values found through old_widget_ids', () => {
      const wf = workflow(
        [
          source,
          node(2, 'OldScale', {
            inputs: [['image', 'IMAGE', 1]],
            outputs: [['IMAGE', 'IMAGE', []]],
            widgets: ['bilinear', 1.5],
          }),
        ],
        [[1, 1, 0, 2, 0, 'IMAGE']],
      )
      const prompt = toApiPrompt(wf, extended, { nodeReplacements: table })
      expect(prompt['2']).toMatchObject({
        class_type: 'NewResize',
        inputs: {
          input: ['1', 0],
          resize_type: 'scale by multiplier',
          'resize_type.multiplier': 1.5,
          scale_method: 'bilinear',
        },
      })
    })

    it('output_mapping: a consumer of a mapped output follows it, one of an unmapped output loses its link', () => {
      const wf = workflow(
        [
          source,
          node(2, 'OldSplit', {
            inputs: [['source', 'IMAGE', 1]],
            outputs: [
              ['first', 'IMAGE', [3]],
              ['second', 'IMAGE', [4]],
            ],
          }),
          node(3, 'ImageInvert', { inputs: [['image', 'IMAGE', 3]], outputs: [['IMAGE', 'IMAGE', []]] }),
          node(4, 'ImageInvert', { inputs: [['image', 'IMAGE', 4]], outputs: [['IMAGE', 'IMAGE', []]] }),
        ],
        [
          [1, 1, 0, 2, 0, 'IMAGE'],
          [3, 2, 0, 3, 0, 'IMAGE'],
          [4, 2, 1, 4, 0, 'IMAGE'],
        ],
      )
      const prompt = toApiPrompt(wf, extended, { nodeReplacements: table })
      expect(prompt['2']).toMatchObject({ class_type: 'NewPair', inputs: { image: ['1', 0] } })
      expect(prompt['3']!.inputs).toEqual({})
      expect(prompt['4']!.inputs).toEqual({ image: ['2', 0] })
    })
  })

  it('a class replaced by one of the same shape, without mappings, converts exactly as before: every captured case, subgraphs included', () => {
    const captured = loadObjectInfo()
    const expected = graphToPromptExpected()
    for (const name of graphToPromptCases().filter((c) => expected[c]!.expect === 'prompt')) {
      const original = loadCase(name) as UiWorkflow
      // Every node of a server class is saved under an old name that the table maps back to it.
      const renamed = structuredClone(original)
      const table: Record<string, NodeReplacements[string]> = {}
      let count = 0
      const rename = (nodes: readonly UiNode[] | undefined) => {
        for (const n of nodes ?? []) {
          if (!captured[n.type]) continue
          count += 1
          const old = `Old${n.type}`
          table[old] = [
            { new_node_id: n.type, old_node_id: old, old_widget_ids: null, input_mapping: null, output_mapping: null },
          ]
          n.type = old
        }
      }
      const inDefinitions = (defs: readonly SubgraphDefinition[] | undefined) => {
        for (const d of defs ?? []) {
          rename(d.nodes)
          inDefinitions(d.definitions?.subgraphs)
        }
      }
      rename(renamed.nodes)
      inDefinitions(renamed.definitions?.subgraphs)
      for (const frontendVersion of KNOWN_FRONTEND_VERSIONS) {
        const want = toApiPrompt(original, captured, { name, frontendVersion })
        const replaced: ReplacedNode[] = []
        const got = toApiPrompt(renamed, captured, {
          name,
          frontendVersion,
          nodeReplacements: table,
          onReplacedNode: (r) => replaced.push(r),
        })
        expect(got, `${name} (${frontendVersion})`).toEqual(want)
        // Each one is reported (group nodes' insides are not renamed: they live in the group's definition).
        expect(replaced.length, name).toBe(count)
      }
    }
  })
})
