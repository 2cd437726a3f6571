/**
 * UI→API conversion against the real ComfyUI frontend doing the same: the
 * `default` workflow loaded into the frontend (1.58.1, served by the stand-in,
 * in Debian's headless Chromium), `app.graphToPrompt()` timed in the page,
 * against `toApiPrompt` on the same workflow here. Both medians of many runs.
 * Skipped, saying so, when the frontend is not fetched (`npm run frontend:fetch`).
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { toApiPrompt } from '../shared/index.js'
import type { UiWorkflow } from '../shared/index.js'
import { startComfyStandIn } from '../test/comfyStandIn/server.js'
import { GRAPH_TO_PROMPT, loadObjectInfo, readJson } from '../test/helpers/fixtures.js'

const VERSION = '1.58.1'
const ROOT = resolve(import.meta.dirname, '..')

export async function frontendBench(
  row: (k: string, v: string) => void,
  median: (samples: number[]) => number,
): Promise<void> {
  const frontendDir = join(ROOT, '.frontends', VERSION, 'static')
  if (!existsSync(frontendDir)) {
    row('convert default, the real frontend', `not measured: frontend ${VERSION} not fetched (npm run frontend:fetch)`)
    return
  }
  const workflow = readJson<UiWorkflow>(join(GRAPH_TO_PROMPT, 'cases', 'default.json'))
  const comfy = await startComfyStandIn({ frontendDir })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  })
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
    await page.goto(comfy.url)
    // biome-ignore lint/suspicious/noExplicitAny: the frontend's own global, untyped here
    await page.waitForFunction(() => (window as any).app?.graph != null, undefined, { timeout: 120_000 })
    const runs = 200
    const frontend = await page.evaluate(
      async ({ workflow, runs }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the frontend's own global, untyped here
        const app = (window as any).app
        await app.loadGraphData(workflow)
        const samples: number[] = []
        for (let i = 0; i < runs + 20; i++) {
          const start = performance.now()
          await app.graphToPrompt()
          if (i >= 20) samples.push(performance.now() - start)
        }
        return samples
      },
      { workflow, runs },
    )
    const objectInfo = loadObjectInfo()
    for (let i = 0; i < 200; i++) toApiPrompt(workflow, objectInfo, { name: 'default' })
    const ours: number[] = []
    for (let i = 0; i < 2000; i++) {
      const start = performance.now()
      toApiPrompt(workflow, objectInfo, { name: 'default' })
      ours.push(performance.now() - start)
    }
    const a = median(ours)
    const b = median(frontend)
    row(
      `convert default: toApiPrompt vs the real frontend ${VERSION}'s graphToPrompt`,
      `${a.toFixed(3)} ms vs ${b.toFixed(2)} ms in Chromium: ${(b / a).toFixed(0)}× faster`,
    )
  } finally {
    await browser.close()
    await comfy.close()
  }
}
