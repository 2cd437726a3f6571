/** Python's str() and repr() for the values the stand-in formats into messages. */

/** `repr(float)` / `str(float)`: shortest round-trip digits, Python's exponent style. */
function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (x === Infinity) return 'inf'
  if (x === -Infinity) return '-inf'
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`
  const s = String(x)
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s)
  if (m) return `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}`
  return s
}

/** str(value) for JSON values as Python sees them after json.loads. */
export function pyStr(value: unknown, isFloat = false): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return isFloat || !Number.isInteger(value) ? pyFloat(value) : String(value)
  return pyRepr(value)
}

export function pyRepr(value: unknown): string {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'"
    const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`
  }
  return pyStr(value)
}

/** json.dumps with Python's default separators (", " and ": "). */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value)
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pyJsonDumps(v)}`)
    .join(', ')}}`
}
