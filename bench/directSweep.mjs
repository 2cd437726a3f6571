// What a script using ComfyUI's API directly does for a sweep over a pool (the work the SDK's
// ComfyPool does): one WebSocket per server, one prompt at a time on each, every item's output
// written to a file. The yardstick for `discomfort sweep` as a process.
// node bench/directSweep.mjs OUT_DIR N URL... (prints the items done)
import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'

const [out, count, ...servers] = process.argv.slice(2)
const n = Number(count)
mkdirSync(out, { recursive: true })
let next = 0
let done = 0

async function worker(comfy) {
  const clientId = randomUUID()
  const ws = new WebSocket(`${comfy.replace('http', 'ws')}/ws?clientId=${clientId}`)
  await new Promise((resolve) => ws.once('open', resolve))
  const waiting = new Map()
  ws.on('message', (data, binary) => {
    if (binary) return
    const m = JSON.parse(String(data))
    if (m.type === 'executing' && m.data.node === null) waiting.get(m.data.prompt_id)?.()
  })
  for (let i = next++; i < n; i = next++) {
    const prompt = {
      1: { class_type: 'PrimitiveString', inputs: { value: `t${i}` } },
      2: { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
      3: { class_type: 'PreviewAny', inputs: { source: ['2', 0] } },
    }
    const promptId = randomUUID()
    const finished = new Promise((resolve) => waiting.set(promptId, resolve))
    const queued = await fetch(`${comfy}/prompt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt, client_id: clientId, prompt_id: promptId }),
    })
    await queued.json()
    await finished
    waiting.delete(promptId)
    const history = await (await fetch(`${comfy}/history/${promptId}`)).json()
    writeFileSync(join(out, `${i}-out.json`), JSON.stringify(history[promptId].outputs['3'].text[0]))
    done++
  }
  ws.close()
}

await Promise.all(servers.map(worker))
console.log(done)
