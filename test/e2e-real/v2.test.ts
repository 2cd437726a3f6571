/**
 * The Comfy API v2 on two real ComfyUI 0.3.75 servers: the official SDK's
 * quickstart unchanged, and a cancel that really stops a running prompt
 * (which the reference proxy did not do on 0.3.75).
 */
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { decodePng } from '../../bridge/codec/png.js'
import { V2JobSchema, type V2Job } from '../../shared/protocol/v2.js'
import type { ComfyTarget } from '../e2e/suite.js'
import { until } from '../helpers/processes.js'
import { startRealComfy } from './startRealComfy.js'

const run = promisify(execFile)
const SDK = resolve(import.meta.dirname, '../v2/sdk')
const EXAMPLE = resolve(import.meta.dirname, '../../examples/v2')
const TOKEN = 'comfyui-...'

let servers: ComfyTarget[] = []
let bridge: Bridge | undefined
let python = ''
beforeAll(async () => {
  python = (await run('bash', [join(SDK, 'venv.sh')], { timeout: 300_000 })).stdout.trim()
  servers = await Promise.all([startRealComfy(), startRealComfy()])
  bridge = await startBridge({
    port: 0,
    comfyUrl: servers[0]!.url,
    servers: [{ url: servers[1]!.url }],
    root: mkdtempSync(join(tmpdir(), 'v2-real-')),
    token: TOKEN,
    announce: false,
  })
})
afterAll(async () => {
  await bridge?.close()
  for (const s of servers) await s.close().catch(() => {})
})

const v2 = async <T>(path: string, init: RequestInit = {}): Promise<T> =>
  (await (
    await fetch(`${bridge!.url}/api/v2${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
    })
  ).json()) as T

it("runs the official SDK's quickstart unchanged on real ComfyUIs", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quickstart-real-'))
  for (const f of ['quickstart.py', 'workflow_api.json', 'photo.png']) copyFileSync(join(EXAMPLE, f), join(dir, f))
  await run(python, ['quickstart.py'], {
    cwd: dir,
    timeout: 180_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, COMFY_BASE_URL: bridge!.url },
  })
  const saved = join(dir, 'quickstart_00001_.png')
  expect(existsSync(saved)).toBe(true)
  const png = decodePng(readFileSync(saved))
  expect([png.width, png.height, png.rgba[0], png.rgba[1], png.rgba[2]]).toEqual([64, 48, 0, 255, 255])
})

it('cancel stops a running prompt on ComfyUI 0.3.75, and the server takes the next job at once', async () => {
  // Long on a CPU: a batch of large images inverted again and again, kept small at the end.
  const slow: Record<string, unknown> = {
    '1': { class_type: 'EmptyImage', inputs: { width: 2048, height: 2048, batch_size: 8, color: 0 } },
  }
  for (let i = 2; i <= 13; i++) slow[String(i)] = { class_type: 'ImageInvert', inputs: { image: [String(i - 1), 0] } }
  slow['20'] = {
    class_type: 'ImageScale',
    inputs: { image: ['13', 0], upscale_method: 'nearest-exact', width: 8, height: 8, crop: 'disabled' },
  }
  slow['21'] = { class_type: 'SaveImage', inputs: { images: ['20', 0], filename_prefix: 'slow' } }
  const job = V2JobSchema.parse(await v2('/jobs', { method: 'POST', body: JSON.stringify({ workflow: slow }) }))
  const running = await until(
    'the job to run',
    () => v2<V2Job>(`/jobs/${job.id}`),
    (j) => j.status === 'running',
    120_000,
  )
  // Let ComfyUI get into it (a few nodes), then cancel.
  await until(
    'a few nodes to run',
    () => v2<V2Job>(`/jobs/${job.id}`),
    (j) => (j.progress?.nodes_done ?? 0) >= 3,
    120_000,
  )
  const asked = Date.now()
  const answer = V2JobSchema.parse(await v2(`/jobs/${job.id}/cancel`, { method: 'POST' }))
  expect(['canceling', 'canceled']).toContain(answer.status)
  const ended = await until(
    'the job to end',
    () => v2<V2Job>(`/jobs/${job.id}`),
    (j) => j.status === 'canceled',
    60_000,
  )
  expect(ended.outputs).toEqual([])
  // ComfyUI stopped it: its history says interrupted, and it never reached the SaveImage.
  const server = servers.find((s) => running.server && s.url.includes(running.server))!
  const history = (await (await fetch(`${server.url}/history?max_items=5`)).json()) as Record<
    string,
    { status: { messages: Array<[string, unknown]> }; outputs: Record<string, unknown> }
  >
  const interrupted = Object.values(history).find((h) => h.status.messages.some(([m]) => m === 'execution_interrupted'))
  expect(interrupted).toBeDefined()
  expect(interrupted!.outputs['21']).toBeUndefined()
  const small = {
    '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'after' } },
  }
  const next = V2JobSchema.parse(await v2('/jobs', { method: 'POST', body: JSON.stringify({ workflow: small }) }))
  await until(
    'the next job',
    () => v2<V2Job>(`/jobs/${next.id}`),
    (j) => j.status === 'succeeded',
    60_000,
  )
  console.log(`v2 cancel on real ComfyUI: ${Date.now() - asked} ms from cancel to the next job done`)
})
