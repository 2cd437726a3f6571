/**
 * Node types that exist only in the frontend. They are known to the converter
 * even though `/object_info` does not list them.
 */
import type { NodeDef } from '../workflow/objectInfo.js'

/** Virtual nodes: never emitted; links through them are followed. */
export const VIRTUAL_NODE_TYPES = new Set(['Reroute', 'PrimitiveNode', 'Note', 'MarkdownNote'])

export const DISCOMFORT_PORT = 'DiscomfortPort'

/**
 * DiscomfortPort is a frontend-registered node that is *not* virtual, so it
 * reaches the API prompt as a pseudo-node that the bridge compiles away.
 */
export const discomfortPortDef: NodeDef = {
  input: {
    required: { unique_id: ['STRING', { default: '', multiline: false }] },
    optional: { input_data: ['*', {}] },
  },
  input_order: { required: ['unique_id'], optional: ['input_data'] },
  output: ['*'],
  output_is_list: [false],
  output_name: ['output_data'],
  name: DISCOMFORT_PORT,
  display_name: 'Discomfort Port',
  description: 'Reads a context value (INPUT), captures one (OUTPUT) or marks a stitching point (PASSTHRU).',
  python_module: 'custom_nodes.discomfort',
  category: 'discomfort',
  output_node: false,
}

/** Definitions the converter uses on top of a server's object_info. */
export const FRONTEND_NODE_DEFS: Record<string, NodeDef> = { [DISCOMFORT_PORT]: discomfortPortDef }
