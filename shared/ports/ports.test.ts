import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadObjectInfo, ORIGINAL_WORKFLOWS, readJson } from '../../test/helpers/fixtures.js'
import { isPortError } from '../errors.js'
import { toApiPrompt } from '../convert/toApiPrompt.js'
import type { ApiPrompt } from '../workflow/apiPrompt.js'
import type { UiWorkflow } from '../workflow/uiWorkflow.js'
import { discoverPorts } from './discover.js'
import { pruneToPort, removePassthru, stitch } from './graphOps.js'

const objectInfo = loadObjectInfo()
const original = (file: string): ApiPrompt =>
  toApiPrompt(readJson<UiWorkflow>(join(ORIGINAL_WORKFLOWS, file)), objectInfo, { name: file })

const summary = (prompt: ApiPrompt) =>
  discoverPorts(prompt, objectInfo)
    .map((p) => `${p.uniqueId}:${p.mode}:${p.type}`)
    .sort()

describe('workflows saved by the original Python Discomfort', () => {
  it('convert, keeping DiscomfortPort as a pseudo-node with its unique_id', () => {
    const prompt = original('discomfort_test1.json')
    expect(prompt['19']).toEqual({
      class_type: 'DiscomfortPort',
      inputs: { unique_id: 'output_image', input_data: ['11', 0] },
      _meta: { title: 'Discomfort Port' },
    })
    expect(prompt['12']!.inputs.seed).toEqual(['20', 0])
  })

  it('have their ports found with modes and types inferred from object_info', () => {
    expect(summary(original('discomfort_test1.json'))).toEqual([
      'cfg:INPUT:FLOAT',
      'output_image:OUTPUT:IMAGE',
      'seed:INPUT:INT',
    ])
    expect(summary(original('sdxl_load_model_and_lora.json'))).toEqual([
      'clip:OUTPUT:CLIP',
      'lora_name:INPUT:COMBO',
      'lora_strength:INPUT:FLOAT',
      'model:OUTPUT:MODEL',
      'model_name:INPUT:COMBO',
      'vae:OUTPUT:VAE',
    ])
    expect(summary(original('latent_from_input_image.json'))).toEqual([
      'input_image:INPUT:IMAGE',
      'latent:OUTPUT:LATENT',
      'vae:INPUT:VAE',
    ])
  })
})

const chain: ApiPrompt = {
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  '2': { class_type: 'DiscomfortPort', inputs: { unique_id: 'mid', input_data: ['1', 0] } },
  '3': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
  '4': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['3', 0] } },
  '5': { class_type: 'DiscomfortPort', inputs: { unique_id: 'seed' } },
  '6': { class_type: 'DiscomfortPort', inputs: { unique_id: 'seedpass', input_data: ['5', 0] } },
  '7': { class_type: 'PrimitiveInt', inputs: { value: ['6', 0] } },
}

describe('discoverPorts', () => {
  it('infers types through PASSTHRU chains in both directions', () => {
    expect(summary(chain)).toEqual([
      'mid:PASSTHRU:IMAGE',
      'out:OUTPUT:IMAGE',
      'seed:INPUT:INT',
      'seedpass:PASSTHRU:INT',
    ])
  })

  it('rejects an empty unique_id, naming the node', () => {
    const bad: ApiPrompt = { '9': { class_type: 'DiscomfortPort', inputs: { unique_id: '  ' } } }
    expect(() => discoverPorts(bad, objectInfo, 'w.json')).toThrow(/w\.json: DiscomfortPort node 9 .*empty unique_id/)
  })

  it('rejects two INPUT ports sharing a unique_id, and two OUTPUT ports', () => {
    const inputs: ApiPrompt = {
      a: { class_type: 'DiscomfortPort', inputs: { unique_id: 'k' } },
      b: { class_type: 'DiscomfortPort', inputs: { unique_id: 'k' } },
    }
    expect(() => discoverPorts(inputs, objectInfo)).toThrow(/a and b are both INPUT ports for "k"/)
    const outputs: ApiPrompt = {
      ...chain,
      '8': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['1', 0] } },
    }
    let error: unknown
    try {
      discoverPorts(outputs, objectInfo)
    } catch (e) {
      error = e
    }
    expect(isPortError(error)).toBe(true)
  })

  it('allows an INPUT and an OUTPUT with the same unique_id (a feedback loop)', () => {
    const loop: ApiPrompt = {
      '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'img' } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'img', input_data: ['2', 0] } },
    }
    expect(summary(loop)).toEqual(['img:INPUT:IMAGE', 'img:OUTPUT:IMAGE'])
  })
})

describe('removePassthru and pruneToPort', () => {
  it('joins links across PASSTHRU ports and keeps INPUT and OUTPUT ports', () => {
    const flat = removePassthru(chain)
    expect(Object.keys(flat).sort()).toEqual(['1', '3', '4', '5', '7'])
    expect(flat['3']!.inputs.image).toEqual(['1', 0])
    expect(flat['7']!.inputs.value).toEqual(['5', 0])
  })

  it('prunes to the ancestors of an OUTPUT port', () => {
    const recipe = pruneToPort(original('sdxl_load_model_and_lora.json'), '6')
    expect(recipe.output[1]).toBe(0)
    const classes = Object.values(recipe.prompt)
      .map((n) => n.class_type)
      .sort()
    expect(classes).toEqual(['CheckpointLoaderSimple', 'LoraLoader'])
    expect(recipe.prompt[recipe.output[0]]!.class_type).toBe('LoraLoader')
  })
})

describe('stitch', () => {
  it('links each INPUT to the latest earlier OUTPUT with the same unique_id', () => {
    const make: ApiPrompt = {
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
      '2': { class_type: 'DiscomfortPort', inputs: { unique_id: 'img', input_data: ['1', 0] } },
    }
    const invert: ApiPrompt = {
      '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'img' } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'img', input_data: ['2', 0] } },
    }
    const { prompt } = stitch(
      [
        { name: 'make', prompt: make },
        { name: 'invert1', prompt: invert },
        { name: 'invert2', prompt: invert },
      ],
      objectInfo,
    )
    expect(prompt['2/1']!.inputs.input_data).toEqual(['1/1', 0])
    expect(prompt['3/1']!.inputs.input_data).toEqual(['2/2', 0])
    const ports = discoverPorts(prompt, objectInfo)
    expect(ports.filter((p) => p.mode === 'INPUT')).toEqual([])
    const flat = removePassthru(prompt)
    expect(flat['3/2']!.inputs.image).toEqual(['2/2', 0])
  })
})
