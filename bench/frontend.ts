/**
 * UI→API conversion against the real ComfyUI frontend doing the same: the
 * `default` workflow loaded into each fetched frontend (served by the stand-in,
 * in Debian's headless Chromium), `app.graphToPrompt()` timed in the page (its
 * first call, and the median per call of 20 batches of 50 after a warm-up), against `toApiPrompt` on the
 * same workflow here (median of 2,000). Skipped, saying so, when no frontend
 * is fetched (`npm run frontend:fetch`).
 */
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { toApiPrompt } from '../shared/index.js'
import type { UiWorkflow } from '../shared/index.js'
import { startComfyStandIn } from '../test/comfyStandIn/server.js'
import { GRAPH_TO_PROMPT, loadObjectInfo, readJson } from '../test/helpers/fixtures.js'

const ROOT = resolve(import.meta.dirname, '..')

export async function frontendBench(
  row: (k: string, v: string) => void,
  median: (samples: number[]) => number,
): Promise<void> {
  const fetched = join(ROOT, '.frontends')
  const versions = existsSync(fetched)
    ? readdirSync(fetched).filter((v) => existsSync(join(fetched, v, 'static', 'index.html')))
    : []
  if (versions.length === 0) {
    row('convert default, the real frontend', 'not measured: no frontend fetched (npm run frontend:fetch)')
    return
  }
  const workflow = readJson<UiWorkflow>(join(GRAPH_TO_PROMPT, 'cases', 'default.json'))
  const objectInfo = loadObjectInfo()
  for (let i = 0; i < 200; i++) toApiPrompt(workflow, objectInfo, { name: 'default' })
  const ours: number[] = []
  for (let i = 0; i < 2000; i++) {
    const start = performance.now()
    toApiPrompt(workflow, objectInfo, { name: 'default' })
    ours.push(performance.now() - start)
  }
  const a = median(ours)
  for (const version of versions) {
    const { first, warm } = await inFrontend(join(fetched, version, 'static'), workflow)
    const b = median(warm)
    row(
      `convert default: toApiPrompt vs frontend ${version}'s graphToPrompt`,
      `${a.toFixed(3)} ms vs ${b.toFixed(3)} ms (first call ${first.toFixed(1)} ms) in Chromium: ${(b / a).toFixed(0)}× faster`,
    )
  }
}

/** graphToPrompt's times in a frontend: its first call on the loaded workflow, then per call in batches. */
async function inFrontend(frontendDir: string, workflow: UiWorkflow): Promise<{ first: number; warm: number[] }> {
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
    return await page.evaluate(async (workflow) => {
      // biome-ignore lint/suspicious/noExplicitAny: the frontend's own global, untyped here
      const app = (window as any).app
      await app.loadGraphData(workflow)
      // No named functions in here: the TypeScript loader would wrap them in a helper the page lacks.
      // The page's clock is coarse (0.1 ms): the warm figure is per call over batches of 50.
      let start = performance.now()
      await app.graphToPrompt()
      const first = performance.now() - start
      const warm: number[] = []
      for (let batch = 0; batch < 22; batch++) {
        start = performance.now()
        for (let i = 0; i < 50; i++) await app.graphToPrompt()
        if (batch >= 2) warm.push((performance.now() - start) / 50)
      }
      return { first, warm }
    }, workflow)
  } finally {
    await browser.close()
    await comfy.close()
  }
}
