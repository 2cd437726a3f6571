/** `discomfort/bridge`: the bridge and its parts, with everything the client entry has. */
export * from './client/index.js'
// The value recipe (a reference's), as the client entry names it; the core's graph Recipe is `discomfort/core`'s.
export type { Recipe } from './values/values.js'
export { BridgeHttpError } from './server/httpError.js'
export { UsageError } from './cli/args.js'
export { UpError } from './cli/commands/up.js'
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
export * from '../shared/index.js'
export { Sweeper } from './sweep/sweeper.js'
export { SweepError, SweepNotFoundError, expandItems } from './sweep/sweepSpec.js'
