/**
 * ComfyUI's node replacements (servers from about 0.28: `GET /api/node_replacements`,
 * `app/node_replace_manager.py`): for a node class that is gone, the class that
 * replaces it and how its inputs and outputs carry over. The server applies them
 * to a submitted API prompt before validating it; the frontend offers them as a
 * swap for a workflow's missing nodes. docs/comfyui-server-generations.md §4.
 */

/** One input of the new node: taken from an old input (value or link) or set to a literal. */
export type NodeReplacementInput = { new_id: string; old_id: string } | { new_id: string; set_value: unknown }

/** Consumers of the old node's output `old_idx` read the new node's output `new_idx`. */
export interface NodeReplacementOutput {
  new_idx: number
  old_idx: number
}

/** A registration, as the server lists it (`io.NodeReplace`). */
export interface NodeReplacement {
  new_node_id: string
  old_node_id: string
  /** The old node's widget names in `widgets_values` order (how the frontend finds an old widget's value). */
  old_widget_ids: string[] | null
  input_mapping: NodeReplacementInput[] | null
  output_mapping: NodeReplacementOutput[] | null
}

/** The server's answer: old class → its registrations, the first one winning. */
export type NodeReplacements = Record<string, readonly NodeReplacement[]>

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string')

function isInputMapping(v: unknown): v is NodeReplacementInput {
  if (!isRecord(v) || typeof v.new_id !== 'string') return false
  return typeof v.old_id === 'string' || 'set_value' in v
}

function isOutputMapping(v: unknown): v is NodeReplacementOutput {
  return isRecord(v) && Number.isInteger(v.new_idx) && Number.isInteger(v.old_idx)
}

function readReplacement(v: unknown, oldClass: string): NodeReplacement | undefined {
  if (!isRecord(v) || typeof v.new_node_id !== 'string' || v.new_node_id === '') return undefined
  const widgets = v.old_widget_ids ?? null
  const inputs = v.input_mapping ?? null
  const outputs = v.output_mapping ?? null
  if (widgets !== null && !isStringList(widgets)) return undefined
  if (inputs !== null && !(Array.isArray(inputs) && inputs.every(isInputMapping))) return undefined
  if (outputs !== null && !(Array.isArray(outputs) && outputs.every(isOutputMapping))) return undefined
  return {
    new_node_id: v.new_node_id,
    old_node_id: typeof v.old_node_id === 'string' ? v.old_node_id : oldClass,
    old_widget_ids: widgets,
    input_mapping: inputs,
    output_mapping: outputs,
  }
}

/**
 * The replacement table from a server's answer. Registrations that are not
 * well formed are left out (a replacement is a convenience: a malformed one
 * must not stop workflows that do not need it); anything but an object is no table.
 */
export function parseNodeReplacements(raw: unknown): NodeReplacements {
  const table: Record<string, NodeReplacement[]> = {}
  if (!isRecord(raw)) return table
  for (const [oldClass, list] of Object.entries(raw)) {
    if (!Array.isArray(list)) continue
    const read = list.map((r) => readReplacement(r, oldClass)).filter((r): r is NodeReplacement => r !== undefined)
    if (read.length > 0) table[oldClass] = read
  }
  return table
}
