/**
 * Generated misbehaviour of a ComfyUI server (docs/FAULTS.md, "ComfyUI is
 * untrusted"), as fast-check arbitraries, and one scenario's steps applied
 * to a stand-in. Used by the property tests in `npm test` (a few hundred
 * seeded scenarios) and by the long job (`npm run test:faults`).
 */
import fc from 'fast-check'
import type { HttpFault } from '../comfyStandIn/chaos.js'
import type { ComfyStandIn } from '../comfyStandIn/server.js'

/** Message types the bridge acts on, and a custom node's own. */
const TYPES = [
  'status',
  'execution_start',
  'execution_cached',
  'executing',
  'progress',
  'progress_state',
  'executed',
  'execution_success',
  'execution_error',
  'execution_interrupted',
  'feature_flags',
  'my-event',
] as const

const json = fc.jsonValue({ maxDepth: 3 })

/** Binary frames: random bytes, and frames with a real header and a broken body. */
const binaryFrame = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.tuple(fc.constantFrom(1, 3, 4, 7), fc.nat(), fc.uint8Array({ maxLength: 32 })).map(([type, n, rest]) => {
    const head = new Uint8Array(8)
    const view = new DataView(head.buffer)
    view.setUint32(0, type)
    view.setUint32(4, n)
    return new Uint8Array([...head, ...rest])
  }),
  fc.tuple(json, fc.uint8Array({ maxLength: 16 })).map(([meta, image]) => {
    const m = new TextEncoder().encode(JSON.stringify(meta))
    const head = new Uint8Array(8)
    const view = new DataView(head.buffer)
    view.setUint32(0, 4)
    view.setUint32(4, m.byteLength)
    return new Uint8Array([...head, ...m, ...image])
  }),
)

/** Text frames of any shape: not JSON, JSON of any shape, a known type with any data, `send_sync(x, None)`. */
const textFrame = fc.oneof(
  fc.string({ maxLength: 40 }),
  json.map((v) => JSON.stringify(v)),
  fc.record({ type: fc.constantFrom(...TYPES), data: json }).map((m) => JSON.stringify(m)),
  fc.constantFrom(...TYPES).map((type) => JSON.stringify({ type, data: null })),
)

const httpFault: fc.Arbitrary<HttpFault> = fc.oneof(
  fc.record({
    kind: fc.constant('status' as const),
    status: fc.constantFrom(400, 403, 404, 500, 502, 503),
    body: fc.string({ maxLength: 40 }),
  }),
  fc.record({ kind: fc.constant('json' as const), body: json }),
  fc.record({ kind: fc.constant('delay' as const), ms: fc.integer({ min: 10, max: 700 }) }),
  fc.constant({ kind: 'hang' as const }),
  fc.record({ kind: fc.constant('trickle' as const), everyMs: fc.integer({ min: 5, max: 100 }) }),
  fc.constant({ kind: 'endless' as const }),
  fc.constant({ kind: 'reset' as const }),
)

const ROUTES = [
  '/prompt',
  '/queue',
  '/history',
  '/object_info',
  '/system_stats',
  '/view',
  '/upload/image',
  '/interrupt',
]

export type Step =
  | { do: 'text'; frame: string }
  | { do: 'binary'; frame: Uint8Array }
  /** A message about the prompt running now, of a known type, with fields of any shape. */
  | { do: 'forge'; type: (typeof TYPES)[number]; data: Record<string, unknown> }
  | { do: 'http'; route: string; fault: HttpFault; forMs: number }
  /** What another client or the user on the page does to ComfyUI. */
  | { do: 'clearQueue' | 'interrupt' | 'clearHistory' | 'restart' | 'dropSockets' }
  /** The bridge's user cancels the run. */
  | { do: 'cancel' }

export const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ do: fc.constant('text' as const), frame: textFrame }),
  fc.record({ do: fc.constant('binary' as const), frame: binaryFrame }),
  fc.record({
    do: fc.constant('forge' as const),
    type: fc.constantFrom(...TYPES),
    data: fc.dictionary(
      fc.constantFrom('node', 'nodes', 'output', 'value', 'max', 'node_id', 'exception_message', 'status'),
      json,
    ),
  }),
  fc.record({
    do: fc.constant('http' as const),
    route: fc.constantFrom(...ROUTES),
    fault: httpFault,
    forMs: fc.integer({ min: 50, max: 800 }),
  }),
  fc.constantFrom(
    { do: 'clearQueue' as const },
    { do: 'interrupt' as const },
    { do: 'clearHistory' as const },
    { do: 'restart' as const },
    { do: 'dropSockets' as const },
    { do: 'cancel' as const },
  ),
)

export interface Scenario {
  /** Another client's slow prompt is queued first, so the run waits behind it. */
  busy: boolean
  steps: Array<{ atMs: number; step: Step }>
}

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  busy: fc.boolean(),
  steps: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 300 }), step }), { minLength: 1, maxLength: 4 }),
})

/** When the last fault of a scenario has ended (ms after the run was submitted). */
export const faultsEndAt = (s: Scenario): number =>
  Math.max(0, ...s.steps.map(({ atMs, step }) => atMs + (step.do === 'http' ? step.forMs : 0)))

/**
 * Apply a scenario's steps to the stand-in on their schedule. `cancel` is the
 * caller's (it goes through the bridge). Resolves when every step has been applied.
 */
export async function applySteps(comfy: ComfyStandIn, s: Scenario, cancel: () => Promise<void>): Promise<void> {
  const active: Array<{ route: string; fault: HttpFault; until: number }> = []
  comfy.chaos.http = (_method, path) => {
    const now = Date.now()
    return active.find((a) => a.until > now && (path === a.route || path.startsWith(`${a.route}/`)))?.fault
  }
  const post = (path: string, body: unknown) =>
    fetch(`${comfy.url}${path}`, {
      method: 'POST',
      // Another client's request: not subject to the faults aimed at the bridge.
      headers: { 'content-type': 'application/json', 'x-chaos-exempt': '1' },
      body: JSON.stringify(body),
    }).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    )
  await Promise.all(
    s.steps.map(async ({ atMs, step }) => {
      await new Promise((r) => setTimeout(r, atMs))
      switch (step.do) {
        case 'text':
        case 'binary':
          comfy.sendRaw(step.frame)
          break
        case 'forge': {
          const promptId = comfy.executor.runningPromptId
          comfy.sendRaw(JSON.stringify({ type: step.type, data: { ...step.data, prompt_id: promptId } }))
          break
        }
        case 'http':
          active.push({ route: step.route, fault: step.fault, until: Date.now() + step.forMs })
          break
        case 'clearQueue':
          await post('/queue', { clear: true })
          break
        case 'interrupt':
          await post('/interrupt', {})
          break
        case 'clearHistory':
          comfy.executor.history.clear()
          break
        case 'restart':
          comfy.restart()
          break
        case 'dropSockets':
          comfy.dropSockets()
          break
        case 'cancel':
          await cancel()
          break
      }
    }),
  )
}

/** A short description of a scenario for a failure message. */
export const describeScenario = (s: Scenario): string =>
  JSON.stringify(s, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.byteLength} bytes>` : v))
