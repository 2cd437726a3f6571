/**
 * The bridge as its own process, treated roughly: SIGKILLed in the middle of
 * durable writes (every acknowledged save must come back intact, and nothing
 * half-written is left), and a short load run (no errors, no fd growth,
 * bounded memory growth). Loopback only; every loop is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { BIN } from '../helpers/cli.js'
import { COMFY_FIXTURES } from '../helpers/fixtures.js'
import { freePort } from '../helpers/net.js'

let comfy: ComfyStandIn
const PNG = readFileSync(join(COMFY_FIXTURES, 'saveimage_64x48_inverted_red.png'))

beforeAll(async () => {
  comfy = await startComfyStandIn()
})
afterAll(async () => {
  await comfy.close()
})

async function bridgeProcess(root: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'bridge', '--port', String(port), '--root', root, '--comfy', comfy.url], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let log = ''
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      log += String(d)
      if (log.includes('listening')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`bridge exited ${code}: ${log}`)))
  })
  return { child, url: `http://127.0.0.1:${port}` }
}

const readlinkSafe = (path: string) => {
  try {
    return readlinkSync(path)
  } catch {
    return ''
  }
}

const killed = (child: ChildProcess) =>
  new Promise((r) => {
    child.on('exit', r)
    child.kill('SIGKILL')
  })

describe('SIGKILL during durable writes', () => {
  it('every acknowledged save is present and intact after a restart, over 5 rounds; no temp or orphan files stay', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bridge-crash-'))
    const port = await freePort()
    const acknowledged = new Map<string, { text?: string; png?: boolean }>()
    let b = await bridgeProcess(root, port)
    expect(
      (
        await fetch(`${b.url}/api/contexts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'kept', durable: true }),
        })
      ).status,
    ).toBe(201)
    for (let round = 0; round < 5; round++) {
      let stop = false
      const writer = async (w: number) => {
        for (let i = 0; !stop && i < 400; i++) {
          const key = `r${round}w${w}i${i}`
          const image = i % 3 === 0
          const init: RequestInit = image
            ? { method: 'PUT', headers: { 'content-type': 'image/png' }, body: PNG }
            : {
                method: 'PUT',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ value: `${key}:${'x'.repeat(i * 50)}` }),
              }
          try {
            const res = await fetch(`${b.url}/api/contexts/kept/values/${key}`, init)
            if (res.status === 200)
              acknowledged.set(key, image ? { png: true } : { text: `${key}:${'x'.repeat(i * 50)}` })
          } catch {
            return // the bridge died under this request: not acknowledged
          }
        }
      }
      const writers = Promise.all([0, 1, 2, 3].map(writer))
      await new Promise((r) => setTimeout(r, 150 + round * 60))
      await killed(b.child)
      stop = true
      await writers
      b = await bridgeProcess(root, port)
      for (const [key, want] of acknowledged) {
        const res = await fetch(`${b.url}/api/contexts/kept/values/${key}?format=raw`)
        expect(res.status, key).toBe(200)
        const body = Buffer.from(await res.arrayBuffer())
        if (want.png) expect(body.equals(PNG), key).toBe(true)
        else expect(JSON.parse(body.toString()), key).toBe(want.text)
      }
    }
    expect(acknowledged.size).toBeGreaterThan(20)
    const dir = join(root, 'contexts', 'kept')
    const files = [...readdirSync(dir), ...readdirSync(join(dir, 'values'))]
    expect(
      files.filter((f) => f.endsWith('.tmp')),
      dir,
    ).toEqual([])
    const receipts = JSON.parse(readFileSync(join(dir, 'receipts.json'), 'utf8')) as {
      entries: Record<string, { file?: string }>
    }
    const referenced = new Set(Object.values(receipts.entries).map((e) => e.file))
    expect(readdirSync(join(dir, 'values')).filter((f) => !referenced.has(f))).toEqual([])
    await killed(b.child)
  }, 120_000)
})

describe('a short load run', () => {
  it('2,000 mixed requests, 20 at a time: no error, no fd growth, bounded memory growth', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bridge-load-'))
    const b = await bridgeProcess(root, await freePort())
    const pid = b.child.pid!
    // Files, pipes and the like: a leak shows here. Sockets come and go with the clients' keep-alive pool.
    const fds = () =>
      readdirSync(`/proc/${pid}/fd`).filter((fd) => !readlinkSafe(`/proc/${pid}/fd/${fd}`).startsWith('socket:')).length
    const sockets = () =>
      readdirSync(`/proc/${pid}/fd`).filter((fd) => readlinkSafe(`/proc/${pid}/fd/${fd}`).startsWith('socket:')).length
    const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
    await fetch(`${b.url}/api/contexts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'load' }),
    })
    await new Promise((r) => setTimeout(r, 6000)) // that request's keep-alive connection closes
    const idleSockets = sockets()
    const request = async (i: number) => {
      switch (i % 4) {
        case 0:
          return fetch(`${b.url}/api/health`)
        case 1:
          return fetch(`${b.url}/api/contexts/load/values/k${i % 50}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ value: i }),
          })
        case 2:
          return fetch(`${b.url}/api/contexts/load/values/img${i % 10}`, {
            method: 'PUT',
            headers: { 'content-type': 'image/png' },
            body: PNG,
          })
        default:
          return fetch(`${b.url}/api/contexts/load`)
      }
    }
    const batch = async (from: number, to: number) => {
      const statuses: number[] = []
      for (let i = from; i < to; i += 20) {
        const answers = await Promise.all(Array.from({ length: Math.min(20, to - i) }, (_, j) => request(i + j)))
        for (const a of answers) {
          statuses.push(a.status)
          await a.arrayBuffer()
        }
      }
      return statuses
    }
    await batch(0, 200) // warm up
    const fdsBefore = fds()
    const rssBefore = rssMb()
    const statuses = await batch(200, 2200)
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    await new Promise((r) => setTimeout(r, 200))
    expect(fds() - fdsBefore).toBeLessThanOrEqual(1)
    // Once the keep-alive connections (clients', and the bridge's own to ComfyUI) time out, the sockets are back to idle.
    for (let i = 0; i < 100 && sockets() > idleSockets; i++) await new Promise((r) => setTimeout(r, 100))
    expect(sockets()).toBeLessThanOrEqual(idleSockets)
    expect(rssMb() - rssBefore).toBeLessThan(150)
    await killed(b.child)
  }, 120_000)
})
