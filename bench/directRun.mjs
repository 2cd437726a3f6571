// What a script using ComfyUI's API directly does for one string run: the yardstick for
// `discomfort run` as a whole process (node bench/directRun.mjs COMFY_URL TEXT prints TEXT!).
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'

const [comfy, text] = process.argv.slice(2)
const clientId = randomUUID()
const ws = new WebSocket(`${comfy.replace('http', 'ws')}/ws?clientId=${clientId}`)
await new Promise((resolve) => ws.once('open', resolve))
const prompt = {
  1: { class_type: 'PrimitiveString', inputs: { value: text } },
  2: { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
  3: { class_type: 'PreviewAny', inputs: { source: ['2', 0] } },
}
const finished = new Promise((resolve) =>
  ws.on('message', (data, binary) => {
    if (binary) return
    const m = JSON.parse(String(data))
    if (m.type === 'executing' && m.data.node === null) resolve(m.data.prompt_id)
  }),
)
const queued = await fetch(`${comfy}/prompt`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ prompt, client_id: clientId }),
})
const { prompt_id: id } = await queued.json()
await finished
const history = await (await fetch(`${comfy}/history/${id}`)).json()
console.log(history[id].outputs['3'].text[0])
ws.close()
