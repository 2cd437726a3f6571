/**
 * The shapes the bridge sends to its clients (HTTP answers and WebSocket
 * messages), declared once, apart from the server's implementation, so the
 * clients import them without pulling in express or ws.
 */
import type { RunEvent, RunFailure } from './run/runner.js'
import type { Usage } from './store/context.js'

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface ContextSummary {
  id: string
  name?: string
  durable: boolean
  keys: number
  usage: Usage
}

export interface RunProgress {
  step: number
  totalSteps: number
  workflow?: string
  iteration?: number
}

/** A run as `/api/runs` and the WebSocket hub show it. */
export interface RunView {
  id: string
  status: RunStatus
  source: 'script' | 'page'
  contextId: string
  workflows: string[]
  iterations: number
  createdAt: string
  finishedAt?: string
  error?: RunFailure
  /** The OUTPUT keys the run wrote. */
  outputs?: string[]
  progress: RunProgress
  events?: RunEvent[]
}

/** Messages on `/api/ws`. */
export type HubMessage =
  | { type: 'hello'; contexts: ContextSummary[]; runs: RunView[] }
  | { type: 'run-event'; run: RunView; event: RunEvent }
  | { type: 'context-changed'; context: ContextSummary; keys: string[]; deleted?: boolean; closed?: boolean }
