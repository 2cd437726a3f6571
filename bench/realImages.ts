/**
 * `npm run bench:real -- --comfy http://127.0.0.1:8188`: the image bench
 * against a real ComfyUI (one you started, or the one `discomfort up`
 * started), printing the bridge's time as a ratio to ComfyUI's API used
 * directly.
 */
import { parseArgs } from 'node:util'
import { imageBench } from './images.js'

const { values } = parseArgs({ options: { comfy: { type: 'string' }, runs: { type: 'string', default: '10' } } })
if (!values.comfy) {
  process.stderr.write('Usage: npm run bench:real -- --comfy http://127.0.0.1:8188 [--runs 10]\n')
  process.exit(2)
}
const runs = Number(values.runs)
const rows: Array<[string, string]> = []
await imageBench(values.comfy, (k, v) => rows.push([k, v]), [
  { size: 1024, runs },
  { size: 2048, runs: Math.max(3, Math.floor(runs / 2)) },
])
const width = Math.max(...rows.map(([k]) => k.length))
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)
