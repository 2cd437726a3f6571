/**
 * The current server's node replacements (app/node_replace_manager.py and the
 * built-in list of comfy_extras/nodes_replacements.py): what `GET /node_replacements`
 * answers, and the rewrite `POST /prompt` applies before validation.
 */
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'

type InputMapping = { new_id: string; old_id: string } | { new_id: string; set_value: unknown }

export interface NodeReplace {
  new_node_id: string
  old_node_id: string
  old_widget_ids: string[] | null
  input_mapping: InputMapping[] | null
  output_mapping: Array<{ new_idx: number; old_idx: number }> | null
}

const replace = (old: string, to: string, more: Partial<NodeReplace> = {}): NodeReplace => ({
  new_node_id: to,
  old_node_id: old,
  old_widget_ids: null,
  input_mapping: null,
  output_mapping: null,
  ...more,
})

const same = (...ids: string[]): InputMapping[] => ids.map((id) => ({ new_id: id, old_id: id }))

/** The built-in registrations, in registration order. */
export const BUILT_IN_REPLACEMENTS: readonly NodeReplace[] = [
  replace('ResizeImagesByLongerEdge', 'ImageScaleToMaxDimension', {
    old_widget_ids: ['longer_edge'],
    input_mapping: [
      { new_id: 'image', old_id: 'images' },
      { new_id: 'largest_size', old_id: 'longer_edge' },
      { new_id: 'upscale_method', set_value: 'lanczos' },
    ],
    output_mapping: [{ new_idx: 0, old_idx: 0 }],
  }),
  replace('ImageBatch', 'BatchImagesNode', {
    input_mapping: [
      { new_id: 'images.image0', old_id: 'image1' },
      { new_id: 'images.image1', old_id: 'image2' },
    ],
  }),
  replace('ImageScaleBy', 'ResizeImageMaskNode', {
    old_widget_ids: ['upscale_method', 'scale_by'],
    input_mapping: [
      { new_id: 'input', old_id: 'image' },
      { new_id: 'resize_type', set_value: 'scale by multiplier' },
      { new_id: 'resize_type.multiplier', old_id: 'scale_by' },
      { new_id: 'scale_method', old_id: 'upscale_method' },
    ],
  }),
  replace('T2IAdapterLoader', 'ControlNetLoader', {
    input_mapping: [{ new_id: 'control_net_name', old_id: 't2i_adapter_name' }],
  }),
  replace('Load3DAnimation', 'Load3D'),
  replace('Preview3DAnimation', 'Preview3D'),
  replace('SDV_img2vid_Conditioning', 'SVD_img2vid_Conditioning'),
  replace('ConditioningAverage ', 'ConditioningAverage'),
  replace('GeminiNanoBanana2', 'GeminiNanoBanana2V2', {
    old_widget_ids: [
      'prompt',
      'model',
      'seed',
      'aspect_ratio',
      'resolution',
      'response_modalities',
      'thinking_level',
      'system_prompt',
    ],
    input_mapping: [
      ...same('prompt', 'model', 'seed', 'aspect_ratio', 'resolution', 'response_modalities', 'thinking_level'),
      { new_id: 'images.image_1', old_id: 'images' },
      ...same('files', 'system_prompt'),
    ],
  }),
]

/** `GET /node_replacements`: old class → its registrations. */
export function replacementMap(list: readonly NodeReplace[] = BUILT_IN_REPLACEMENTS): Record<string, NodeReplace[]> {
  const map: Record<string, NodeReplace[]> = {}
  for (const r of list) {
    const entries = map[r.old_node_id] ?? []
    map[r.old_node_id] = entries
    // Idempotent per (old, new) pair.
    if (!entries.some((e) => e.new_node_id === r.new_node_id)) entries.push(structuredClone(r))
  }
  return map
}

type PromptNode = { class_type: string; inputs: Record<string, unknown>; _meta?: Record<string, unknown> }

const isNode = (v: unknown): v is PromptNode =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'class_type' in v && 'inputs' in v

const isLink = (v: unknown): v is [string, number] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number'

/**
 * Rewrite, in place, every node whose class is not loaded but has a registration
 * whose target is (the first registration wins): same id and `_meta`, inputs only
 * from `input_mapping`, and consumers' output indexes through `output_mapping`.
 */
export function applyReplacements(
  prompt: Record<string, unknown>,
  objectInfo: ObjectInfo,
  list: readonly NodeReplace[] = BUILT_IN_REPLACEMENTS,
): void {
  const map = replacementMap(list)
  const consumers = new Map<string, Array<{ node: string; input: string; index: number }>>()
  const toReplace: string[] = []
  for (const [id, node] of Object.entries(prompt)) {
    // UI-format top-level keys (last_node_id, …) are skipped.
    if (!isNode(node)) continue
    if (!(node.class_type in objectInfo) && map[node.class_type]) toReplace.push(id)
    for (const [input, value] of Object.entries(node.inputs ?? {})) {
      if (isLink(value))
        consumers.set(value[0], [...(consumers.get(value[0]) ?? []), { node: id, input, index: value[1] }])
    }
  }
  for (const id of toReplace) {
    const old = prompt[id] as PromptNode
    const replacement = map[old.class_type]![0]!
    if (!(replacement.new_node_id in objectInfo)) continue
    const inputs: Record<string, unknown> = {}
    for (const m of replacement.input_mapping ?? []) {
      inputs[m.new_id] = 'set_value' in m ? m.set_value : old.inputs[m.old_id]
    }
    prompt[id] = { ...old, class_type: replacement.new_node_id, inputs, _meta: { ...(old._meta ?? {}) } }
    for (const use of replacement.output_mapping ? (consumers.get(id) ?? []) : []) {
      const mapped = replacement.output_mapping!.find((o) => o.old_idx === use.index)
      const link = (prompt[use.node] as PromptNode).inputs[use.input]
      if (mapped && isLink(link)) link[1] = mapped.new_idx
    }
  }
}
