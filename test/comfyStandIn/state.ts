/** What the stand-in's route modules share: its folders, executor, node definitions and page state. */
import type { WebSocket } from 'ws'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import type { Executor } from './executor.js'
import type { Folders } from './files.js'
import type { ComfyProfile } from './profile.js'

/** The real server's default upload limit. */
export const MAX_UPLOAD = 100 * 1024 * 1024

export interface StandInState {
  /** Which server generation the stand-in plays. */
  profile: ComfyProfile
  folders: Folders
  executor: Executor
  /** Node definitions as the real server computes them per request (loader combos list input/). */
  objectInfo: () => ObjectInfo
  stats: unknown
  settings: Record<string, unknown>
  userdata: Map<string, Buffer>
  /** Extension web folders served at /extensions/<name>/. */
  extensionDirs: Record<string, string>
  sockets: Map<string, WebSocket>
}
