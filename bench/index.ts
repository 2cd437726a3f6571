/**
 * `npm run bench`: speed figures, printed as a table. Timings are medians of
 * many runs after a warm-up, so one slow run does not move them.
 */
import { join } from 'node:path'
import { toApiPrompt } from '../shared/index.js'
import type { UiWorkflow } from '../shared/index.js'
import { GRAPH_TO_PROMPT, loadObjectInfo, readJson } from '../test/helpers/fixtures.js'

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function time(fn: () => void, runs: number, warmup = Math.min(50, runs)): number {
  for (let i = 0; i < warmup; i++) fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    fn()
    samples.push(performance.now() - start)
  }
  return median(samples)
}

const objectInfo = loadObjectInfo()
const rows: Array<[string, string]> = []
for (const [name, runs, target] of [
  ['default', 2000, 0.5],
  ['synthetic__chain500', 200, 10],
] as const) {
  const workflow = readJson<UiWorkflow>(join(GRAPH_TO_PROMPT, 'cases', `${name}.json`))
  const ms = time(() => toApiPrompt(workflow, objectInfo, { name }), runs)
  rows.push([`convert ${name} (median of ${runs})`, `${ms.toFixed(3)} ms (target < ${target} ms)`])
}

const width = Math.max(...rows.map(([k]) => k.length))
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)
