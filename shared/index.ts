/** Discomfort core: workflow formats, UI→API conversion, ports, stitching and pruning. */
export * from './errors.js'
export * from './workflow/apiPrompt.js'
export * from './workflow/objectInfo.js'
export * from './workflow/uiWorkflow.js'
export * from './workflow/nodeReplacements.js'
export { toApiPrompt, type ToApiPromptOptions } from './convert/toApiPrompt.js'
export type { ReplacedNode } from './convert/replaceNodes.js'
export {
  DEFAULT_FRONTEND_VERSION,
  KNOWN_FRONTEND_VERSIONS,
  frontendProfile,
  isFrontendVersion,
  type FrontendProfile,
} from './convert/frontendProfiles.js'
export { DISCOMFORT_PORT, discomfortPortDef } from './convert/frontendNodes.js'
export { discoverPorts, consumersOf, type Port, type PortMode, type Consumer } from './ports/discover.js'
export {
  ancestors,
  pruneToPort,
  removePassthru,
  resolveThroughPorts,
  stitch,
  type Recipe,
  type StitchedWorkflow,
} from './ports/graphOps.js'
export { cloneJson } from './util/cloneJson.js'
export * from './protocol/index.js'
export { assertNoCycle, findCycle } from './workflow/cycles.js'
