/** Defaults and limits that the bridge, its clients and the CLI share. */

export const DEFAULT_BRIDGE_PORT = 8189
export const DEFAULT_COMFY_URL = 'http://127.0.0.1:8188'

export { MAX_ITERATIONS } from '../shared/protocol/limits.js'

/** The largest image a context accepts, per frame (width × height): 8192 × 8192. Override with MAX_IMAGE_PIXELS in workflow_context.json. */
export const DEFAULT_MAX_IMAGE_PIXELS = 8192 * 8192
