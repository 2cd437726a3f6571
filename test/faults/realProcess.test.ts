/**
 * The three named examples of docs/FAULTS.md on real processes: a
 * `discomfort bridge` process in front of a stand-in ComfyUI process, and a
 * real full disk (a 3 MB tmpfs the bridge process sees alone: mounted in a
 * mount namespace of its own with `unshare`, so no root is needed).
 */
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { freePort } from '../helpers/net.js'
import { BIN } from '../helpers/cli.js'
import { bridgeProcess, killAll, standIn, started, until } from '../helpers/processes.js'

afterEach(() => killAll())

async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T }
}

const note = (value: string) => ({
  name: 'note.json',
  workflow: {
    '1': { class_type: 'PrimitiveString', inputs: { value } },
    '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 5, step_ms: 60 } },
    '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'note', input_data: ['2', 0] } },
  },
})

async function setUp(more: string[] = [], root?: string): Promise<{ comfy: string; bridge: string }> {
  const comfy = await standIn(0, ['--test-hooks'])
  const port = await freePort()
  await bridgeProcess(root ?? mkdtempSync(join(tmpdir(), 'real-faults-')), [comfy], port, more)
  return { comfy, bridge: `http://127.0.0.1:${port}` }
}

const finalRun = (bridge: string, id: string) =>
  until(
    `run ${id} to end`,
    async () => (await call<{ status: string; error?: { message: string } }>(bridge, 'GET', `/api/runs/${id}`)).body,
    (r) => r.status !== 'queued' && r.status !== 'running',
    15_000,
  )

describe('the named faults, on real processes', () => {
  it('a custom node sending send_sync("my-event", None) (and any other frame) does not end the bridge, nor its run', async () => {
    const { comfy, bridge } = await setUp()
    const run = await call<{ id: string }>(bridge, 'POST', '/api/runs', { workflows: [note('still here')] })
    for (const frame of ['{"type":"my-event","data":null}', 'null', '{"type":"executing","data":{"node":7}}', '[]'])
      await fetch(`${comfy}/__stand-in/frame`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: frame,
      })
    await fetch(`${comfy}/__stand-in/frame`, {
      method: 'POST',
      body: new Uint8Array([0, 0, 0, 4, 255, 255, 255, 255, 1]),
    })
    const done = await finalRun(bridge, run.body.id)
    expect(done.status).toBe('succeeded')
    expect((await call(bridge, 'GET', '/api/health')).body).toMatchObject({ ok: true, comfy: { reachable: true } })
  }, 30_000)

  it('"Clear queue" on the page ends a waiting run at once (removed by another client), frees its slot, and cancel leaves it so', async () => {
    const { comfy, bridge } = await setUp()
    // The page's own long prompt runs first; the bridge's waits behind it.
    await fetch(`${comfy}/prompt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'the-page',
        prompt: {
          '1': { class_type: 'PrimitiveString', inputs: { value: 'page' } },
          '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 50, step_ms: 100 } },
          '3': { class_type: 'PreviewAny', inputs: { source: ['2', 0] } },
        },
      }),
    })
    const run = await call<{ id: string }>(bridge, 'POST', '/api/runs', { workflows: [note('waits')] })
    await until(
      'the run to wait in ComfyUI',
      async () => (await call<{ queue_pending: unknown[] }>(comfy, 'GET', '/queue')).body,
      (q) => q.queue_pending.length === 1,
    )
    const clearedAt = Date.now()
    await call(comfy, 'POST', '/queue', { clear: true })
    const ended = await finalRun(bridge, run.body.id)
    expect(Date.now() - clearedAt).toBeLessThan(2500)
    expect(ended.status).toBe('cancelled')
    expect(ended.error?.message).toMatch(/removed from ComfyUI's queue by another client/)
    const servers = (await call<Array<{ inflight: number }>>(bridge, 'GET', '/api/servers')).body
    expect(servers.map((s) => s.inflight)).toEqual([0])
    await call(bridge, 'POST', `/api/runs/${run.body.id}/cancel`)
    expect((await finalRun(bridge, run.body.id)).status).toBe('cancelled')
    // And the bridge runs again at once.
    await call(comfy, 'POST', '/interrupt', {})
    const again = await call<{ id: string }>(bridge, 'POST', '/api/runs', { workflows: [note('again')] })
    expect((await finalRun(bridge, again.body.id)).status).toBe('succeeded')
  }, 40_000)

  it('the disk fills while an ephemeral context spills from RAM: every value acknowledged with 200 stays readable', async () => {
    const disk = mkdtempSync(join(tmpdir(), 'full-disk-'))
    const comfy = await standIn(0)
    const port = await freePort()
    const bridge = `http://127.0.0.1:${port}`
    // The bridge alone sees a 3 MB disk over its home: a tmpfs in a mount namespace of its own.
    const command = `mount -t tmpfs -o size=3m tmpfs '${disk}' && mkdir '${disk}/home' && exec '${process.execPath}' '${BIN}' bridge --port ${port} --root '${disk}/home' --comfy ${comfy} --ram-mb 1`
    const child = spawn('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', command], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    await started(child, /listening on/, 'stderr')
    const ctx = (await call<{ id: string }>(bridge, 'POST', '/api/contexts', { name: 'spills' })).body.id
    const acknowledged = new Map<string, string>()
    const refused: Array<{ status: number; body: { error: { type: string; message: string } } }> = []
    // 24 values of 300 KB: 1 MB stays in RAM, the rest spills until the 3 MB disk is full.
    for (let i = 0; i < 24; i++) {
      const text = String.fromCharCode(97 + (i % 26)).repeat(300 * 1024)
      const res = await call<{ error: { type: string; message: string } }>(
        bridge,
        'PUT',
        `/api/contexts/${ctx}/values/v${i}`,
        { value: text },
      )
      if (res.status === 200) acknowledged.set(`v${i}`, text)
      else refused.push(res)
    }
    expect(acknowledged.size).toBeGreaterThan(0)
    // The disk did fill: what could not spill stayed in RAM, past the 1 MB the context may hold there.
    const usage = (await call<{ ram_usage_bytes: number }>(bridge, 'GET', `/api/contexts/${ctx}/usage`)).body
    expect(usage.ram_usage_bytes).toBeGreaterThan(1024 * 1024)
    for (const r of refused) {
      expect(r.status).toBe(507)
      expect(r.body.error.type).toBe('storage_full')
      expect(r.body.error.message).not.toContain(disk)
    }
    for (const [key, text] of acknowledged) {
      const back = await call<{ value: { value: string } }>(bridge, 'GET', `/api/contexts/${ctx}/values/${key}`)
      expect(back.status, key).toBe(200)
      expect(back.body.value.value === text, key).toBe(true)
    }
    expect((await call(bridge, 'GET', '/api/health')).body).toMatchObject({ ok: true })
  }, 60_000)

  it('SIGTERM stops the bridge within a bounded time while clients follow streams, and its open run is then final', async () => {
    const comfy = await standIn(0, ['--test-hooks'])
    const port = await freePort()
    const root = mkdtempSync(join(tmpdir(), 'real-faults-'))
    const child = await bridgeProcess(root, [comfy], port)
    const bridge = `http://127.0.0.1:${port}`
    const slow = {
      name: 'slow.json',
      workflow: {
        '1': { class_type: 'PrimitiveString', inputs: { value: 'slow' } },
        '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps: 100, step_ms: 100 } },
        '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'note', input_data: ['2', 0] } },
      },
    }
    const run = await call<{ id: string }>(bridge, 'POST', '/api/runs', { workflows: [slow] })
    // Followers: the run's event stream, and the page's WebSocket.
    const events = await fetch(`${bridge}/api/runs/${run.body.id}/events`)
    const reader = events.body!.getReader()
    void (async () => {
      for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return
    })()
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`)
    await new Promise((r) => ws.once('open', r))
    await new Promise((r) => setTimeout(r, 300))
    const stoppingAt = Date.now()
    child.kill('SIGTERM')
    const code = await new Promise<number | null>((r) => child.once('exit', r))
    expect(Date.now() - stoppingAt).toBeLessThan(5000)
    expect(code).toBe(0)
    ws.terminate()
    // Started again on the same home: the run cut short is in the history, final, saying why.
    await bridgeProcess(root, [comfy], port)
    const after = await finalRun(bridge, run.body.id)
    expect(['failed', 'cancelled']).toContain(after.status)
    expect(after.error?.message).toMatch(/bridge/i)
  }, 40_000)

  it('discomfort sweep and run follow a bridge that is killed and started again: the sweep finishes with every file, the run ends saying why', async () => {
    const comfy = await standIn(300)
    const port = await freePort()
    const root = mkdtempSync(join(tmpdir(), 'real-faults-'))
    let child = await bridgeProcess(root, [comfy], port)
    const bridge = `http://127.0.0.1:${port}`
    const wf = join(root, 'concat.json')
    writeFileSync(
      wf,
      JSON.stringify({
        '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'text' } },
        '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
        '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['2', 0] } },
      }),
    )
    const out = join(root, 'out')
    const cli = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, [BIN, ...args, '--bridge', bridge], (e, stdout, stderr) =>
          resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      )
    const sweeping = cli(['sweep', wf, '--vary', 'text=a,b,c,d,e,f', '--concurrency', '1', '--out', out])
    const running = cli(['run', wf, '-i', 'text=lost'])
    // Once the sweep is under way, the bridge is killed, then started again on the same home.
    await until(
      'two items done',
      async () => (await call<Array<{ done: number }>>(bridge, 'GET', '/api/sweeps')).body,
      (v) => v.length > 0 && v[0]!.done >= 2,
      20_000,
    )
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    await new Promise((r) => setTimeout(r, 500))
    child = await bridgeProcess(root, [comfy], port)
    const swept = await sweeping
    expect(swept.code, swept.stderr).toBe(0)
    expect(JSON.parse(swept.stdout)).toMatchObject({ done: 6, failed: 0 })
    const dirs = readdirSync(out).filter((f) => /^\d+$/.test(f))
    expect(dirs).toHaveLength(6)
    const manifest = readFileSync(join(out, 'manifest.jsonl'), 'utf8').trim().split('\n')
    expect(manifest).toHaveLength(6)
    const ran = await running
    // The run was cut short by the kill (or had finished before it): either way a definite answer, never a stream error.
    if (ran.code !== 0) expect(ran.stderr).toMatch(/bridge .*stopped while this run was queued or running/)
    else expect(ran.stdout).toContain('out: "lost!"')
  }, 90_000)
})
