/**
 * What differs between versions of the ComfyUI frontend in the prompt that
 * `graphToPrompt` builds: widgets its own extensions add to backend nodes,
 * the display names its English locale shows (they become `_meta.title`),
 * whether clashing node ids inside subgraph definitions are renumbered on
 * load, and what `_meta` carries besides the title.
 *
 * Each profile was read off that frontend version running on ComfyUI 0.3.75
 * (test/fixtures/workflow-templates: every template's prompt captured from
 * it; display names: scripts/capture/displayNames.ts, into localeNames/). A version between two
 * known ones takes the profile of the newest known version not above it; an
 * older one takes the oldest profile.
 */

import { v1_25_11 } from './localeNames/v1_25_11.js'
import { v1_32_9 } from './localeNames/v1_32_9.js'
import { v1_41_3 } from './localeNames/v1_41_3.js'
import { v1_58_1 } from './localeNames/v1_58_1.js'

/** A widget a frontend extension adds to a backend node, after the definition's widgets. */
interface ExtraWidget {
  name: string
  value: unknown
  /** false: not saved in widgets_values (the frontend skips it when loading values too). */
  persist: boolean
}

export interface FrontendProfile {
  /** The frontend version this profile was read off. */
  readonly version: string
  readonly extraWidgets: Readonly<Record<string, readonly ExtraWidget[]>>
  /** Node type → the name the frontend's English locale gives it. */
  readonly displayNames: Readonly<Record<string, string>>
  /**
   * true: the locale's name wins over the server's `display_name` (1.25 to 1.41);
   * false: the locale's name is used only when the server declares none (1.58).
   */
  readonly localeNameFirst: boolean
  /** Node ids inside subgraph definitions that clash with ids already in use are renumbered on load. */
  readonly renumberSubgraphNodeIds: boolean
  /** `_meta` also carries the node's `cnr_id`, `aux_id` and `ver` properties. */
  readonly metaFromProperties: boolean
}

/** The Load3D extension's viewer snapshot, on the 3D preview and save nodes (every known version). */
const VIEWER_IMAGE: readonly ExtraWidget[] = [{ name: 'image', value: '', persist: true }]

const PROFILES: readonly FrontendProfile[] = [
  {
    version: '1.25.11',
    extraWidgets: {
      PreviewAny: [{ name: 'preview', value: '', persist: false }],
      Preview3D: VIEWER_IMAGE,
      SaveGLB: VIEWER_IMAGE,
    },
    displayNames: v1_25_11,
    localeNameFirst: true,
    renumberSubgraphNodeIds: false,
    metaFromProperties: false,
  },
  {
    version: '1.32.9',
    extraWidgets: {
      PreviewAny: [{ name: 'preview', value: '', persist: false }],
      Preview3D: VIEWER_IMAGE,
      SaveGLB: VIEWER_IMAGE,
    },
    displayNames: v1_32_9,
    localeNameFirst: true,
    renumberSubgraphNodeIds: false,
    metaFromProperties: false,
  },
  {
    version: '1.41.3',
    extraWidgets: {
      PreviewAny: [
        { name: 'preview_markdown', value: '', persist: false },
        { name: 'preview_text', value: '', persist: false },
        { name: 'previewMode', value: false, persist: true },
      ],
      Preview3D: VIEWER_IMAGE,
      SaveGLB: VIEWER_IMAGE,
    },
    displayNames: v1_41_3,
    localeNameFirst: true,
    renumberSubgraphNodeIds: true,
    metaFromProperties: false,
  },
  {
    version: '1.58.1',
    extraWidgets: { Preview3D: VIEWER_IMAGE, SaveGLB: VIEWER_IMAGE },
    displayNames: v1_58_1,
    localeNameFirst: false,
    renumberSubgraphNodeIds: true,
    metaFromProperties: true,
  },
]

/** The frontend versions with a profile of their own, oldest first. */
export const KNOWN_FRONTEND_VERSIONS: readonly string[] = PROFILES.map((p) => p.version)

/** Used when nothing says which frontend the prompt is for: the newest known. */
export const DEFAULT_FRONTEND_VERSION = PROFILES[PROFILES.length - 1]!.version

const parts = (v: string): number[] => v.split('.').map((p) => Number.parseInt(p, 10) || 0)

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b`. */
function compareVersions(a: string, b: string): number {
  const x = parts(a)
  const y = parts(b)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** Whether a string reads as a frontend version (`1.41.3`). */
export const isFrontendVersion = (v: string): boolean => /^\d+\.\d+(\.\d+)?$/.test(v)

/** The profile for a frontend version (default: the newest known). */
export function frontendProfile(version: string = DEFAULT_FRONTEND_VERSION): FrontendProfile {
  let chosen = PROFILES[0]!
  for (const p of PROFILES) if (compareVersions(p.version, version) <= 0) chosen = p
  return chosen
}
