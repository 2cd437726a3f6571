/**
 * `%Node.widget%` and `%date:...%` tokens in `filename_prefix` values, replaced
 * as the frontend does before queueing. `%width%`, `%height%` and other tokens
 * the server expands are left alone.
 */

export interface ReplacementNode {
  title: string
  sAndRName?: string
  widgets: Map<string, unknown>
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

function formatDate(format: string, date: Date): string {
  const parts: Record<string, string> = {
    yyyy: String(date.getFullYear()),
    yy: String(date.getFullYear()).slice(-2),
    MM: pad(date.getMonth() + 1),
    M: String(date.getMonth() + 1),
    dd: pad(date.getDate()),
    d: String(date.getDate()),
    hh: pad(date.getHours()),
    h: String(date.getHours()),
    mm: pad(date.getMinutes()),
    m: String(date.getMinutes()),
    ss: pad(date.getSeconds()),
    s: String(date.getSeconds()),
  }
  return format.replace(/yyyy|yy|MM|M|dd|d|hh|h|mm|m|ss|s/g, (token) => parts[token] ?? token)
}

// Characters a file name cannot hold, replaced by "_" in substituted values.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a file name cannot hold
const UNSAFE = /[/?<>\\:*|"\x00-\x1F\x7F]/g

export function applyTextReplacements(
  value: string,
  nodes: readonly ReplacementNode[],
  now: () => Date = () => new Date(),
): string {
  return value.replace(/%([^%]+)%/g, (match, body: string) => {
    if (body.startsWith('date:')) return formatDate(body.slice(5), now())
    const split = body.split('.')
    if (split.length !== 2) return match
    const [nodeName, widgetName] = split as [string, string]
    const byName = nodes.filter((n) => n.sAndRName === nodeName)
    const candidates = byName.length > 0 ? byName : nodes.filter((n) => n.title === nodeName)
    const node = candidates[0]
    if (!node?.widgets.has(widgetName)) return match
    return String(node.widgets.get(widgetName)).replace(UNSAFE, '_')
  })
}
