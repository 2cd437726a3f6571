/**
 * Replays every case captured from the real ComfyUI 0.3.54 against the
 * stand-in, in the captured order, and compares what comes back: HTTP status
 * and body, every WebSocket message and the history entry. Ids, timestamps
 * and random temp-file suffixes are normalised; where ComfyUI's own order is
 * arbitrary (a Python set of outputs) messages are compared per node.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { COMFY_FIXTURES, readJson } from '../helpers/fixtures.js'
import { startComfyStandIn, type ComfyStandIn } from './server.js'

interface WsMessage {
  type: string
  data: Record<string, unknown>
}
interface PromptCase {
  prompt: Record<string, unknown>
  post_prompt: { status: number; body: Record<string, unknown> }
  ws?: WsMessage[]
  history?: Record<string, unknown>
}
type Transcripts = Record<string, unknown>

const transcripts = readJson<Transcripts>(join(COMFY_FIXTURES, 'transcripts.json'))
const promptCase = (name: string) => transcripts[name] as PromptCase

/** Replace ids, times and random names so two runs can be compared. */
function normalise(value: unknown, promptId: string, sid: string): unknown {
  const json = JSON.stringify(value)
    .split(promptId)
    .join('<prompt_id>')
    .split(sid)
    .join('<sid>')
    .replace(/"timestamp":\d+/g, '"timestamp":0')
    .replace(/ComfyUI_temp_[a-z]{5}_/g, 'ComfyUI_temp_*_')
  return JSON.parse(json)
}

/** Sort errors inside node_errors: ComfyUI iterates a Python set there. */
function sortNodeErrors(body: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(body)
  const ne = copy.node_errors as Record<string, { errors: Array<{ details: string }> }> | undefined
  for (const entry of Object.values(ne ?? {})) entry.errors.sort((a, b) => a.details.localeCompare(b.details))
  delete copy.prompt_id
  delete copy.number
  return copy
}

let comfy: ComfyStandIn

beforeAll(async () => {
  comfy = await startComfyStandIn()
})
afterAll(async () => {
  await comfy.close()
})

async function runCase(
  name: string,
): Promise<{ status: number; body: Record<string, unknown>; ws: WsMessage[]; sid: string; history: unknown }> {
  const c = promptCase(name)
  const sid = `${name}-client`
  const ws = new WebSocket(`${comfy.url.replace('http', 'ws')}/ws?clientId=${sid}`)
  const messages: WsMessage[] = []
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => (done = resolve))
  let promptId = ''
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as WsMessage
    messages.push(msg)
    if (msg.type === 'executing' && msg.data.node === null && msg.data.prompt_id === promptId) done()
  })
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve())
    ws.on('error', reject)
  })
  while (messages.length === 0) await new Promise((r) => setTimeout(r, 5))
  const res = await fetch(`${comfy.url}/prompt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: c.prompt, client_id: sid }),
  })
  const body = (await res.json()) as Record<string, unknown>
  let history: unknown
  if (res.status === 200) {
    promptId = String(body.prompt_id)
    if (messages.some((m) => m.type === 'executing' && m.data.node === null && m.data.prompt_id === promptId)) done()
    await finished
    history = await (await fetch(`${comfy.url}/api/history/${promptId}`)).json()
  }
  ws.close()
  return { status: res.status, body, ws: messages, sid, history }
}

function expectSameRun(name: string, got: Awaited<ReturnType<typeof runCase>>, perNode = false) {
  const c = promptCase(name)
  expect(got.status).toBe(c.post_prompt.status)
  expect(sortNodeErrors(got.body)).toEqual(sortNodeErrors(c.post_prompt.body))
  if (got.status !== 200) return
  const wantId = String(c.post_prompt.body.prompt_id)
  const wantSid = String(c.ws![0]!.data.sid)
  const want = normalise(c.ws, wantId, wantSid) as WsMessage[]
  const have = normalise(got.ws, String(got.body.prompt_id), got.sid) as WsMessage[]
  if (!perNode) {
    expect(have).toEqual(want)
  } else {
    // Same messages, and the same order for each node, though nodes may run in another order.
    const byNode = (list: WsMessage[]) => {
      const map = new Map<string, string[]>()
      for (const m of list) {
        if (m.type === 'progress_state') continue
        const node = String(m.data.node ?? m.data.node_id ?? '-')
        map.set(node, [...(map.get(node) ?? []), JSON.stringify(m)])
      }
      return Object.fromEntries(map)
    }
    expect(byNode(have)).toEqual(byNode(want))
    expect(have.at(-1)).toEqual(want.at(-1))
    const lastState = (list: WsMessage[]) => list.filter((m) => m.type === 'progress_state').at(-1)
    expect(lastState(have)).toEqual(lastState(want))
  }
  const wantHistory = normalise(c.history, wantId, wantSid) as Record<string, { prompt: unknown[] }>
  const haveHistory = normalise(got.history, String(got.body.prompt_id), got.sid) as Record<
    string,
    { prompt: unknown[] }
  >
  // The queue number depends on how many prompts the server saw before.
  wantHistory['<prompt_id>']!.prompt[0] = 0
  haveHistory['<prompt_id>']!.prompt[0] = 0
  if (perNode) {
    ;(wantHistory['<prompt_id>']!.prompt[4] as string[]).sort()
    ;(haveHistory['<prompt_id>']!.prompt[4] as string[]).sort()
  }
  expect(haveHistory).toEqual(wantHistory)
}

describe('the stand-in answers like ComfyUI 0.3.54 (captured transcripts)', () => {
  it('image_roundtrip_save: SaveImage of a 2-frame batch', async () => {
    expectSameRun('image_roundtrip_save', await runCase('image_roundtrip_save'))
    const png = readFileSync(join(comfy.folders.output, 'discomfort', 'cap_00001_.png'))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
  })
  it('preview_any_string', async () => expectSameRun('preview_any_string', await runCase('preview_any_string')))
  it('preview_any_int_float (two outputs, any order)', async () =>
    expectSameRun('preview_any_int_float', await runCase('preview_any_int_float'), true))
  it('latent_save', async () => expectSameRun('latent_save', await runCase('latent_save')))
  it('cached_rerun: an identical prompt after others is not cached', async () =>
    expectSameRun('cached_rerun', await runCase('cached_rerun')))
  for (const name of [
    'invalid_missing_input',
    'invalid_unknown_class',
    'invalid_no_output',
    'invalid_bad_combo',
    'exec_error',
  ]) {
    it(`${name}: same 400 body`, async () => expectSameRun(name, await runCase(name)))
  }
  it('runtime_error: a partly invalid prompt runs its valid output, with node_errors', async () =>
    expectSameRun('runtime_error', await runCase('runtime_error')))
  it('cache_A then cache_B_renamed_ids: renamed nodes are still served from cache', async () => {
    expectSameRun('cache_A', await runCase('cache_A'))
    expectSameRun('cache_B_renamed_ids', await runCase('cache_B_renamed_ids'))
  })

  it('uploads: same bytes twice keep one name', async () => {
    const upload = async (name: string, bytes: Uint8Array, subfolder = '') => {
      const form = new FormData()
      form.append('image', new Blob([new Uint8Array(bytes)]), name)
      if (subfolder) form.append('subfolder', subfolder)
      const res = await fetch(`${comfy.url}/upload/image`, { method: 'POST', body: form })
      return { status: res.status, body: await res.text() }
    }
    const latent = readFileSync(join(COMFY_FIXTURES, 'empty_64x64.latent'))
    const png = readFileSync(join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png'))
    const want = (n: string) => transcripts[n] as { status: number; body: string }
    const a = await upload('ctx_test.latent', latent)
    expect(a.status).toBe(want('upload_latent').status)
    expect(JSON.parse(a.body)).toEqual(JSON.parse(want('upload_latent').body))
    const b = await upload('ctx_img.png', png, 'discomfort')
    expect(JSON.parse(b.body)).toEqual(JSON.parse(want('upload_png').body))
    const c = await upload('ctx_img.png', png, 'discomfort')
    expect(JSON.parse(c.body)).toEqual(JSON.parse(want('upload_png_again_no_overwrite').body))
    const d = await upload('ctx_img.png', new Uint8Array([...png, 0]), 'discomfort')
    expect(JSON.parse(d.body).name).toBe('ctx_img (1).png')
  })

  it('object_info lists uploaded latents in LoadLatent', async () => {
    const info = (await (await fetch(`${comfy.url}/api/object_info/LoadLatent`)).json()) as Record<string, unknown>
    expect(info).toEqual(transcripts.object_info_LoadLatent_after_upload)
  })

  it('load_latent_and_image: uploaded files through the loaders', async () => {
    const got = await runCase('load_latent_and_image')
    // PreviewAny of an IMAGE prints torch's tensor repr; the stand-in prints a short summary instead.
    for (const m of got.ws) {
      if (m.type === 'executed' && m.data.node === '4') (m.data.output as { text: string[] }).text = ['<tensor>']
    }
    const entry = Object.values(got.history as Record<string, { outputs: Record<string, { text?: string[] }> }>)[0]!
    entry.outputs['4']!.text = ['<tensor>']
    const c = promptCase('load_latent_and_image')
    for (const m of c.ws!)
      if (m.type === 'executed' && m.data.node === '4') (m.data.output as { text: string[] }).text = ['<tensor>']
    const h = Object.values(c.history as Record<string, { outputs: Record<string, { text?: string[] }> }>)[0]!
    h.outputs['4']!.text = ['<tensor>']
    expectSameRun('load_latent_and_image', got, true)
  })

  it('view: a .latent comes back byte-exact as octet-stream, a PNG as image/png', async () => {
    const latent = await fetch(`${comfy.url}/view?filename=cap_00001_.latent&subfolder=latents&type=output`)
    const want = transcripts.view_latent as { status: number; ctype: string; len: number; head: string }
    expect(latent.status).toBe(want.status)
    expect(latent.headers.get('content-type')).toBe(want.ctype)
    const bytes = Buffer.from(await latent.arrayBuffer())
    expect(bytes.length).toBe(want.len)
    // The file SaveLatent wrote is byte for byte the one the real server wrote for the same prompt.
    expect(bytes.equals(readFileSync(join(COMFY_FIXTURES, 'empty_64x64.latent')))).toBe(true)
    const png = await fetch(`${comfy.url}/api/view?filename=reload_00001_.png&subfolder=discomfort&type=output`)
    expect(png.status).toBe(200)
    expect(png.headers.get('content-type')).toBe((transcripts.view_png as { ctype: string }).ctype)
  })

  it('view: path traversal is refused with 400', async () => {
    const res = await fetch(`${comfy.url}/view?filename=../../etc/passwd&type=output`)
    expect(res.status).toBe((transcripts.view_traversal as { status: number }).status)
  })

  it('exec_error_runtime: a loader raising gives execution_error and an error history', async () => {
    const form = new FormData()
    form.append('image', new Blob([new TextEncoder().encode('this is not a safetensors file')]), 'broken.latent')
    const res = await fetch(`${comfy.url}/upload/image`, { method: 'POST', body: form })
    expect(await res.json()).toEqual(JSON.parse(transcripts.upload_broken as string))
    const got = await runCase('exec_error_runtime')
    const c = promptCase('exec_error_runtime')
    // The traceback is Python's; compare everything else of the error.
    // The traceback is Python's, and current_outputs lists a Python set: compare the rest, sorted.
    const strip = (list: WsMessage[]) =>
      list.map((m) =>
        m.type === 'execution_error'
          ? {
              ...m,
              data: { ...m.data, traceback: [], current_outputs: [...(m.data.current_outputs as string[])].sort() },
            }
          : m,
      )
    got.ws = strip(got.ws)
    c.ws = strip(c.ws!)
    for (const h of [got.history, c.history] as Array<
      Record<string, { status: { messages: Array<[string, Record<string, unknown>]> } }>
    >) {
      for (const entry of Object.values(h)) {
        for (const msg of entry.status.messages) {
          if (msg[0] !== 'execution_error') continue
          msg[1].traceback = []
          msg[1].current_outputs = [...(msg[1].current_outputs as string[])].sort()
        }
      }
    }
    expectSameRun('exec_error_runtime', got)
  })
})

describe('8-bit image precision, as measured on the real server', () => {
  it('LoadImage → PreviewImage is byte-exact; through ImageInvert 62% of values come back one step below exact', async () => {
    const { encodePng, decodePng } = await import('../../bridge/codec/png.js')
    const rgba = new Uint8Array(256 * 4)
    for (let k = 0; k < 256; k++) rgba.set([k, k, k, 255], k * 4)
    const form = new FormData()
    form.append('image', new Blob([new Uint8Array(encodePng({ width: 256, height: 1, rgba }))]), 'gradient.png')
    await fetch(`${comfy.url}/upload/image`, { method: 'POST', body: form })
    const run = async (prompt: Record<string, unknown>) => {
      const res = (await (
        await fetch(`${comfy.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt }) })
      ).json()) as { prompt_id: string }
      for (;;) {
        const h = (await (await fetch(`${comfy.url}/history/${res.prompt_id}`)).json()) as Record<
          string,
          { outputs: Record<string, { images: Array<{ filename: string; subfolder: string; type: string }> }> }
        >
        const entry = h[res.prompt_id]
        if (entry) {
          const f = entry.outputs['3']!.images[0]!
          const png = await fetch(`${comfy.url}/view?filename=${f.filename}&subfolder=${f.subfolder}&type=${f.type}`)
          return decodePng(new Uint8Array(await png.arrayBuffer())).rgba
        }
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    const same = await run({
      '1': { class_type: 'LoadImage', inputs: { image: 'gradient.png' } },
      '3': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
    })
    expect(Array.from({ length: 256 }, (_, k) => same[k * 4])).toEqual(Array.from({ length: 256 }, (_, k) => k))
    const inverted = await run({
      '1': { class_type: 'LoadImage', inputs: { image: 'gradient.png' } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
    })
    const below = Array.from({ length: 256 }, (_, k) => 255 - k - inverted[k * 4]!)
    expect(new Set(below)).toEqual(new Set([0, 1]))
    expect(Math.round((below.filter((d) => d === 1).length / 256) * 100)).toBe(62)
  })
})
