/**
 * Captures what the real ComfyUI frontend's `graphToPrompt` makes of each
 * workflow template, for test/fixtures/workflow-templates.
 *
 *   npx tsx scripts/capture/templates.ts --comfy http://127.0.0.1:8190 \
 *     --templates test/fixtures/workflow-templates/templates --out expected-frontend-X.json
 *
 * The page is the one the ComfyUI server at --comfy serves (start it with
 * `--front-end-root` to capture another frontend version). For each template
 * it records `{ expect: 'prompt', output }`, or, when the server lacks some of
 * its node types, `{ expect: 'error', unknown_types }`. The frontend version is
 * read from the page and written into the file.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'

const { values } = parseArgs({
  options: {
    comfy: { type: 'string', default: 'http://127.0.0.1:8188' },
    templates: { type: 'string' },
    out: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
})
if (!values.templates || !values.out) throw new Error('--templates DIR and --out FILE are required')
const templatesDir = values.templates

/** `<package>/<name>.json` for every template, sorted. */
const files = readdirSync(templatesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(templatesDir, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${d.name}/${f}`),
  )
  .sort()

const browser = await chromium.launch({
  executablePath: values.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
})
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
await page.goto(values.comfy)
// biome-ignore lint/suspicious/noExplicitAny: the page's globals are the frontend's own, untyped here
type W = Window & { app: any; LiteGraph: any; __COMFYUI_FRONTEND_VERSION__?: string }
await page.waitForFunction(() => (window as unknown as W).app?.graph != null, null, { timeout: 120_000 })
const frontendVersion = await page.evaluate(() => (window as unknown as W).__COMFYUI_FRONTEND_VERSION__ ?? 'unknown')

const expected: Record<string, unknown> = {}
for (const file of files) {
  const workflow = JSON.parse(readFileSync(join(templatesDir, file), 'utf8'))
  const name = file.slice(0, -'.json'.length)
  expected[name] = await page.evaluate(async (wf) => {
    const { app, LiteGraph } = window as unknown as W
    const subgraphIds = new Set<string>((wf.definitions?.subgraphs ?? []).map((s: { id: string }) => s.id))
    const types = new Set<string>()
    for (const n of wf.nodes ?? []) types.add(n.type)
    for (const s of wf.definitions?.subgraphs ?? []) for (const n of s.nodes ?? []) types.add(n.type)
    const unknown = [...types].filter((t) => !subgraphIds.has(t) && !(t in LiteGraph.registered_node_types)).sort()
    if (unknown.length > 0) return { expect: 'error', unknown_types: unknown }
    await app.loadGraphData(wf, true, true, null, { showMissingNodesDialog: false, showMissingModelsDialog: false })
    const { output } = await app.graphToPrompt()
    return { expect: 'prompt', output: JSON.parse(JSON.stringify(output)) }
  }, workflow)
  process.stdout.write('.')
}
await browser.close()
writeFileSync(values.out, `${JSON.stringify({ frontendVersion, comfy: values.comfy, cases: expected }, null, 1)}\n`)
process.stdout.write(`\n${files.length} templates captured from frontend ${frontendVersion} into ${values.out}\n`)
