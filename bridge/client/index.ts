/**
 * `import … from 'discomfort'`: the client of a bridge. It loads no server
 * part: a bridge of its own (Express, SQLite, Redis) is loaded only when
 * `Discomfort.create()` finds none running and starts one in this process.
 * The bridge itself is `discomfort/bridge`; the pure core `discomfort/core`.
 */
export {
  Discomfort,
  ContextHandle,
  toValue,
  type DiscomfortOptions,
  type RunArgs,
  type Value,
  type WorkflowArg,
} from './discomfort.js'
export { BridgeError, BridgeHttp, type BridgeApi, type RunOutcome } from './bridgeHttp.js'
export { SweepHandle, type SweepArgs } from './sweep.js'
export { Tools, type ImageValue, type MaskValue, type LatentValue, type ReferenceValue } from './tools.js'
export { PngError } from '../codec/png.js'
export { SafetensorsError } from '../codec/safetensors.js'
export { ValueError } from '../values/valueFrom.js'
export type { InputValue, FileInput } from '../values/inputs.js'
export type { ContextValue, PassBy, Recipe } from '../values/values.js'
export { DEFAULT_BRIDGE_PORT, DEFAULT_COMFY_URL } from '../defaults.js'
export { CANCELLED_CODES, isCancellation } from '../../shared/protocol/cancelled.js'
export type {
  RunEvent,
  RunFailure,
  RunSpec,
  RunSettings,
  RunView,
  SweepSpec,
  SweepSettings,
  SweepItem,
  SweepView,
  EntryMeta,
  Usage,
  StorageInfo,
} from '../../shared/protocol/index.js'
export { DiscomfortError } from '../../shared/errors.js'
