/**
 * Captures the English display names the real ComfyUI frontend that a server
 * serves has for node types (its locale's `nodeDefs.<type>.display_name`),
 * into shared/convert/localeNames/v<version>.ts.
 *
 *   npx tsx scripts/capture/displayNames.ts --comfy http://127.0.0.1:8190
 */
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'

const { values } = parseArgs({
  options: {
    comfy: { type: 'string', default: 'http://127.0.0.1:8188' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
})
const browser = await chromium.launch({ executablePath: values.chromium, args: ['--no-sandbox', '--disable-gpu'] })
const page = await browser.newPage()
await page.goto(values.comfy)
// biome-ignore lint/suspicious/noExplicitAny: the page's globals are the frontend's own, untyped here
type W = Window & { app: any; LiteGraph: any; __COMFYUI_FRONTEND_VERSION__?: string }
await page.waitForFunction(() => (window as unknown as W).app?.graph != null, null, { timeout: 120_000 })
const { version, names } = await page.evaluate(() => {
  const host = [...document.querySelectorAll('*')].find((e) => '__vue_app__' in e) as unknown as {
    __vue_app__: {
      config: { globalProperties: { $te(key: string, locale: string): boolean; $t(key: string): string } }
    }
  }
  const i18n = host.__vue_app__.config.globalProperties
  const found: Record<string, string> = {}
  for (const type of Object.keys((window as unknown as W).LiteGraph.registered_node_types).sort()) {
    const key = `nodeDefs.${type}.display_name`
    if (i18n.$te(key, 'en')) found[type] = i18n.$t(key)
  }
  return { version: (window as unknown as W).__COMFYUI_FRONTEND_VERSION__ ?? 'unknown', names: found }
})
await browser.close()
const ident = `v${version.replaceAll('.', '_')}`
const file = join(resolve(import.meta.dirname, '../../shared/convert/localeNames'), `${ident}.ts`)
const body = Object.entries(names)
  .map(([type, name]) => `  ${JSON.stringify(type)}: ${JSON.stringify(name)},`)
  .join('\n')
writeFileSync(
  file,
  `/** Node display names in the English locale of ComfyUI frontend ${version} (captured by scripts/capture/displayNames.ts). */\nexport const ${ident}: Readonly<Record<string, string>> = {\n${body}\n}\n`,
)
process.stdout.write(`${Object.keys(names).length} display names of frontend ${version} in ${file}\n`)
