/**
 * Which ComfyUI server generation a stand-in plays (docs/comfyui-server-generations.md):
 * '0.3.75' (the default, what the real-server tests install) or 'current' (ComfyUI 0.46.0,
 * with the jobs API, atomic cancel, canonical-UUID prompt ids and node replacements).
 */
import type { NodeDef, ObjectInfo } from '../../shared/workflow/objectInfo.js'
import { loadObjectInfo0375 } from '../helpers/fixtures.js'
import { BUILT_IN_REPLACEMENTS } from './nodeReplacements.js'
import { MAX_UPLOAD } from './state.js'

export type ComfyProfile = 'current' | '0.3.75'

const COMFY_PROFILES: readonly ComfyProfile[] = ['0.3.75', 'current']

export function isComfyProfile(value: unknown): value is ComfyProfile {
  return typeof value === 'string' && (COMFY_PROFILES as readonly string[]).includes(value)
}

/** What the server answers to a client's first `feature_flags` message, and on `GET /features`. */
export function serverFeatures(profile: ComfyProfile): Record<string, unknown> {
  if (profile === '0.3.75') return { supports_preview_metadata: true, max_upload_size: MAX_UPLOAD }
  return {
    supports_preview_metadata: true,
    supports_model_type_tags: true,
    max_upload_size: MAX_UPLOAD,
    extension: { manager: { supports_v4: true } },
    node_replacements: true,
    // The asset system is not simulated: outputs carry no asset ids and blake3: names are unknown.
    assets: false,
  }
}

interface SystemStats {
  system: Record<string, unknown>
  devices: unknown[]
}

/** `/system_stats` of the current server, built from the captured 0.3.x answer. */
export function currentSystemStats(captured: unknown): SystemStats {
  const base = (captured ?? {}) as Partial<SystemStats>
  const system = base.system ?? {}
  return {
    system: {
      os: 'linux',
      ram_total: system.ram_total,
      ram_free: system.ram_free,
      comfyui_version: '0.46.0',
      required_frontend_version: '1.58.1',
      installed_templates_version: '0.7.31',
      required_templates_version: '0.7.31',
      python_version: system.python_version,
      pytorch_version: system.pytorch_version,
      embedded_python: false,
      argv: system.argv ?? ['main.py'],
      comfy_package_versions: {},
      deploy_environment: 'local',
    },
    devices: base.devices ?? [],
  }
}

/** Replaced classes the current server still loads (shown deprecated); the other replaced ones are gone. */
const STILL_LOADED = new Set(['ImageBatch', 'ImageScaleBy'])

/** A V1 node definition as the current server sends it. */
type CurrentNodeDef = NodeDef & { is_input_list: boolean; has_intermediate_output: boolean; search_aliases: string[] }

/**
 * Core classes of the current server that the stand-in executes but an older
 * capture may lack (0.3.54's has no ImageScaleToMaxDimension, the target of a
 * built-in replacement), taken from the 0.3.75 capture.
 */
const CURRENT_CLASSES = ['ImageScaleToMaxDimension']

/**
 * The current server's node definitions, from the captured ones: classes with a
 * built-in replacement are gone (except those still loaded), the classes above
 * are there, and every entry carries `is_input_list`, `has_intermediate_output`
 * and `search_aliases`.
 */
export function currentObjectInfo(captured: ObjectInfo): ObjectInfo {
  const gone = new Set(BUILT_IN_REPLACEMENTS.map((r) => r.old_node_id).filter((c) => !STILL_LOADED.has(c)))
  const later = loadObjectInfo0375()
  const added = Object.fromEntries(CURRENT_CLASSES.filter((c) => !captured[c] && later[c]).map((c) => [c, later[c]!]))
  const info: ObjectInfo = {}
  for (const [name, def] of Object.entries({ ...captured, ...added })) {
    if (gone.has(name)) continue
    const current: CurrentNodeDef = { ...def, is_input_list: false, has_intermediate_output: false, search_aliases: [] }
    info[name] = current
  }
  return info
}
