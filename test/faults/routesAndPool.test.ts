/**
 * Invariants 3 and 4 of docs/FAULTS.md over generated requests:
 * - every route with a body or query schema, fed bodies built from that
 *   schema's fields with values of any JSON shape, plus extreme ones (deep,
 *   long, wide), answers 2xx or 4xx with `{error: {type, message}}`, never a
 *   5xx, within a bound, and the bridge stays healthy;
 * - the pool admits only a URL that answers as ComfyUI, never echoes the
 *   credentials in a URL, and refuses to remove its last server.
 */
import { mkdtempSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod/v4'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { routes } from '../../shared/protocol/index.js'
import { v2Routes } from '../../shared/protocol/v2.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'

const RUNS = Number(process.env.FAULTS_RUNS ?? 150)
const SEED = process.env.FAULTS_SEED === undefined ? 22 : Number(process.env.FAULTS_SEED)

let comfy: ComfyStandIn
let bridge: Bridge
let ctx: string

beforeAll(async () => {
  comfy = await startComfyStandIn()
  bridge = await startBridge({
    port: 0,
    comfyUrl: comfy.url,
    root: mkdtempSync(join(tmpdir(), 'routes-fuzz-')),
    log: () => {},
  })
  ctx = ((await call('POST', '/api/contexts', { name: 'fuzz' })).json as { id: string }).id
})
afterAll(async () => {
  await bridge?.close()
  await comfy?.close()
})

async function call(
  method: string,
  path: string,
  body?: unknown,
  raw?: string,
): Promise<{ status: number; json: unknown; ms: number }> {
  const started = Date.now()
  const res = await fetch(`${bridge.url}${path}`, {
    method,
    ...(body !== undefined || raw !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) }
      : {}),
    signal: AbortSignal.timeout(20_000),
  })
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = text
  }
  return { status: res.status, json, ms: Date.now() - started }
}

/** The fields an object schema declares (zod v4: `shape`), through preprocessing pipes and unions. */
const fieldsOf = (schema: z.ZodType): string[] => {
  const def = (schema as unknown as { _zod: { def: { type: string; out?: z.ZodType; options?: z.ZodType[] } } })._zod
    .def
  if (def.type === 'pipe' && def.out) return fieldsOf(def.out)
  if (def.type === 'union' && def.options) return [...new Set(def.options.flatMap(fieldsOf))]
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape
  return shape ? Object.keys(shape) : []
}

const json = fc.jsonValue({ maxDepth: 4 })

/** Bodies for one schema: its own fields with values of any shape (some left out, some extra), and anything at all. */
const bodyFor = (schema: z.ZodType): fc.Arbitrary<unknown> => {
  const fields = fieldsOf(schema)
  const shaped = fields.length
    ? fc.dictionary(fc.constantFrom(...fields, 'extra'), json, { maxKeys: fields.length + 1 })
    : json
  return fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: json })
}

/** What no schema was written for: very deep, very long, very wide. */
const extreme: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1000, max: 50_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
  fc.integer({ min: 1000, max: 50_000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
  fc.integer({ min: 100_000, max: 2_000_000 }).map((n) => JSON.stringify({ workflows: 'x'.repeat(n) })),
  fc
    .integer({ min: 10_000, max: 200_000 })
    .map((n) => JSON.stringify({ items: Array.from({ length: n }, () => ({})) })),
  fc.constantFrom('{', 'null', '1e999', '"\\ud800"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}'),
)

/** A route's path with its parameters filled: the fuzzed context for a context's id, ids that exist nowhere else. */
const fill = (path: string, id = 'no-such-id'): string =>
  path.replace(/:(\w+)/g, (_m, name: string) =>
    name === 'id' && path.startsWith('/api/contexts') ? ctx : name === 'key' ? 'fuzz' : id,
  )

/** Every route of the table that reads a body or a query, with its own schema: a new route is fuzzed as it lands. */
interface FuzzedRoute {
  method: string
  path: () => string
  schema: z.ZodType
  query: boolean
}

/** The bridge's own routes and the Comfy API v2 ones (which refuse in that contract's envelope). */
const allRoutes = [...Object.values(routes), ...Object.values(v2Routes)]

const bodyRoutes = allRoutes.flatMap((r): FuzzedRoute[] =>
  'body' in r
    ? [{ method: r.method, path: () => fill(r.path), schema: r.body as z.ZodType, query: false }]
    : 'query' in r
      ? [{ method: r.method, path: () => fill(r.path), schema: r.query as z.ZodType, query: true }]
      : [],
)

/** Every route with an id or key in its path, GET or DELETE (they must not act on a missing one). */
const idRoutes = allRoutes
  .filter((r) => r.path.includes(':') && (r.method === 'GET' || r.method === 'DELETE'))
  .map((r) => ({ method: r.method, path: r.path }))

function expectWellAnswered(res: { status: number; json: unknown; ms: number }, what: string): void {
  expect(res.status, `${what} → ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`).toBeLessThan(500)
  if (res.status >= 400) {
    const error = (res.json as { error?: { type?: unknown; code?: unknown; message?: unknown } } | undefined)?.error
    // The stable code: `type` in the bridge's envelope, `code` in the Comfy API v2's.
    expect(typeof (/ \/api\/v2/.test(what) ? error?.code : error?.type), what).toBe('string')
    expect(typeof error?.message, what).toBe('string')
    expect(String(error?.message)).not.toContain(tmpdir())
  }
  expect(res.ms, what).toBeLessThan(10_000)
}

describe('every request is bounded (generated from the route schemas)', () => {
  it(
    `bodies of any shape on every route: 2xx or 4xx naming the problem, never 5xx (${RUNS} each, seed ${SEED})`,
    async () => {
      for (const route of bodyRoutes) {
        await fc.assert(
          fc.asyncProperty(bodyFor(route.schema), async (body) => {
            if (route.query) {
              const q =
                body && typeof body === 'object' && !Array.isArray(body)
                  ? new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString()
                  : `x=${encodeURIComponent(JSON.stringify(body))}`
              expectWellAnswered(
                await call(route.method, `${route.path()}?${q}`),
                `${route.method} ${route.path()}?${q}`,
              )
              return
            }
            // Server URLs are kept off the network: only loopback addresses that are not ComfyUI.
            const safe = JSON.parse(JSON.stringify(body ?? null).replace(/https?:\/\/[^"]*/g, 'http://127.0.0.1:9'))
            expectWellAnswered(
              await call(route.method, route.path(), safe),
              `${route.method} ${route.path()} ${JSON.stringify(safe).slice(0, 200)}`,
            )
          }),
          { numRuns: RUNS, seed: SEED },
        )
      }
    },
    10 * 60_000,
  )

  it(
    'extreme bodies (deep, long, wide, not JSON) on every route: 4xx, and the bridge stays healthy',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...bodyRoutes.filter((r) => !r.query)), extreme, async (route, raw) => {
          expectWellAnswered(
            await call(route.method, route.path(), undefined, raw),
            `${route.method} ${route.path()} <${raw.length} chars>`,
          )
        }),
        { numRuns: Math.max(20, Math.round(RUNS / 3)), seed: SEED },
      )
      const health = await call('GET', '/api/health')
      expect(health.status).toBe(200)
      expect(health.ms).toBeLessThan(1000)
    },
    10 * 60_000,
  )

  it(
    `ids and keys of any kind in the paths of ${idRoutes.length} routes: 4xx, never 5xx`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...idRoutes),
          fc.string({ maxLength: 300 }),
          fc.constantFrom('GET', 'DELETE'),
          async (route, id, method) => {
            // Each id and key is the generated string; the route's own method, or the other one (405, or another route).
            const path = route.path.replace(/:\w+/g, encodeURIComponent(id))
            expectWellAnswered(await call(method, path), `${method} ${path}`)
          },
        ),
        { numRuns: RUNS, seed: SEED },
      )
    },
    10 * 60_000,
  )

  it('/api/health answers at once while ComfyUI does not answer', async () => {
    comfy.chaos.http = () => ({ kind: 'hang' })
    try {
      const health = await call('GET', '/api/health')
      expect(health.status).toBe(200)
      expect(health.ms).toBeLessThan(1000)
    } finally {
      comfy.chaos.http = undefined
    }
  })
})

describe('the pool admits only ComfyUI', () => {
  let other: Server
  let answer: { status: number; body: string } = { status: 200, body: '{}' }
  beforeAll(async () => {
    other = createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': 'application/json' })
      res.end(answer.body)
    })
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
  })
  afterAll(async () => {
    other.closeAllConnections()
    await new Promise<void>((r) => other.close(() => r()))
  })

  it(
    `a server that answers anything but ComfyUI's system_stats is refused (422 not_comfyui), and credentials are never echoed (${RUNS}, seed ${SEED})`,
    async () => {
      const port = (other.address() as AddressInfo).port
      const looksLikeComfy = (status: number, body: unknown) =>
        status === 200 &&
        typeof body === 'object' &&
        body !== null &&
        !Array.isArray(body) &&
        typeof (body as { system?: unknown }).system === 'object' &&
        (body as { system?: unknown }).system !== null
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(200, 200, 200, 404, 500),
          fc.oneof(json, fc.record({ system: json, devices: json })),
          async (status, body) => {
            answer = { status, body: JSON.stringify(body) }
            const url = `http://admin:s3cret@127.0.0.1:${port}`
            const res = await call('POST', '/api/servers', { url, label: 'fuzzed' })
            expect(JSON.stringify(res.json)).not.toContain('s3cret')
            if (looksLikeComfy(status, body)) {
              expect(res.status).toBe(201)
              const list = await call('GET', '/api/servers')
              expect(JSON.stringify(list.json)).not.toContain('s3cret')
              expect((await call('DELETE', '/api/servers/fuzzed')).status).toBe(200)
            } else {
              expect(res.status).toBe(422)
              expect((res.json as { error: { type: string } }).error.type).toBe('not_comfyui')
            }
          },
        ),
        { numRuns: Math.max(20, Math.round(RUNS / 3)), seed: SEED },
      )
    },
    5 * 60_000,
  )

  it('removing the last server is refused (409), and the pool keeps it', async () => {
    const [only] = (await call('GET', '/api/servers')).json as Array<{ label: string }>
    const res = await call('DELETE', `/api/servers/${encodeURIComponent(only!.label)}`)
    expect(res.status).toBe(409)
    expect((res.json as { error: { type: string } }).error.type).toBe('last_server')
    expect(((await call('GET', '/api/servers')).json as unknown[]).length).toBe(1)
  })

  it('a run whose server fails before its prompt is queued goes to another server, and runs once', async () => {
    const broken = await startComfyStandIn()
    const good = await startComfyStandIn()
    const pooled = await startBridge({
      port: 0,
      comfyUrl: broken.url,
      servers: [{ url: good.url }],
      root: mkdtempSync(join(tmpdir(), 'routes-retry-')),
      log: () => {},
    })
    try {
      // The first server stops answering HTTP (its socket stays up): compiling there fails before anything is queued.
      broken.chaos.http = () => ({ kind: 'reset' })
      const value = `once ${Math.random()}`
      const res = await fetch(`${pooled.url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          workflows: [
            {
              name: 'once.json',
              workflow: {
                '1': { class_type: 'PrimitiveString', inputs: { value } },
                '2': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['1', 0] } },
              },
            },
          ],
        }),
      })
      const { id } = (await res.json()) as { id: string }
      let run = { status: 'queued' }
      for (let i = 0; i < 200 && ['queued', 'running'].includes(run.status); i++) {
        await new Promise((r) => setTimeout(r, 50))
        run = (await (await fetch(`${pooled.url}/api/runs/${id}`)).json()) as { status: string }
      }
      expect(run.status, JSON.stringify(run)).toBe('succeeded')
      expect(good.executor.history.size).toBe(1)
      expect(broken.executor.history.size).toBe(0)
    } finally {
      await pooled.close()
      await broken.close()
      await good.close()
    }
  }, 30_000)
})
