/**
 * Captures, from the real ComfyUI frontend that a server serves, the display
 * names the frontend shows for node types (its own English locale wins over
 * the server's `display_name`), and prints those that differ from the
 * server's object_info as JSON — the table `frontendProfiles.ts` keeps per
 * frontend version.
 *
 *   npx tsx scripts/capture/displayNames.ts --comfy http://127.0.0.1:8190
 */
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'

const { values } = parseArgs({
  options: {
    comfy: { type: 'string', default: 'http://127.0.0.1:8188' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
})
const comfy = values.comfy
const objectInfo = (await (await fetch(`${comfy}/object_info`)).json()) as Record<string, { display_name?: string }>
const browser = await chromium.launch({ executablePath: values.chromium, args: ['--no-sandbox', '--disable-gpu'] })
const page = await browser.newPage()
await page.goto(comfy)
// biome-ignore lint/suspicious/noExplicitAny: the page's globals are the frontend's own, untyped here
type W = Window & { app: any; LiteGraph: any; __COMFYUI_FRONTEND_VERSION__?: string }
await page.waitForFunction(() => (window as unknown as W).app?.graph != null, null, { timeout: 120_000 })
const shown = await page.evaluate(() => {
  const { LiteGraph } = window as unknown as W
  const titles: Record<string, string> = {}
  for (const [type, cls] of Object.entries(LiteGraph.registered_node_types as Record<string, { title?: string }>))
    if (typeof cls.title === 'string') titles[type] = cls.title
  return { version: (window as unknown as W).__COMFYUI_FRONTEND_VERSION__, titles }
})
await browser.close()
const differing: Record<string, string> = {}
for (const [type, def] of Object.entries(objectInfo)) {
  const title = shown.titles[type]
  if (title !== undefined && title !== (def.display_name || type)) differing[type] = title
}
process.stdout.write(`${JSON.stringify({ version: shown.version, displayNames: differing }, null, 2)}\n`)
