/**
 * The frontend's dynamic-prompt processing for STRING widgets whose spec has
 * `dynamicPrompts: true`: C-style comments are removed, and each `{a|b|c}`
 * group (nested groups too) is replaced by one option chosen at random.
 */

export type Random = () => number

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
}

export function processDynamicPrompt(input: string, random: Random = Math.random): string {
  const text = stripComments(input)
  let i = 0
  const parse = (nested: boolean): string[] => {
    // Returns the options of the current level; at top level a single option.
    const options: string[] = []
    let current = ''
    while (i < text.length) {
      const ch = text[i]!
      if (ch === '\\' && i + 1 < text.length) {
        current += ch + text[i + 1]!
        i += 2
      } else if (ch === '{') {
        i += 1
        const inner = parse(true)
        current += inner[Math.floor(random() * inner.length)] ?? ''
      } else if (ch === '}' && nested) {
        i += 1
        options.push(current)
        return options
      } else if (ch === '|' && nested) {
        i += 1
        options.push(current)
        current = ''
      } else {
        current += ch
        i += 1
      }
    }
    options.push(current)
    return options
  }
  return parse(false).join('')
}
