/** Every environment variable the program reads: one list, shown by `--help` and in the README. */
import { homedir } from 'node:os'
import { join } from 'node:path'

export interface EnvVar {
  name: string
  meaning: string
}

export const ENVIRONMENT = [
  {
    name: 'DISCOMFORT_HOME',
    meaning: 'Discomfort home folder: contexts, and the ComfyUI that `up --install` installs (default ~/.discomfort).',
  },
  { name: 'DISCOMFORT_COMFY_URL', meaning: 'ComfyUI server the bridge drives (default http://127.0.0.1:8188).' },
  {
    name: 'DISCOMFORT_BRIDGE_URL',
    meaning: 'Bridge that `run` and the TypeScript client use (default http://127.0.0.1:8189).',
  },
  {
    name: 'DISCOMFORT_TOKEN',
    meaning: 'Bearer token: required by a bridge listening beyond 127.0.0.1, sent by clients.',
  },
  { name: 'DISCOMFORT_COMFYUI_DIR', meaning: 'Your ComfyUI folder (the one with main.py), for `up`.' },
  {
    name: 'DISCOMFORT_REDIS_URL',
    meaning: 'Redis shared by several bridges (redis://host:6379): contexts and sweep items live there.',
  },
] as const satisfies readonly EnvVar[]

export type EnvName = (typeof ENVIRONMENT)[number]['name']

/** The variable's value, or undefined when unset or empty. */
export const env = (name: EnvName): string | undefined => {
  const v = process.env[name]
  return v === undefined || v === '' ? undefined : v
}

/** The Discomfort home folder: $DISCOMFORT_HOME, else ~/.discomfort. */
export const discomfortHome = (): string => env('DISCOMFORT_HOME') ?? join(homedir(), '.discomfort')
