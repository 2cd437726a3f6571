/** Types for ComfyUI's `GET /object_info` answer, and the widget layout the frontend derives from it. */

export type InputOptions = {
  default?: unknown
  min?: number
  max?: number
  step?: number
  multiline?: boolean
  dynamicPrompts?: boolean
  control_after_generate?: boolean | string
  forceInput?: boolean
  image_upload?: boolean
  image_folder?: string
  options?: unknown[]
  [key: string]: unknown
}

/** `[TYPE]`, `[TYPE, options]`, or a V1 combo `[[choices...], options]`. */
export type InputSpec = [type: string | unknown[], options?: InputOptions]

export interface NodeDef {
  input: {
    required?: Record<string, InputSpec>
    optional?: Record<string, InputSpec>
    hidden?: Record<string, unknown>
  }
  input_order?: { required?: string[]; optional?: string[]; hidden?: string[] }
  output: string[]
  output_is_list?: boolean[]
  output_name?: string[]
  name: string
  display_name?: string
  description?: string
  python_module?: string
  category?: string
  output_node?: boolean
  deprecated?: boolean
  experimental?: boolean
}

export type ObjectInfo = Record<string, NodeDef>

/** The type name of an input spec: a V1 combo (list in the type slot) is `COMBO`. */
export function specType(spec: InputSpec): string {
  return Array.isArray(spec[0]) ? 'COMBO' : spec[0]
}

const WIDGET_TYPES = new Set(['INT', 'FLOAT', 'STRING', 'BOOLEAN', 'COMBO', 'MARKDOWN'])

/** Whether the frontend creates a widget for this input (as opposed to a socket only). */
export function isWidgetInput(spec: InputSpec): boolean {
  return WIDGET_TYPES.has(specType(spec)) && spec[1]?.forceInput !== true
}

/** One widget of a node, in creation order. `serialize: false` widgets never reach the prompt. */
export interface WidgetSlot {
  name: string
  /** The input it edits; undefined for companion widgets (control_after_generate, upload...). */
  input?: string
  serialize: boolean
  spec?: InputSpec
}

/** Inputs of a definition, required then optional, in the server's `input_order`. */
export function orderedInputs(def: NodeDef): Array<[name: string, spec: InputSpec, optional: boolean]> {
  const out: Array<[string, InputSpec, boolean]> = []
  for (const section of ['required', 'optional'] as const) {
    const specs = def.input[section]
    if (!specs) continue
    const order = def.input_order?.[section] ?? Object.keys(specs)
    for (const name of order) {
      const spec = specs[name]
      if (spec) out.push([name, spec, section === 'optional'])
    }
  }
  return out
}

/**
 * The widgets the frontend builds for a node definition, in the order their
 * values appear in `widgets_values`:
 * - one per widget-typed input (not `forceInput`);
 * - a `control_after_generate` combo after INTs that ask for it or are named seed/noise_seed;
 * - `control_after_generate` and `control_filter_list` after combos that ask for it;
 * - an `upload` button after all required inputs when an input has `image_upload`.
 */
/**
 * Whether an INT widget gets a control_after_generate companion: as the
 * frontend decides it, the input's own option when it has one (false included),
 * else by name (seed, noise_seed).
 */
export function intHasControl(name: string, spec: InputSpec): boolean {
  const control = spec[1]?.control_after_generate
  return Boolean(control ?? (name === 'seed' || name === 'noise_seed'))
}

export function widgetLayout(def: NodeDef): WidgetSlot[] {
  const widgets: WidgetSlot[] = []
  let upload = false
  const inputs = orderedInputs(def)
  const requiredCount = inputs.filter(([, , optional]) => !optional).length
  inputs.forEach(([name, spec], index) => {
    const options = spec[1] ?? {}
    if (options.image_upload === true) upload = true
    if (isWidgetInput(spec)) {
      widgets.push({ name, input: name, serialize: true, spec })
      const type = specType(spec)
      const control = options.control_after_generate
      if (type === 'INT' && intHasControl(name, spec)) {
        widgets.push({ name: 'control_after_generate', serialize: false })
      } else if (type === 'COMBO' && control) {
        widgets.push({ name: 'control_after_generate', serialize: false })
        widgets.push({ name: 'control_filter_list', serialize: false })
      }
    }
    if (upload && index === requiredCount - 1) {
      widgets.push({ name: 'upload', serialize: false })
      upload = false
    }
  })
  if (upload) widgets.push({ name: 'upload', serialize: false })
  return widgets
}
