/**
 * The invariant of v2 jobs, over generated histories: whatever happens while
 * jobs are in flight (cancels at any moment, ComfyUI servers restarting and
 * forgetting their queues, the bridge stopping and starting again on the
 * same folder), every accepted job
 * - still answers by its id,
 * - ends, within a bound, in exactly one terminal status, which never changes
 *   once seen (no job ends twice),
 * - is `succeeded` with exactly its own output (the picture it asked for) unless
 *   it was cancelled, and `canceled` with no output if it was cancelled
 *   before it ended.
 * Histories are drawn by fast-check (FAULTS_RUNS, FAULTS_SEED).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { decodePng } from '../../bridge/codec/png.js'
import { terminalV2, V2JobSchema, type V2Job } from '../../shared/protocol/v2.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'

const LONG = Number(process.env.FAULTS_RUNS ?? 150) >= 1000
const RUNS = LONG ? 60 : 6
const SEED = process.env.FAULTS_SEED === undefined ? 27 : Number(process.env.FAULTS_SEED)

type Step =
  | { kind: 'submit'; steps: number }
  | { kind: 'cancel'; which: number }
  | { kind: 'restartComfy'; which: number }
  | { kind: 'restartBridge' }
  | { kind: 'pause'; ms: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('submit' as const), steps: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restartComfy' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restartBridge' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 300 }) }) },
)

let comfys: ComfyStandIn[] = []
beforeAll(async () => {
  comfys = await Promise.all([0, 1].map(() => startComfyStandIn()))
})
afterAll(async () => {
  for (const c of comfys) await c.close()
})

/** A job that saves a 4×4 picture of its own colour after `steps` steps of 40 ms. */
const workflow = (color: number, steps: number) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 4, height: 4, batch_size: 1, color } },
  '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps, step_ms: 40 } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'fault' } },
})

it(`every v2 job ends once, as it should, through cancels and restarts (${RUNS} histories, seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 14 }), async (history) => {
      const root = mkdtempSync(join(tmpdir(), 'v2-faults-'))
      const start = () =>
        startBridge({
          port: 0,
          comfyUrl: comfys[0]!.url,
          servers: [{ url: comfys[1]!.url }],
          root,
          announce: false,
          log: () => {},
          // A restarted stand-in answers again at once: lost prompts are found within the bound.
          comfyBounds: { lostAfterMs: 2000 },
        })
      let bridge: Bridge = await start()
      const jobs: Array<{ id: string; color: number; cancelled: boolean }> = []
      /** Every status each job was seen in, in order. */
      const seen = new Map<string, string[]>()
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${bridge.url}/api/v2${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        })
        return { status: res.status, body: (await res.json()) as unknown }
      }
      const look = async (id: string): Promise<V2Job> => {
        const job = V2JobSchema.parse((await api('GET', `/jobs/${id}`)).body)
        const list = seen.get(id) ?? []
        if (list.at(-1) !== job.status) list.push(job.status)
        seen.set(id, list)
        return job
      }
      let restarts = 0
      try {
        for (const s of history) {
          if (s.kind === 'submit') {
            const color = (jobs.length * 37 + 11) & 0xff
            const answer = await api('POST', '/jobs', { workflow: workflow(color << 16, s.steps) })
            expect(answer.status).toBe(201)
            jobs.push({ id: (answer.body as V2Job).id, color, cancelled: false })
          } else if (s.kind === 'cancel' && jobs.length) {
            const job = jobs[s.which % jobs.length]!
            const before = await look(job.id)
            const after = V2JobSchema.parse((await api('POST', `/jobs/${job.id}/cancel`)).body)
            // Cancelling an ended job changes nothing; one still open is cancelled.
            if (terminalV2(before.status)) expect(after.status).toBe(before.status)
            else if (after.status !== 'succeeded') job.cancelled = true
          } else if (s.kind === 'restartComfy' && restarts < 2) {
            restarts++
            comfys[s.which % comfys.length]!.restart()
          } else if (s.kind === 'restartBridge') {
            await bridge.close()
            bridge = await start()
          } else if (s.kind === 'pause') await new Promise((r) => setTimeout(r, s.ms))
          for (const j of jobs) await look(j.id)
        }
        // Everything ends within the bound.
        const deadline = Date.now() + 30_000
        for (const j of jobs) {
          let job = await look(j.id)
          while (!terminalV2(job.status) && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 50))
            job = await look(j.id)
          }
          expect(terminalV2(job.status), `job ${j.id} still ${job.status}: ${JSON.stringify(seen.get(j.id))}`).toBe(
            true,
          )
          const statuses = seen.get(j.id)!
          // Once ended, never anything else.
          expect(statuses.slice(statuses.findIndex((x) => terminalV2(x as V2Job['status'])))).toHaveLength(1)
          if (job.status === 'succeeded') {
            expect(job.outputs).toHaveLength(1)
            const bytes = new Uint8Array(
              await (await fetch(`${bridge.url}/api/v2/assets/${job.outputs[0]!.id}/content`)).arrayBuffer(),
            )
            expect(decodePng(bytes).rgba[0]).toBe(j.color)
          } else {
            expect(job.status, `job ${j.id}: ${JSON.stringify(job.error)}`).toBe('canceled')
            expect(j.cancelled).toBe(true)
            expect(job.outputs).toEqual([])
          }
        }
      } finally {
        await bridge.close()
      }
    }),
    { numRuns: RUNS, seed: SEED },
  )
}, 600_000)
