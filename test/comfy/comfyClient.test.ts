import { existsSync, readFileSync, rmSync } from 'node:fs'
import { getEventListeners } from 'node:events'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ComfyClient, type JobEvent } from '../../bridge/comfy/comfyClient.js'
import { ComfyHttp } from '../../bridge/comfy/comfyHttp.js'
import {
  isComfyCancelledError,
  isComfyExecutionError,
  isComfyMissingOutputsError,
  isComfyUnreachableError,
  isComfyValidationError,
  type ComfyExecutionError,
  type ComfyMissingOutputsError,
  type ComfyValidationError,
} from '../../bridge/comfy/errors.js'
import { decodeLatent } from '../../bridge/codec/latent.js'
import { decodePng } from '../../bridge/codec/png.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'

let comfy: ComfyStandIn
let client: ComfyClient

beforeAll(async () => {
  comfy = await startComfyStandIn()
})
afterAll(async () => {
  await comfy.close()
})
afterEach(() => {
  client?.close()
})

const connect = async (options = {}) => {
  client = new ComfyClient(comfy.url, { initialDelayMs: 20, pollIntervalMs: 50, ...options })
  await client.connect()
  return client
}

async function caught<T = Error>(p: Promise<unknown>): Promise<T> {
  try {
    await p
  } catch (e) {
    return e as T
  }
  throw new Error('expected a rejection')
}

const sleepy = (value: string, steps = 8, stepMs = 25): ApiPrompt => ({
  '1': { class_type: 'PrimitiveString', inputs: { value } },
  '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps, step_ms: stepMs } },
  '3': { class_type: 'PreviewAny', inputs: { source: ['2', 0] } },
})

describe('ComfyClient against the stand-in', () => {
  it('runs a prompt and collects image, latent and text outputs, with progress events', async () => {
    await connect()
    const events: JobEvent['type'][] = []
    const result = await client.run(
      {
        '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 8, batch_size: 1, color: 0xff0000 } },
        '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
        '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
        '4': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
        '5': { class_type: 'SaveLatent', inputs: { samples: ['4', 0], filename_prefix: 'latents/test' } },
        '6': { class_type: 'PrimitiveInt', inputs: { value: 42 } },
        '7': { class_type: 'PreviewAny', inputs: { source: ['6', 0] } },
      },
      { onEvent: (e) => events.push(e.type) },
    )
    expect(Object.keys(result.outputs).sort()).toEqual(['3', '5', '7'])
    expect(result.outputs['7']!.text).toEqual(['42'])
    const png = decodePng(await client.http.view(result.outputs['3']!.images![0]!))
    expect([png.width, png.height]).toEqual([16, 8])
    expect(Array.from(png.rgba.subarray(0, 4))).toEqual([0, 255, 255, 255])
    const latent = decodeLatent(await client.http.view(result.outputs['5']!.latents![0]!))
    expect(latent.shape).toEqual([1, 4, 8, 8])
    expect(events[0]).toBe('queued')
    expect(events).toContain('executing')
    expect(events).toContain('executed')
  })

  it('reports progress from nodes that have it', async () => {
    await connect()
    const progress: number[] = []
    await client.run(sleepy('p', 4, 5), { onEvent: (e) => e.type === 'progress' && progress.push(e.value) })
    expect(progress).toEqual([1, 2, 3, 4])
  })

  it('gets the outputs of a fully cached re-run (nothing executes)', async () => {
    await connect()
    const prompt: ApiPrompt = {
      '1': { class_type: 'PrimitiveString', inputs: { value: 'cache me' } },
      '2': { class_type: 'PreviewAny', inputs: { source: ['1', 0] } },
    }
    const first = await client.run(prompt)
    const second = await client.run(prompt)
    expect(second.executedNodes).toEqual([])
    expect(second.cachedNodes.sort()).toEqual(['1', '2'])
    expect(second.outputs).toEqual(first.outputs)
    expect(second.outputs['2']!.text).toEqual(['cache me'])
  })

  it('finishes a job whose WebSocket dropped mid-run, from /history', async () => {
    await connect()
    const job = await client.submit(sleepy('survives', 10, 30))
    await new Promise((r) => setTimeout(r, 60))
    comfy.dropSockets()
    const result = await job.done
    expect(result.outputs['3']!.text).toEqual(['survives'])
  })

  it('follows a prompt queued for another client (the page) through /history', async () => {
    await connect()
    const result = await client.run(sleepy('foreign', 3, 10), { clientId: 'some-page' })
    expect(result.outputs['3']!.text).toEqual(['foreign'])
  })

  describe('validation errors name node, class, title and input', () => {
    it('required input missing', async () => {
      await connect()
      const e = await caught<ComfyValidationError>(
        client.run(
          {
            '1': { class_type: 'ImageInvert', inputs: {}, _meta: { title: 'Flip it' } },
            '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
          },
          { workflow: 'invert.json' },
        ),
      )
      expect(isComfyValidationError(e)).toBe(true)
      expect(e.problems).toEqual([
        expect.objectContaining({
          nodeId: '1',
          classType: 'ImageInvert',
          title: 'Flip it',
          input: 'image',
          type: 'required_input_missing',
        }),
      ])
      expect(e.message).toContain('ComfyUI rejected invert.json: Prompt outputs failed validation')
      expect(e.message).toContain('node 1 (ImageInvert "Flip it"), input "image": Required input is missing')
    })

    it('unknown class', async () => {
      await connect()
      const e = await caught<ComfyValidationError>(client.run({ '1': { class_type: 'NoSuchNode', inputs: {} } }))
      expect(e.error.type).toBe('invalid_prompt')
      expect(e.message).toContain('node NoSuchNode does not exist')
    })

    it('no output node', async () => {
      await connect()
      const e = await caught<ComfyValidationError>(
        client.run({ '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } } }),
      )
      expect(e.error.type).toBe('prompt_no_outputs')
    })

    it('bad combo value and value below min', async () => {
      await connect()
      const combo = await caught<ComfyValidationError>(
        client.run({
          '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
          '2': { class_type: 'ImageScaleBy', inputs: { image: ['1', 0], upscale_method: 'sideways', scale_by: 1 } },
          '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
        }),
      )
      expect(combo.problems[0]).toMatchObject({ nodeId: '2', input: 'upscale_method', type: 'value_not_in_list' })
      expect(combo.problems[0]!.details).toContain("upscale_method: 'sideways' not in ['nearest-exact'")
      const min = await caught<ComfyValidationError>(
        client.run({
          '1': { class_type: 'EmptyImage', inputs: { width: 0, height: 8, batch_size: 1, color: 0 } },
          '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
        }),
      )
      expect(min.problems[0]).toMatchObject({
        nodeId: '1',
        input: 'width',
        type: 'value_smaller_than_min',
        message: 'Value 0 smaller than min of 1',
      })
    })

    it('type mismatch dropping a needed output is an error, not a partial run', async () => {
      await connect()
      const e = await caught<ComfyMissingOutputsError>(
        client.run(
          {
            '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
            '4': { class_type: 'PreviewAny', inputs: { source: 'x' } },
            '5': {
              class_type: 'LatentUpscaleBy',
              inputs: { samples: ['1', 0], upscale_method: 'nearest-exact', scale_by: 1 },
            },
            '6': { class_type: 'SaveLatent', inputs: { samples: ['5', 0], filename_prefix: 'latents/err' } },
          },
          { workflow: 'mixed.json' },
        ),
      )
      expect(isComfyMissingOutputsError(e)).toBe(true)
      expect(e.missingOutputs).toEqual(['6'])
      expect(e.problems[0]).toMatchObject({ nodeId: '5', input: 'samples', type: 'return_type_mismatch' })
    })

    it('the same partly invalid prompt runs when only the valid output is needed', async () => {
      await connect()
      const result = await client.run(
        {
          '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
          '4': { class_type: 'PreviewAny', inputs: { source: 'only me' } },
          '5': {
            class_type: 'LatentUpscaleBy',
            inputs: { samples: ['1', 0], upscale_method: 'nearest-exact', scale_by: 1 },
          },
          '6': { class_type: 'SaveLatent', inputs: { samples: ['5', 0], filename_prefix: 'latents/err' } },
        },
        { requiredOutputs: ['4'] },
      )
      expect(result.outputs['4']!.text).toEqual(['only me'])
    })
  })

  it('a runtime error names the node and the exception', async () => {
    await connect()
    await client.http.upload(new TextEncoder().encode('not a latent'), 'broken.latent')
    const e = await caught<ComfyExecutionError>(
      client.run(
        {
          '1': { class_type: 'LoadLatent', inputs: { latent: 'broken.latent' }, _meta: { title: 'Load it' } },
          '2': { class_type: 'SaveLatent', inputs: { samples: ['1', 0], filename_prefix: 'latents/x' } },
        },
        { workflow: 'broken.json' },
      ),
    )
    expect(isComfyExecutionError(e)).toBe(true)
    expect(e.nodeId).toBe('1')
    expect(e.message).toBe(
      'broken.json failed in node 1 (LoadLatent "Load it"): safetensors._safetensors_rust.SafetensorError: Error while deserializing header: header too large',
    )
  })

  it('cancels a running job (interrupt) and a pending one (removed from the queue)', async () => {
    await connect()
    const running = await client.submit(sleepy('long', 40, 25))
    const pending = await client.submit(sleepy('later', 40, 25))
    await new Promise((r) => setTimeout(r, 80))
    await pending.cancel()
    expect(isComfyCancelledError(await caught(pending.done))).toBe(true)
    await running.cancel()
    expect(isComfyCancelledError(await caught(running.done))).toBe(true)
    const q = await client.http.queue()
    expect(q.pending).toEqual([])
    // The server is free again: a new job runs.
    const after = await client.run(sleepy('after', 1, 1))
    expect(after.outputs['3']!.text).toEqual(['after'])
  })

  it('on a current ComfyUI, cancels through its jobs API at once: a waiting job and a running one each end cancelled well within the cancel grace, and the next runs', async () => {
    const current = await startComfyStandIn({ profile: 'current' })
    const c = new ComfyClient(current.url, { initialDelayMs: 20, pollIntervalMs: 50 })
    try {
      await c.connect()
      expect(await c.http.hasJobsApi()).toBe(true)
      const running = await c.submit(sleepy('long', 40, 25))
      const pending = await c.submit(sleepy('later', 40, 25))
      await new Promise((r) => setTimeout(r, 80))
      for (const job of [pending, running]) {
        const start = Date.now()
        await job.cancel()
        const e = await caught(job.done)
        expect(isComfyCancelledError(e)).toBe(true)
        // Confirmed by ComfyUI, not ended by the grace timer (5 s) saying it did not confirm.
        expect(Date.now() - start).toBeLessThan(2000)
        expect(e.message).not.toMatch(/did not confirm/)
      }
      expect((await c.http.queue()).pending).toEqual([])
      const after = await c.run(sleepy('after', 1, 1))
      expect(after.outputs['3']!.text).toEqual(['after'])
    } finally {
      c.close()
      await current.close()
    }
  })

  it('cancels through an AbortSignal, and times out a job that takes too long', async () => {
    await connect()
    const controller = new AbortController()
    const job = await client.submit(sleepy('abort', 40, 25), { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect(isComfyCancelledError(await caught(job.done))).toBe(true)
    const e = await caught(client.run(sleepy('slow', 40, 25), { timeoutMs: 100, workflow: 'slow.json' }))
    expect((e as Error).name).toBe('ComfyTimeoutError')
    expect((e as Error).message).toMatch(/slow\.json did not finish within 100 ms/)
  })

  it("leaves no listener on the caller's AbortSignal: 1,000 jobs with one signal", async () => {
    await connect()
    const controller = new AbortController()
    for (let i = 0; i < 1000; i++) {
      const r = await client.run(
        {
          '1': { class_type: 'PrimitiveString', inputs: { value: `n${i}` } },
          '2': { class_type: 'PreviewAny', inputs: { source: ['1', 0] } },
        },
        { signal: controller.signal },
      )
      expect(r.outputs['2']!.text).toEqual([`n${i}`])
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  }, 60_000)

  it('uploads the same bytes once per server, under a content-addressed name', async () => {
    const http = new ComfyHttp(comfy.url)
    const png = readFileSync(join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png'))
    const a = await http.uploadContent(png, 'png')
    expect(a.subfolder).toBe('discomfort')
    expect(ComfyHttp.loaderPath(a)).toBe(`discomfort/${a.name}`)
    const back = await http.view({ filename: a.name, subfolder: a.subfolder, type: 'input' })
    expect(Buffer.from(back).equals(png)).toBe(true)
    // The file gone from the server: the second upload of the same bytes makes no request, so it stays gone.
    const file = join(comfy.folders.input, a.subfolder, a.name)
    expect(existsSync(file)).toBe(true)
    rmSync(file)
    const b = await http.uploadContent(png, 'png')
    expect(b).toEqual({ ...a, reused: true })
    expect(existsSync(file)).toBe(false)
    // A named upload, with the form fields ComfyUI reads (subfolder, overwrite).
    const other = await http.upload(png, 'my picture.png', { subfolder: 'discomfort', overwrite: true })
    expect(other).toEqual({ name: 'my picture.png', subfolder: 'discomfort', type: 'input' })
    expect(readFileSync(join(comfy.folders.input, 'discomfort', other.name)).equals(png)).toBe(true)
  })

  it('caches object_info and refreshes it on demand', async () => {
    await connect()
    const first = await client.http.objectInfo()
    expect(await client.http.objectInfo()).toBe(first)
    expect(await client.http.objectInfo(true)).not.toBe(first)
    expect(await client.http.version()).toBe('0.3.54')
  })

  it('says clearly when ComfyUI is not running', async () => {
    const http = new ComfyHttp('http://127.0.0.1:9')
    const e = await caught(http.objectInfo())
    expect(isComfyUnreachableError(e)).toBe(true)
    expect((e as Error).message).toMatch(/ComfyUI is not reachable at http:\/\/127\.0\.0\.1:9/)
  })
})
