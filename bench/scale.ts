/**
 * The context store at size, over HTTP, against a bare Node HTTP server that
 * keeps the same data in Maps (the anchor: what a store with no durability,
 * no receipts and no capacity costs), contenders taking turns:
 *
 * - PUTs of small values into one context, 8 clients on keep-alive
 *   connections: the rate at each decade of keys held (1k → 10k → 100k),
 *   and how the last window compares with the first;
 * - 10,000 contexts created, the memory and files each costs, and the time
 *   the bridge then takes to stop.
 *
 * `npm run bench` runs it; `node --expose-gc --import tsx bench/scale.ts [keys] [contexts]`
 * alone (heap per context is measured only with --expose-gc).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// The bridge as built (what `npx discomfort` runs), not through the TypeScript loader.
import { startBridge } from '../dist/bridge/bridge.js'
import { startComfyStandIn } from '../test/comfyStandIn/server.js'

const agent = new Agent({ keepAlive: true, maxSockets: 8 })

function send(url: string, method: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** A bare server: contexts and values in Maps, JSON in and out. */
async function bareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const contexts = new Map<string, Map<string, unknown>>()
  let next = 0
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const parts = (req.url ?? '').split('/')
      if (req.method === 'POST' && parts[2] === 'contexts' && parts.length === 3) {
        const id = `ctx-${next++}`
        contexts.set(id, new Map())
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }))
        return
      }
      const ctx = contexts.get(parts[3] ?? '')
      if (!ctx) {
        res.writeHead(404).end()
        return
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value: unknown }
      ctx.set(parts[5] ?? '', body.value)
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ key: parts[5], version: ctx.size }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

async function createContext(base: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/contexts`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': 2 } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id))
      },
    )
    req.on('error', reject)
    req.end('{}')
  })
}

/** PUTs of keys [from, to) by 8 clients; the rate (PUTs/s). */
async function putRange(base: string, ctx: string, from: number, to: number): Promise<number> {
  let nextKey = from
  const start = performance.now()
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let k = nextKey++; k < to; k = nextKey++) {
        const status = await send(`${base}/api/contexts/${ctx}/values/k${k}`, 'PUT', `{"value":"value ${k}"}`)
        if (status !== 200) throw new Error(`PUT k${k}: ${status}`)
      }
    }),
  )
  return (to - from) / ((performance.now() - start) / 1000)
}

export async function scaleBench(
  row: (k: string, v: string) => void,
  keys = 100_000,
  contexts = 10_000,
): Promise<void> {
  const comfy = await startComfyStandIn()
  const root = mkdtempSync(join(tmpdir(), 'discomfort-bench-scale-'))
  const bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root, log: () => {} })
  const bare = await bareServer()
  const contenders = [
    { name: 'bridge', base: bridge.url },
    { name: 'bare', base: bare.url },
  ]
  // One context each; keys in windows of 1,000 at each decade, the contenders taking turns.
  const ctxs = await Promise.all(contenders.map((c) => createContext(c.base)))
  // Warm-up (the JIT, the connection pool) in contexts of their own, so the first window is not the slowest for that.
  for (const c of contenders) await putRange(c.base, await createContext(c.base), 0, 2000)
  const checkpoints = [1_000, 10_000, 100_000].filter((n) => n <= keys)
  let held = 0
  const rates: Record<string, number[]> = { bridge: [], bare: [] }
  for (const at of checkpoints) {
    // Fill up to the checkpoint, then time a window of 1,000 more, each contender in turn.
    for (const [i, c] of contenders.entries()) await putRange(c.base, ctxs[i]!, held, at - 1000)
    for (const [i, c] of contenders.entries()) rates[c.name]!.push(await putRange(c.base, ctxs[i]!, at - 1000, at))
    held = at
  }
  for (const [i, at] of checkpoints.entries()) {
    const b = rates.bridge![i]!
    const a = rates.bare![i]!
    row(
      `PUT into one context holding ${at.toLocaleString('en')} keys`,
      `${b.toFixed(0)}/s vs bare server ${a.toFixed(0)}/s: ${(b / a).toFixed(2)}× the bare rate`,
    )
  }
  const first = rates.bridge![0]!
  const last = rates.bridge![rates.bridge!.length - 1]!
  row('PUT rate, first window / last window', `${(first / last).toFixed(2)} (1.00: no slower with size)`)

  // Many contexts: time, memory and files each.
  global.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const start = performance.now()
  for (let i = 0; i < contexts; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, contexts - i) }, () => createContext(bridge.url)))
  const seconds = (performance.now() - start) / 1000
  global.gc?.()
  const perContext = (process.memoryUsage().heapUsed - heapBefore) / contexts
  const bareStart = performance.now()
  for (let i = 0; i < contexts; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, contexts - i) }, () => createContext(bare.url)))
  const bareSeconds = (performance.now() - bareStart) / 1000
  const files = readdirSync(join(root, 'contexts'), { recursive: true }).length
  row(
    `${contexts.toLocaleString('en')} contexts created`,
    `${seconds.toFixed(2)} s (bare ${bareSeconds.toFixed(2)} s: ${(seconds / bareSeconds).toFixed(1)}×); ~${(perContext / 1024).toFixed(1)} KB heap and ${(files / contexts).toFixed(1)} files each`,
  )
  const stopStart = performance.now()
  await bridge.close()
  row(
    `bridge stop with ${contexts.toLocaleString('en')} contexts`,
    `${((performance.now() - stopStart) / 1000).toFixed(2)} s`,
  )
  await bare.close()
  await comfy.close()
  agent.destroy()
  rmSync(root, { recursive: true, force: true })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const keys = Number(process.argv[2] ?? 100_000)
  const contexts = Number(process.argv[3] ?? 10_000)
  const rows: Array<[string, string]> = []
  await scaleBench((k, v) => rows.push([k, v]), keys, contexts)
  const width = Math.max(...rows.map(([k]) => k.length))
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)
}
