/**
 * The stand-in against the real server: every captured transcript case is
 * sent to both, and the answers must have the same shape — HTTP status and
 * body, the WebSocket messages (types, in order, and their fields) and the
 * history entry. Values that differ by nature (ids, times, file names) are
 * not compared; where ComfyUI's own order is arbitrary (outputs come from a
 * Python set), messages are compared per node.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ComfyTarget } from '../e2e/suite.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { COMFY_FIXTURES, readJson } from '../helpers/fixtures.js'
import { startRealComfy } from './startRealComfy.js'

interface Message {
  type: string
  data: Record<string, unknown>
}
interface Answer {
  status: number
  body: unknown
  messages: Message[]
  history: unknown
}

const transcripts = readJson<Record<string, { prompt?: unknown }>>(join(COMFY_FIXTURES, 'transcripts.json'))

/** Keys and value types, recursively; node-id keys become "*". */
const shape = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : []
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [/^\d+$/.test(k) ? '*' : k, shape((v as Record<string, unknown>)[k])]),
    )
  }
  return v === null ? 'null' : typeof v
}

async function upload(base: string, name: string, bytes: Uint8Array, subfolder = ''): Promise<unknown> {
  const form = new FormData()
  form.append('image', new Blob([new Uint8Array(bytes)]), name)
  if (subfolder) form.append('subfolder', subfolder)
  return (await fetch(`${base}/upload/image`, { method: 'POST', body: form })).json()
}

async function send(base: string, prompt: unknown): Promise<Answer> {
  const sid = `conformance${Math.random().toString(16).slice(2)}`
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?clientId=${sid}`)
  const messages: Message[] = []
  let promptId = ''
  let done: () => void = () => {}
  const finished = new Promise<void>((r) => (done = r))
  ws.on('message', (data, binary) => {
    if (binary) return
    const m = JSON.parse(String(data)) as Message
    messages.push(m)
    if (m.type === 'executing' && m.data.node === null && m.data.prompt_id === promptId) done()
  })
  await new Promise((r) => ws.on('open', r))
  // The connect-time status comes first on both servers.
  while (messages.length === 0) await new Promise((r) => setTimeout(r, 5))
  const res = await fetch(`${base}/prompt`, { method: 'POST', body: JSON.stringify({ prompt, client_id: sid }) })
  const body = (await res.json()) as { prompt_id?: string }
  let history: unknown
  if (res.status === 200) {
    promptId = body.prompt_id!
    // A fast prompt can finish before the HTTP answer is read.
    if (messages.some((m) => m.type === 'executing' && m.data.node === null && m.data.prompt_id === promptId)) done()
    await finished
    history = ((await (await fetch(`${base}/history/${promptId}`)).json()) as Record<string, unknown>)[promptId]
  }
  ws.close()
  return { status: res.status, body, messages, history }
}

describe('the stand-in answers like the real ComfyUI', () => {
  let real: ComfyTarget
  let standIn: ComfyStandIn
  beforeAll(async () => {
    real = await startRealComfy()
    standIn = await startComfyStandIn()
    const latent = readFileSync(join(COMFY_FIXTURES, 'empty_64x64.latent'))
    const png = readFileSync(join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png'))
    for (const base of [real.url, standIn.url]) {
      await upload(base, 'ctx_test.latent', latent)
      await upload(base, 'ctx_img.png', png, 'discomfort')
      await upload(base, 'broken.latent', new TextEncoder().encode('this is not a safetensors file'))
    }
  }, 300_000)
  afterAll(async () => {
    await standIn?.close()
    await real?.close()
  })

  for (const [name, c] of Object.entries(transcripts)) {
    if (!c.prompt) continue
    it(name, async () => {
      const [r, s] = [await send(real.url, c.prompt), await send(standIn.url, c.prompt)]
      expect(s.status).toBe(r.status)
      expect(shape(s.body)).toEqual(shape(r.body))
      const outputs = Object.keys((r.history as { outputs?: object } | undefined)?.outputs ?? {})
      const types = (list: Message[]) => list.map((m) => m.type)
      if (outputs.length > 1) {
        // Several outputs: ComfyUI picks their order from a Python set.
        expect(types(s.messages).sort()).toEqual(types(r.messages).sort())
      } else {
        expect(types(s.messages)).toEqual(types(r.messages))
      }
      for (const type of new Set(types(r.messages))) {
        if (type === 'progress_state' && outputs.length > 1) continue
        const pick = (list: Message[]) => list.filter((m) => m.type === type).map((m) => shape(m.data))
        const wanted = pick(r.messages)
        for (const got of pick(s.messages)) expect(wanted).toContainEqual(got)
      }
      expect(shape(s.history)).toEqual(shape(r.history))
    }, 60_000)
  }
})
