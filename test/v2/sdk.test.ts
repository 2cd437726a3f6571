/**
 * The official Comfy SDK (PyPI `comfy-sdk`, in a venv this test makes)
 * running its README's quickstart unchanged against a bridge process with
 * two stand-in ComfyUI processes in its pool; and a v2 job that outlives a
 * SIGKILL of the bridge.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePng } from '../../bridge/codec/png.js'
import { V2JobSchema, type V2Job } from '../../shared/protocol/v2.js'
import { freePort } from '../helpers/net.js'
import { bridgeProcess, killAll, standIn, until } from '../helpers/processes.js'

const run = promisify(execFile)
const SDK = resolve(import.meta.dirname, 'sdk')
const EXAMPLE = resolve(import.meta.dirname, '../../examples/v2')
/** The key the quickstart passes (`Comfy(api_key="comfyui-...")`): the bridge's token here, so the SDK's Bearer is checked. */
const TOKEN = 'comfyui-...'

let python = ''
let home = ''
let port = 0
let url = ''
let comfys: string[] = []

beforeAll(async () => {
  python = (await run('bash', [join(SDK, 'venv.sh')], { timeout: 300_000 })).stdout.trim()
  comfys = await Promise.all([standIn(200), standIn(200)])
  home = mkdtempSync(join(tmpdir(), 'v2-sdk-'))
  port = await freePort()
  url = `http://127.0.0.1:${port}`
  await bridgeProcess(home, comfys, port, ['--token', TOKEN])
}, 360_000)
afterAll(() => killAll())

/** The quickstart as a user runs it: its folder holds workflow_api.json and photo.png; COMFY_BASE_URL names the bridge. */
async function quickstart(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'quickstart-'))
  for (const f of ['quickstart.py', 'workflow_api.json', 'photo.png']) copyFileSync(join(EXAMPLE, f), join(dir, f))
  await run(python, ['quickstart.py'], {
    cwd: dir,
    timeout: 120_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, COMFY_BASE_URL: url },
  })
  return dir
}

const v2 = async <T>(path: string, init: RequestInit = {}): Promise<T> =>
  (await (
    await fetch(`${url}/api/v2${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
    })
  ).json()) as T

describe('the official SDK against the bridge', () => {
  it("runs the SDK's quickstart unchanged: the asset goes up once, the job runs on the pool, the output comes down", async () => {
    const dir = await quickstart()
    const saved = join(dir, 'quickstart_00001_.png')
    expect(existsSync(saved)).toBe(true)
    const png = decodePng(readFileSync(saved))
    // ImageInvert of the red photo.
    expect([png.width, png.height, png.rgba[0], png.rgba[1], png.rgba[2]]).toEqual([64, 48, 0, 255, 255])
    // Again: the SDK finds the photo by its hash and uploads nothing.
    await quickstart()
    const { jobs } = await v2<{ jobs: V2Job[] }>('/jobs')
    expect(jobs.filter((j) => j.status === 'succeeded').length).toBeGreaterThanOrEqual(2)
  }, 240_000)

  it('spreads quickstarts run at once over both servers of the pool', async () => {
    await Promise.all([0, 1, 2, 3].map(() => quickstart()))
    const { jobs } = await v2<{ jobs: V2Job[] }>('/jobs?limit=4')
    expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded'])
    expect(new Set(jobs.map((j) => j.server)).size).toBe(2)
  }, 240_000)

  it('keeps a job through a SIGKILL of the bridge: its id answers after the restart, and it ends once, with its output', async () => {
    const workflow = {
      '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color: 0x00ff00 } },
      '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 30, step_ms: 100 } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'kept' } },
    }
    const job = V2JobSchema.parse(await v2('/jobs', { method: 'POST', body: JSON.stringify({ workflow }) }))
    await until(
      'the job to run',
      () => v2<V2Job>(`/jobs/${job.id}`),
      (j) => j.status === 'running',
      30_000,
    )
    killAll()
    comfys = await Promise.all([standIn(200), standIn(200)])
    await bridgeProcess(home, comfys, port, ['--token', TOKEN])
    const ended = await until(
      'the job to end',
      () => v2<V2Job>(`/jobs/${job.id}`),
      (j) => j.status !== 'running' && j.status !== 'queued',
      60_000,
    )
    expect(ended).toMatchObject({ id: job.id, status: 'succeeded', attempts: 2 })
    expect(ended.outputs).toHaveLength(1)
    const bytes = new Uint8Array(
      await (
        await fetch(`${url}/api/v2/assets/${ended.outputs[0]!.id}/content`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).arrayBuffer(),
    )
    expect(decodePng(bytes).rgba.slice(0, 3)).toEqual(new Uint8Array([0, 255, 0]))
  }, 180_000)
})
