/** Discomfort for Node: the TypeScript client, the bridge, and the ComfyUI client. */
export {
  Discomfort,
  ContextHandle,
  toValue,
  type DiscomfortOptions,
  type RunArgs,
  type Value,
  type WorkflowArg,
} from './client/discomfort.js'
export { BridgeError, BridgeHttp } from './client/bridgeHttp.js'
export { BridgeHttpError } from './server/httpError.js'
export { UsageError } from './cli/args.js'
export { UpError } from './cli/commands/up.js'
export { PngError } from './codec/png.js'
export { SafetensorsError } from './codec/safetensors.js'
export { ValueError } from './values/valueFrom.js'
export { Tools, type ImageValue, type MaskValue, type LatentValue, type ReferenceValue } from './client/tools.js'
export {
  startBridge,
  BridgeConfigError,
  PortInUseError,
  DEFAULT_BRIDGE_PORT,
  DEFAULT_COMFY_URL,
  type Bridge,
  type BridgeOptions,
} from './bridge.js'
export {
  ComfyClient,
  ComfyJob,
  type ComfyClientOptions,
  type JobEvent,
  type JobResult,
  type SubmitOptions,
} from './comfy/comfyClient.js'
export { ComfyHttp } from './comfy/comfyHttp.js'
export * from './comfy/errors.js'
export { ensureComfy, readComfyServerlessConfig, type ComfyLaunch } from './comfy/launcher.js'
export {
  Runner,
  RunError,
  RunCancelledError,
  type RunFailure,
  type RunEvent,
  type RunResult,
  type WorkflowSpec,
} from './runs/runner.js'
export type { InputValue, FileInput } from './values/inputs.js'
export { ServerPool, NoServerError, type ComfyPool, type ServerSpec, type Lease } from './pool/serverPool.js'
export { ContextStore } from './store/contextStore.js'
export { ContextKeyError, KeyFormatError, ContextClosedError } from './store/errors.js'
export { WorkerReceipt } from './store/workerReceipt.js'
export {
  Context,
  type EntryMeta,
  type Usage,
  type StorageInfo,
} from './store/context.js'
export type { ContextValue, PassBy, Recipe } from './values/values.js'
export * from '../shared/index.js'
export { Sweeper } from './sweep/sweeper.js'
export { SweepError, SweepNotFoundError, expandItems } from './sweep/sweepSpec.js'
export { SweepHandle, type SweepArgs } from './client/sweep.js'
