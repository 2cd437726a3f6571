/**
 * The original Discomfort's two config files, with the same keys and
 * defaults: `workflow_context.json` (RAM capacity, contexts folder) and
 * `pass_by_rules.json` (which ComfyUI types go by reference).
 */
import { readFileSync } from 'node:fs'
import { freemem } from 'node:os'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../version.js'
import type { PassBy } from '../values/values.js'

/** Where the shipped config files are: the package's bridge/config (shipped in the package, read from bridge/ and dist/). */
const configDir = (): string => join(PACKAGE_ROOT, 'bridge', 'config')

export interface WorkflowContextConfig {
  MAX_RAM_PERCENT?: number
  MAX_RAM_GB?: number
  /** The largest image a context accepts, width × height per frame (default 8192 × 8192). */
  MAX_IMAGE_PIXELS?: number
  CONTEXTS_DIR_NAME: string
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch (e) {
    throw new Error(`Cannot read ${what} at ${path}: ${(e as Error).message}`)
  }
}

export function loadWorkflowContextConfig(path = join(configDir(), 'workflow_context.json')): WorkflowContextConfig {
  const c = readJson<Partial<WorkflowContextConfig>>(path, 'workflow_context.json')
  return { ...c, CONTEXTS_DIR_NAME: c.CONTEXTS_DIR_NAME ?? 'contexts' }
}

/** RAM capacity in bytes: MAX_RAM_PERCENT of free system RAM if set, else MAX_RAM_GB, else 2 GB. */
export function ramCapacityBytes(config: WorkflowContextConfig, freeBytes = freemem()): number {
  if (typeof config.MAX_RAM_PERCENT === 'number') return Math.floor((freeBytes * config.MAX_RAM_PERCENT) / 100)
  if (typeof config.MAX_RAM_GB === 'number') return Math.floor(config.MAX_RAM_GB * 1024 ** 3)
  return 2 * 1024 ** 3
}

export type PassByRules = Record<string, PassBy>

export function loadPassByRules(path = join(configDir(), 'pass_by_rules.json')): PassByRules {
  return readJson<PassByRules>(path, 'pass_by_rules.json')
}

/** Pass-by for a ComfyUI type: the rules, else `val` for known value types, else `ref`. */
export function passByFor(type: string, rules: PassByRules): PassBy {
  const rule = rules[type] ?? rules[type.toUpperCase()]
  if (rule) return rule
  if (type === '*' || type === 'COMBO') return 'val'
  return 'ref'
}
