/**
 * Ports around and inside a native loop of the current ComfyUI (StartLoop /
 * EndLoop, docs/comfyui-server-generations.md §6): compiling them leaves the
 * loop's wiring as the server pairs and expands it. The stand-in does not run
 * loops, so this checks the compiled prompt.
 */
import { describe, expect, it } from 'vitest'
import { compileOnly } from '../../bridge/runs/compileOnly.js'
import { imageFromPngs } from '../../bridge/values/valueFrom.js'
import { isPortError } from '../../shared/errors.js'
import { discoverPorts } from '../../shared/ports/discover.js'
import { findLoops } from '../../shared/ports/loops.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { NodeDef, ObjectInfo } from '../../shared/workflow/objectInfo.js'
import { currentObjectInfo } from '../comfyStandIn/profile.js'
import { loadObjectInfo0375 } from '../helpers/fixtures.js'
import { caught, port, solidPng } from '../helpers/prompts.js'

const matchType = (template: string): [string, Record<string, unknown>] => [
  'COMFY_MATCHTYPE_V3',
  { template: { template_id: template, allowed_types: '*' } },
]

/** The loop nodes as the current server lists them (V3 schemas in V1 form: comfy_extras/nodes_loop.py). */
const LOOP_DEFS: Record<string, NodeDef> = {
  StartLoop: {
    name: 'StartLoop',
    display_name: 'Start Loop',
    category: 'utilities/looping',
    input: {
      required: {
        mode: ['COMFY_DYNAMICCOMBO_V3', { options: [{ key: 'simple' }, { key: 'For' }, { key: 'List' }] }],
        cache_iterations: ['BOOLEAN', { default: false, advanced: true }],
      },
      optional: {
        parent_iteration: ['INT', { forceInput: true }],
        initial_iteration_value: matchType('carried_value'),
      },
    },
    output: ['INT', 'BOOLEAN', 'BOOLEAN', 'COMFY_MATCHTYPE_V3', 'COMFY_MATCHTYPE_V3'],
    output_name: ['iteration_index', 'is_first', 'is_last', 'list_item', 'current_iteration_value'],
  },
  EndLoop: {
    name: 'EndLoop',
    display_name: 'End Loop',
    category: 'utilities/looping',
    input: {
      required: { accumulate: ['BOOLEAN', { default: false }] },
      optional: {
        output_value: matchType('output_value'),
        next_iteration_value: matchType('carried_value'),
        terminations: ['COMFY_AUTOGROW_V3', { template: { prefix: 'termination', min: 0, max: 50 } }],
      },
    },
    output: ['COMFY_MATCHTYPE_V3'],
    output_name: ['outputs'],
    output_is_list: [true],
  },
}

const info: ObjectInfo = { ...currentObjectInfo(loadObjectInfo0375()), ...LOOP_DEFS }

/**
 * A feedback loop: port "start" (an image) is the initial value, each iteration
 * inverts the carried image through two PASSTHRU ports, port "n" gives the
 * number of iterations, and port "result" captures what the EndLoop returns.
 */
const loopPrompt = (): ApiPrompt => ({
  '1': port('start'),
  '2': port('n'),
  '10': {
    class_type: 'StartLoop',
    inputs: {
      mode: 'simple',
      'mode.num_iterations': ['2', 0],
      cache_iterations: false,
      initial_iteration_value: ['1', 0],
    },
  },
  '11': port('carried', ['10', 4]),
  '12': { class_type: 'ImageInvert', inputs: { image: ['11', 0] } },
  '13': port('inverted', ['12', 0]),
  '20': {
    class_type: 'EndLoop',
    inputs: { accumulate: false, output_value: ['13', 0], next_iteration_value: ['13', 0] },
  },
  '30': port('result', ['20', 0]),
})

const inputs = { start: imageFromPngs([solidPng(8, 8, [10, 20, 30])]), n: 3 }

describe('ports and native loops', () => {
  it('the loop is paired as the server pairs it, its body being the nodes between Start and End', () => {
    expect(findLoops(loopPrompt())).toEqual([{ start: '10', end: '20', body: new Set(['11', '12', '13']) }])
  })

  it('types flow through the loop nodes: the EndLoop output has its output_value type, a MatchType input tells nothing', () => {
    const ports = discoverPorts(loopPrompt(), info, 'loop.json')
    const typeOf = (id: string) => ports.find((p) => p.uniqueId === id)?.type
    expect(typeOf('result')).toBe('IMAGE')
    expect(typeOf('carried')).toBe('IMAGE') // from ImageInvert's input: StartLoop's output is a MatchType
    expect(typeOf('n')).toBe('*') // a DynamicCombo sub-input, unknown to object_info: literals go in
    expect(typeOf('start')).toBe('*')
  })

  it('compiling leaves the loop wired: PASSTHRU ports in the body joined, inputs in place, the capture after the EndLoop', async () => {
    const prompt = await compileOnly({ name: 'loop.json', prompt: loopPrompt() }, inputs, info)
    expect(prompt['10']!.inputs).toEqual({
      mode: 'simple',
      'mode.num_iterations': 3,
      cache_iterations: false,
      initial_iteration_value: ['port:start:image0', 0],
    })
    expect(prompt['12']!.inputs).toEqual({ image: ['10', 4] })
    expect(prompt['20']!.inputs).toEqual({
      accumulate: false,
      output_value: ['12', 0],
      next_iteration_value: ['12', 0],
    })
    expect(prompt['port:result:preview']).toMatchObject({ class_type: 'PreviewImage', inputs: { images: ['20', 0] } })
    expect(Object.values(prompt).some((n) => n.class_type === 'DiscomfortPort')).toBe(false)
    // As the server will see it: the same single loop, with no compiled node in its body.
    const [loop] = findLoops(prompt)
    expect(loop).toEqual({ start: '10', end: '20', body: new Set(['12']) })
    expect(prompt['port:start:image0']!.class_type).toBe('LoadImage')
  })

  it('an OUTPUT port inside the body is refused, saying where to capture instead', async () => {
    const prompt = loopPrompt()
    prompt['14'] = port('peek', ['12', 0])
    const e = await caught(compileOnly({ name: 'loop.json', prompt }, inputs, info))
    expect(isPortError(e)).toBe(true)
    expect(e.message).toMatch(/OUTPUT port "peek".*inside the loop of StartLoop 10 and EndLoop 20.*loop_escape/)
    expect(e.message).toMatch(/EndLoop's output_value/)
  })

  it('nested loops: a node after the inner EndLoop is still in the outer body', () => {
    const nested: ApiPrompt = {
      '1': { class_type: 'StartLoop', inputs: { mode: 'simple', 'mode.num_iterations': 2, cache_iterations: false } },
      '2': {
        class_type: 'StartLoop',
        inputs: { mode: 'simple', 'mode.num_iterations': 2, cache_iterations: false, parent_iteration: ['1', 0] },
      },
      '3': { class_type: 'PrimitiveInt', inputs: { value: ['2', 0] } },
      '4': { class_type: 'EndLoop', inputs: { accumulate: false, output_value: ['3', 0] } },
      '5': { class_type: 'PrimitiveInt', inputs: { value: ['4', 0] } },
      '6': { class_type: 'EndLoop', inputs: { accumulate: true, output_value: ['5', 0] } },
    }
    expect(findLoops(nested)).toEqual([
      { start: '2', end: '4', body: new Set(['3']) },
      { start: '1', end: '6', body: new Set(['2', '3', '4', '5']) },
    ])
  })
})
