/**
 * The end-to-end suite: the examples, every compile-table row that core
 * nodes can show, errors, cancel, and cache reuse of a reference. It runs
 * against the stand-in in `npm test`, and against a real ComfyUI in
 * `npm run test:comfyui` — the same tests, so the two must agree.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../helpers/net.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Discomfort, type ImageValue } from '../../bridge/index.js'
import { decodeLatent, encodeLatent } from '../../bridge/codec/latent.js'
import { decodePng } from '../../bridge/codec/png.js'
import { ComfyClient } from '../../bridge/comfy/comfyClient.js'
import { conditionalBranch } from '../../examples/conditionalBranch.js'
import { feedbackLoop } from '../../examples/feedbackLoop.js'
import { parameterSweep } from '../../examples/parameterSweep.js'
import { partialWorkflows } from '../../examples/partialWorkflows.js'
import { referenceReuse } from '../../examples/referenceReuse.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { caught, port, solidPng } from '../helpers/prompts.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'

export interface ComfyTarget {
  url: string
  close(): Promise<void>
}

export function endToEndSuite(label: string, start: () => Promise<ComfyTarget>, timeoutMs = 60_000): void {
  describe(`end to end on ${label}`, () => {
    let comfy: ComfyTarget
    let d: Discomfort
    let out: string

    beforeAll(async () => {
      comfy = await start()
      d = await Discomfort.create({
        bridgeUrl: `http://127.0.0.1:${await freePort()}`,
        comfyUrl: comfy.url,
        bridge: { root: mkdtempSync(join(tmpdir(), 'e2e-')) },
      })
      out = mkdtempSync(join(tmpdir(), 'e2e-out-'))
    }, timeoutMs * 4)
    afterAll(async () => {
      await d?.shutdown()
      await comfy?.close()
    }, timeoutMs)

    describe('examples', () => {
      it(
        'parameter sweep',
        async () => {
          expect((await parameterSweep(d, out)).map((r) => r.size)).toEqual(['16×16', '32×32', '64×64', '128×128'])
        },
        timeoutMs,
      )
      it(
        'feedback loop',
        async () => {
          expect((await feedbackLoop(d, out)).to).toBe('32×32')
        },
        timeoutMs,
      )
      it(
        'partial workflows, sequential and stitched',
        async () => {
          const r = await partialWorkflows(d, out)
          expect(r.sequential).toEqual([255 - 0x20, 255 - 0x40, 255 - 0x80 - 1])
          expect(r.stitched).toEqual(r.sequential)
        },
        timeoutMs,
      )
      it(
        'conditional branch',
        async () => {
          expect(await conditionalBranch(d, out, 256)).toEqual({
            branch: 'thumbnail.json',
            caption: 'Hello, big canvas',
            size: '64×32',
          })
        },
        timeoutMs,
      )
      it(
        'reference reuse from ComfyUI cache',
        async () => {
          const r = await referenceReuse(d, out)
          expect(r.map((x) => x.size)).toEqual(['256×256', '128×128', '64×64'])
          expect(r[1]!.cachedNodes).toBeGreaterThanOrEqual(3)
        },
        timeoutMs,
      )
    })

    describe('compile table', () => {
      const run = (prompt: ApiPrompt, args: Parameters<Discomfort['run']>[1] = {}) =>
        d.run([{ name: 'e2e.json', workflow: prompt }], args)

      it(
        'INPUT literals (STRING, INT, COMBO, FLOAT) and OUTPUT STRING / IMAGE',
        async () => {
          const r = await run(
            {
              '1': port('width'),
              '2': { class_type: 'EmptyImage', inputs: { width: ['1', 0], height: 8, batch_size: 1, color: 0x00ff00 } },
              '3': port('method'),
              '4': port('scale'),
              '5': {
                class_type: 'ImageScaleBy',
                inputs: { image: ['2', 0], upscale_method: ['3', 0], scale_by: ['4', 0] },
              },
              '6': port('image', ['5', 0]),
              '7': port('who'),
              '8': { class_type: 'StringConcatenate', inputs: { string_a: 'hi ', string_b: ['7', 0], delimiter: '' } },
              '9': port('greeting', ['8', 0]),
            },
            { inputs: { width: 12, method: 'nearest-exact', scale: 0.5, who: 'there' } },
          )
          const image = r.image as ImageValue
          expect([image.width, image.height]).toEqual([6, 4])
          expect(Array.from(decodePng(image.frames[0]!).rgba.subarray(0, 3))).toEqual([0, 255, 0])
          expect(r.greeting).toBe('hi there')
        },
        timeoutMs,
      )

      it(
        'OUTPUT INT, FLOAT and BOOLEAN through PreviewAny',
        async () => {
          const r = await run(
            {
              '1': port('flag'),
              '2': { class_type: 'PrimitiveBoolean', inputs: { value: ['1', 0] } },
              '3': port('flag_out', ['2', 0]),
              '4': { class_type: 'PrimitiveInt', inputs: { value: 41 } },
              '5': port('int_out', ['4', 0]),
              '6': { class_type: 'PrimitiveFloat', inputs: { value: 2.5 } },
              '7': port('float_out', ['6', 0]),
            },
            { inputs: { flag: true } },
          )
          expect([r.flag_out, r.int_out, r.float_out]).toEqual([true, 41, 2.5])
        },
        timeoutMs,
      )

      it(
        'INPUT IMAGE batch: LoadImage + ImageBatch',
        async () => {
          const r = await run(
            {
              '1': port('in'),
              '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
              '3': port('out', ['2', 0]),
            },
            {
              inputs: {
                in: {
                  kind: 'image',
                  frames: [solidPng(4, 4, [255, 0, 0]), solidPng(4, 4, [0, 0, 255])],
                  width: 4,
                  height: 4,
                },
              },
            },
          )
          const image = r.out as ImageValue
          expect(image.frames.map((f) => Array.from(decodePng(f).rgba.subarray(0, 3)))).toEqual([
            [0, 255, 255],
            [255, 255, 0],
          ])
        },
        timeoutMs,
      )

      it(
        'INPUT MASK (LoadImageMask) and OUTPUT MASK (MaskToImage + PreviewImage)',
        async () => {
          const r = await run(
            {
              '1': port('m'),
              '2': { class_type: 'MaskToImage', inputs: { mask: ['1', 0] } },
              '3': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
              '4': { class_type: 'ImageToMask', inputs: { image: ['3', 0], channel: 'red' } },
              '5': port('m_inv', ['4', 0]),
            },
            { inputs: { m: { kind: 'mask', png: solidPng(4, 2, [64, 64, 64]), width: 4, height: 2 } } },
          )
          const mask = r.m_inv as { kind: string; png: Uint8Array }
          expect(mask.kind).toBe('mask')
          expect(Array.from(decodePng(mask.png).rgba.subarray(0, 3))).toEqual([191, 191, 191])
        },
        timeoutMs,
      )

      it(
        'LATENT in and out are lossless',
        async () => {
          const data = new Float32Array(4 * 8 * 8).map((_, i) => Math.sin(i) * 3.25)
          const r = await run(
            {
              '1': port('lat'),
              '2': {
                class_type: 'LatentUpscaleBy',
                inputs: { samples: ['1', 0], upscale_method: 'nearest-exact', scale_by: 1 },
              },
              '3': port('lat_out', ['2', 0]),
            },
            {
              inputs: {
                lat: { kind: 'latent', bytes: encodeLatent({ shape: [1, 4, 8, 8], data }), shape: [1, 4, 8, 8] },
              },
            },
          )
          const latent = r.lat_out as { bytes: Uint8Array }
          expect(Array.from(decodeLatent(latent.bytes).data)).toEqual(Array.from(data))
        },
        timeoutMs,
      )

      it(
        'PASSTHRU ports are removed',
        async () => {
          const r = await run({
            '1': { class_type: 'PrimitiveString', inputs: { value: 'through' } },
            '2': port('middle', ['1', 0]),
            '3': { class_type: 'StringConcatenate', inputs: { string_a: ['2', 0], string_b: '!', delimiter: '' } },
            '4': port('end', ['3', 0]),
          })
          expect(r.end).toBe('through!')
        },
        timeoutMs,
      )
    })

    describe('errors and cancel', () => {
      it(
        'a validation error names the node and input',
        async () => {
          const client = new ComfyClient(comfy.url)
          try {
            const e = await caught(
              client.run(
                {
                  '1': { class_type: 'ImageInvert', inputs: {}, _meta: { title: 'Flip' } },
                  '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
                },
                { workflow: 'bad.json' },
              ),
            )
            expect(e.message).toMatch(/ComfyUI rejected bad\.json: Prompt outputs failed validation/)
            expect(e.message).toMatch(/node 1 \(ImageInvert "Flip"\), input "image": Required input is missing/)
          } finally {
            client.close()
          }
        },
        timeoutMs,
      )

      it(
        'a runtime error commits nothing and names the node',
        async () => {
          const client = new ComfyClient(comfy.url)
          await client.http.upload(new TextEncoder().encode('not a latent at all'), 'e2e_broken.latent')
          client.close()
          const e = await caught(
            d.run([
              {
                name: 'broken.json',
                workflow: {
                  '1': { class_type: 'LoadLatent', inputs: { latent: 'e2e_broken.latent' } },
                  '2': port('lat', ['1', 0]),
                },
              },
            ]),
          )
          expect(e.message).toMatch(/broken\.json failed in node 1 \(LoadLatent\)/)
          expect(e.message).toMatch(/The context keeps what it had/)
        },
        timeoutMs,
      )

      it(
        'cancelling a long run cancels its ComfyUI job',
        async () => {
          // Large images scaled with lanczos: seconds of CPU work on any server.
          const slow: ApiPrompt = {
            '1': { class_type: 'EmptyImage', inputs: { width: 2048, height: 2048, batch_size: 1, color: 0x123456 } },
          }
          let last = '1'
          for (let i = 2; i < 12; i++) {
            slow[String(i)] = {
              class_type: 'ImageScaleBy',
              inputs: { image: [last, 0], upscale_method: 'lanczos', scale_by: i % 2 ? 0.5 : 2 },
            }
            last = String(i)
          }
          slow.out = port('slow_out', [last, 0])
          const controller = new AbortController()
          const pending = d.run([{ name: 'slow.json', workflow: slow }], { signal: controller.signal })
          setTimeout(() => controller.abort(), 300)
          const e = await caught(pending)
          expect(e.name).toBe('RunCancelledError')
          const client = new ComfyClient(comfy.url)
          try {
            for (let i = 0; i < 100; i++) {
              const q = await client.http.queue()
              if (q.running.length + q.pending.length === 0) break
              await new Promise((r) => setTimeout(r, 100))
            }
            const q = await client.http.queue()
            expect([...q.running, ...q.pending]).toEqual([])
          } finally {
            client.close()
          }
        },
        timeoutMs,
      )
    })

    it(
      'uploads of an existing PNG and LoadImage → PreviewImage are byte-exact',
      async () => {
        const png = readFileSync(join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png'))
        const r = await d.run([{ name: 'copy.json', workflow: { '1': port('in'), '2': port('out', ['1', 0]) } }], {
          inputs: { in: { file: join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png') } },
        })
        const image = r.out as ImageValue
        expect(Array.from(decodePng(image.frames[0]!).rgba)).toEqual(Array.from(decodePng(png).rgba))
      },
      timeoutMs,
    )
  })
}
