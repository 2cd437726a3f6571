/**
 * Sweep figures, with stand-in ComfyUIs as their own processes that take a
 * fixed time per prompt (so the bench process holds only the bridge and its
 * client, and its CPU time is the bridge's):
 *
 * - 1,000 items on 8 servers at 100 ms a prompt: wall time against the ideal
 *   12.5 s, and bridge CPU per item (outputs to files, the default); the same sweep shape on 1, 2, 4, 8 and
 *   16 servers (200 items below 8 servers, to keep the bench short).
 * - 2 of 8 servers SIGKILLed mid-sweep: items committed (once each).
 * - The bridge SIGKILLed mid-sweep and started again: items lost, items
 *   committed twice.
 * - Affinity: 4 models × 250 items on 4 servers, model loads with affinity
 *   and with the pool told to ignore it (least loaded only, which with one
 *   slot per server takes items in turn, as round-robin does).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
// The bridge as built (what `npx discomfort` runs), not through the TypeScript loader.
import { startBridge } from '../dist/bridge/bridge.js'
import type { EntryMeta, SweepEvent, SweepView } from '../shared/protocol/index.js'
import { readSse } from '../bridge/client/sse.js'
import { freePort } from '../test/helpers/net.js'
import { startComfyStandIn } from '../test/comfyStandIn/server.js'
import { CONCAT as concat } from '../test/helpers/prompts.js'
import { bridgeProcess } from '../test/helpers/processes.js'
import { BIN } from '../test/helpers/cli.js'
import { promisify } from 'node:util'

const MAIN = resolve(import.meta.dirname, '../test/comfyStandIn/main.ts')
const DIRECT = resolve(import.meta.dirname, 'directSweep.mjs')

function until(child: ChildProcess, pattern: RegExp, stream: 'stdout' | 'stderr'): Promise<void> {
  return new Promise((r, reject) => {
    let seen = ''
    child[stream]!.on('data', (d) => {
      seen += String(d)
      if (pattern.test(seen)) r()
    })
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen.slice(-400)}`)))
  })
}

async function standIns(n: number, promptDelayMs: number): Promise<Array<{ url: string; child: ChildProcess }>> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const port = await freePort()
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', MAIN, '--port', String(port), '--prompt-delay-ms', String(promptDelayMs)],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      )
      await until(child, /listening/, 'stdout')
      return { url: `http://127.0.0.1:${port}`, child }
    }),
  )
}

const post = async (url: string, body: unknown): Promise<SweepView> =>
  (await (
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  ).json()) as SweepView
const get = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T

/**
 * Follow a sweep to its end as a client does (its event stream, finished items only), so the bridge's
 * CPU is not a poller's; `onDone` hears the count of items done. A dropped stream (a killed bridge) is
 * followed again.
 */
async function finished(bridgeUrl: string, id: string, onDone?: (done: number) => void): Promise<SweepView> {
  const done = new Set<number>()
  for (;;) {
    try {
      const res = await fetch(`${bridgeUrl}/api/sweeps/${id}/events?finished=1`)
      for await (const m of readSse(res.body as unknown as AsyncIterable<Uint8Array>)) {
        const e = JSON.parse(m.data) as SweepEvent
        if (e.type === 'sweep') {
          if (e.sweep.status !== 'running') return e.sweep
        } else if (e.item.status === 'done' && !done.has(e.item.index)) {
          done.add(e.item.index)
          onDone?.(done.size)
        }
      }
    } catch {
      // the bridge went away: come back once it answers again
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

const items = (n: number) => ({ vary: { text: Array.from({ length: n }, (_, i) => `t${i}`) } })

/** One sweep on `servers` stand-ins, bridge in this process: wall time and this process's CPU per item. */
async function throughput(servers: number, n: number, promptMs: number, kill = 0, commitToContext = false) {
  const comfy = await standIns(servers, promptMs)
  const bridge = await startBridge({
    port: 0,
    comfyUrl: comfy[0]!.url,
    servers: comfy.slice(1).map((c) => ({ url: c.url })),
    root: mkdtempSync(join(tmpdir(), 'bench-sweep-')),
  })
  try {
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const sweep = await post(`${bridge.url}/api/sweeps`, {
      workflows: [concat],
      ...items(n),
      ...(commitToContext ? { commitToContext: true } : {}),
    })
    let killed = false
    const end = await finished(bridge.url, sweep.id, (done) => {
      if (kill && !killed && done >= n * 0.3) {
        killed = true
        for (const c of comfy.slice(-kill)) c.child.kill('SIGKILL')
      }
    })
    const ms = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const entries = (await get<{ entries: EntryMeta[] }>(`${bridge.url}/api/contexts/${end.contextId}`)).entries
    const writes = Math.max(0, ...entries.map((e) => e.version))
    return { ms, cpuPerItemMs: (cpu.user + cpu.system) / 1000 / n, end, writes }
  } finally {
    await bridge.close()
    for (const c of comfy) c.child.kill('SIGKILL')
  }
}

/** A command's wall time and the CPU time (user + system) of everything it ran, read from the shell's `times`. */
async function timed(argv: string[]): Promise<{ ms: number; cpuMs: number }> {
  const t0 = performance.now()
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
  const { stdout } = await promisify(execFile)('bash', ['-c', `${quoted} >/dev/null 2>&1; times`], {
    maxBuffer: 1 << 20,
  })
  const ms = performance.now() - t0
  // `times`: the shell's own user and system time, then its children's ("0m1.234s 0m0.056s").
  const children = stdout.trim().split('\n')[1] ?? ''
  const cpuMs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (t, m) => t + (Number(m[1]) * 60 + Number(m[2])) * 1000,
    0,
  )
  return { ms, cpuMs }
}

/**
 * The sweep as a user runs it: `discomfort sweep` (a process) against a bridge, its outputs written to a
 * folder, beside a script that does the same on ComfyUI's API directly. CPU of the bridge (this process)
 * and of the CLI process, against the direct script's process.
 */
async function asProcesses(servers: number, n: number, promptMs: number) {
  const comfy = await standIns(servers, promptMs)
  const root = mkdtempSync(join(tmpdir(), 'bench-sweep-cli-'))
  const bridge = await startBridge({
    port: 0,
    comfyUrl: comfy[0]!.url,
    servers: comfy.slice(1).map((c) => ({ url: c.url })),
    root: join(root, 'home'),
    log: () => {},
  })
  try {
    const workflow = join(root, 'concat.json')
    writeFileSync(workflow, JSON.stringify(concat.workflow))
    const itemsFile = join(root, 'items.json')
    writeFileSync(itemsFile, JSON.stringify(Array.from({ length: n }, (_, i) => ({ text: `t${i}` }))))
    const cpu0 = process.cpuUsage()
    const cli = await timed([
      process.execPath,
      BIN,
      'sweep',
      workflow,
      '--items',
      itemsFile,
      '--bridge',
      bridge.url,
      '--out',
      join(root, 'cli-out'),
    ])
    const bridgeCpu = process.cpuUsage(cpu0)
    const cliFiles = readdirSync(join(root, 'cli-out'), { recursive: true }).length
    const direct = await timed([
      process.execPath,
      DIRECT,
      join(root, 'direct-out'),
      String(n),
      ...comfy.map((c) => c.url),
    ])
    const directFiles = readdirSync(join(root, 'direct-out')).length
    return {
      cli,
      bridgeCpuMs: (bridgeCpu.user + bridgeCpu.system) / 1000,
      direct,
      cliFiles,
      directFiles,
    }
  } finally {
    await bridge.close()
    for (const c of comfy) c.child.kill('SIGKILL')
  }
}

/** The bridge as its own process, SIGKILLed at 30 % and started again on the same home. */
async function bridgeCrash(n: number, promptMs: number) {
  const comfy = await standIns(8, promptMs)
  const home = mkdtempSync(join(tmpdir(), 'bench-crash-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const start = () =>
    bridgeProcess(
      home,
      comfy.map((c) => c.url),
      port,
    )
  let bridge = await start()
  try {
    const sweep = await post(`${url}/api/sweeps`, { workflows: [concat], ...items(n), commitToContext: true })
    for (;;) {
      const v = await get<SweepView>(`${url}/api/sweeps/${sweep.id}`)
      if (v.done >= n * 0.3) break
      await new Promise((r) => setTimeout(r, 20))
    }
    bridge.kill('SIGKILL')
    await new Promise((r) => bridge.once('exit', r))
    bridge = await start()
    const end = await finished(url, sweep.id)
    const entries = (await get<{ entries: EntryMeta[] }>(`${url}/api/contexts/${end.contextId}`)).entries
    const manifest = readFileSync(join(end.folder, 'manifest.jsonl'), 'utf8').trim().split('\n')
    return {
      lost: n - end.done,
      writes: Math.max(0, ...entries.map((e) => e.version)),
      manifestLines: manifest.length,
      end,
    }
  } finally {
    bridge.kill('SIGKILL')
    for (const c of comfy) c.child.kill('SIGKILL')
  }
}

/** 4 models × 250 items (interleaved) on 4 in-process stand-ins: model loads with affinity, and without. */
async function modelLoads(affinity: boolean): Promise<number> {
  const models = ['m-a', 'm-b', 'm-c', 'm-d']
  const run = {
    name: 'model.json',
    workflow: {
      '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'model_name' } },
      '2': { class_type: 'DiscomfortTestModelLoader', inputs: { model_name: ['1', 0] } },
      '3': { class_type: 'EmptyImage', inputs: { width: 4, height: 4, batch_size: 1, color: 0 } },
      '4': { class_type: 'DiscomfortTestModelApply', inputs: { model: ['2', 0], image: ['3', 0], strength: 0.5 } },
      '5': { class_type: 'DiscomfortPort', inputs: { unique_id: 'image', input_data: ['4', 0] } },
    },
  }
  const comfy = await Promise.all(models.map(() => startComfyStandIn({ promptDelayMs: 5 })))
  const bridge = await startBridge({
    port: 0,
    comfyUrl: comfy[0]!.url,
    servers: comfy.slice(1).map((c) => ({ url: c.url })),
    root: mkdtempSync(join(tmpdir(), 'bench-affinity-')),
    affinity,
  })
  try {
    const sweep = await post(`${bridge.url}/api/sweeps`, {
      workflows: [run],
      items: Array.from({ length: 1000 }, (_, i) => ({ model_name: models[i % 4]! })),
    })
    await finished(bridge.url, sweep.id)
    return comfy.reduce((n, c) => n + c.modelLoads, 0)
  } finally {
    await bridge.close()
    for (const c of comfy) await c.close()
  }
}

export async function sweepBench(row: (k: string, v: string) => void): Promise<void> {
  const main = await throughput(8, 1000, 100)
  row(
    'sweep 1,000 items, 8 servers, 100 ms/prompt',
    `${(main.ms / 1000).toFixed(2)} s (ideal 12.5 s: ${(main.ms / 12_500).toFixed(3)}×); bridge CPU ${main.cpuPerItemMs.toFixed(2)} ms/item`,
  )
  for (const servers of [1, 2, 4, 16]) {
    const n = servers < 8 ? 200 : 1000
    const r = await throughput(servers, n, 100)
    const ideal = (n * 100) / servers
    row(
      `sweep ${n} items, ${servers} server(s), 100 ms/prompt`,
      `${(r.ms / 1000).toFixed(2)} s (${(r.ms / ideal).toFixed(3)}× ideal); bridge CPU ${r.cpuPerItemMs.toFixed(2)} ms/item`,
    )
  }
  {
    const n = 1000
    const r = await asProcesses(8, n, 100)
    const ours = (r.cli.cpuMs + r.bridgeCpuMs) / n
    const direct = r.direct.cpuMs / n
    row(
      'sweep 1,000 items, 8 servers, 100 ms/prompt, as processes: `discomfort sweep` + its bridge',
      `${(r.cli.ms / 1000).toFixed(2)} s (${(r.cli.ms / 12_500).toFixed(3)}× ideal); CPU ${ours.toFixed(2)} ms/item (bridge ${(r.bridgeCpuMs / n).toFixed(2)}, CLI ${(r.cli.cpuMs / n).toFixed(2)}); ${r.cliFiles} files`,
    )
    row(
      '  the same, a script on the ComfyUI API directly',
      `${(r.direct.ms / 1000).toFixed(2)} s (${(r.direct.ms / 12_500).toFixed(3)}× ideal); CPU ${direct.toFixed(2)} ms/item; ${r.directFiles} files: Discomfort ${(ours / direct).toFixed(2)}× its CPU, ${(r.cli.ms / r.direct.ms).toFixed(3)}× its wall time`,
    )
  }
  const killed = await throughput(8, 1000, 100, 2, true)
  row(
    'sweep 1,000 items, 2 of 8 servers killed at 30 %',
    `${killed.end.done}/1000 done, ${killed.writes} master writes (once each), ${(killed.ms / 1000).toFixed(1)} s`,
  )
  const crash = await bridgeCrash(1000, 100)
  row(
    'sweep 1,000 items, bridge SIGKILLed at 30 % and restarted',
    `${crash.lost} lost, ${crash.writes - 1000} committed twice (${crash.writes} master writes, ${crash.manifestLines} manifest lines)`,
  )
  row(
    'affinity: 4 models × 250 items (interleaved), 4 servers',
    `${await modelLoads(true)} model loads with affinity; ${await modelLoads(false)} without (least loaded only)`,
  )
}
