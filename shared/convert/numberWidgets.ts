/**
 * What the frontend's number widgets do to a value written into them through
 * their callback — as a PrimitiveNode does when it applies its value to the
 * widgets it feeds (the callbacks of frontends 1.25 to 1.58, with default
 * settings: float rounding on, precision from the step).
 */
import { specType, type InputSpec } from '../workflow/objectInfo.js'

interface NumberOptions {
  step?: number
  round?: number | boolean
  min?: number
  max?: number
}

const clamp = (v: number, min: number, max: number) => Math.min(Math.max(v, min), max)

/** FLOAT: rounded to `round` (or to the step's decimals), then clamped to the widget's min/max. */
function floatCallback(value: number, o: NumberOptions): number {
  const step = o.step ?? 0.5
  const precision = Math.max(0, -Math.floor(Math.log10(step)))
  const round = precision && !o.round ? 10 ** -precision : o.round
  if (typeof round !== 'number' || round === 0) return value
  const rounded = Math.round(value / round) * round
  return clamp(Number(rounded.toFixed(precision)), o.min ?? 0, o.max ?? 2048)
}

/** INT: rounded to a multiple of the step, counted from the minimum. */
function intCallback(value: number, o: NumberOptions): number {
  const step = o.step ?? 1
  if (step === 1) return Math.round(value)
  const offset = (o.min ?? 0) % step
  return Math.round((value - offset) / step) * step + offset
}

/** The value a widget of this spec holds after its callback ran on `value`. */
export function throughWidgetCallback(spec: InputSpec | undefined, value: unknown): unknown {
  if (!spec || typeof value !== 'number') return value
  const options = (spec[1] ?? {}) as NumberOptions
  const type = specType(spec)
  if (type === 'FLOAT') return floatCallback(value, options)
  if (type === 'INT') return intCallback(value, options)
  return value
}
