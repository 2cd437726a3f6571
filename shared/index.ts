/** Discomfort core: workflow formats, UI→API conversion, ports, stitching and pruning. */
export * from './errors.js'
export * from './workflow/apiPrompt.js'
export * from './workflow/objectInfo.js'
export * from './workflow/uiWorkflow.js'
export { toApiPrompt, type ToApiPromptOptions } from './convert/toApiPrompt.js'
export { DISCOMFORT_PORT, discomfortPortDef } from './convert/frontendNodes.js'
