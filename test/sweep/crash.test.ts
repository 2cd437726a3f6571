/**
 * Sweeps as real processes: two stand-in ComfyUIs and a bridge started by the
 * `discomfort` command. The bridge is SIGKILLed mid-sweep and started again
 * on the same home: it resumes on its own, nothing is lost, nothing is
 * committed twice (the master, written only by this sweep, saw exactly one
 * write per item; the manifest has each item once). The CLI follows a sweep, writes the files and
 * a manifest, and --attach picks a sweep up again.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EntryMeta, SweepView } from '../../shared/protocol/index.js'
import { BIN, runCli } from '../helpers/cli.js'
import { freePort } from '../helpers/net.js'
import { bridgeProcess, killAll, standIn, started, until } from '../helpers/processes.js'
import { CONCAT as concat } from '../helpers/prompts.js'

afterEach(killAll)

const get = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T

describe('a sweep survives its bridge', () => {
  it('SIGKILL mid-sweep, restart: it resumes; 0 lost, 0 committed twice', async () => {
    const comfy = [await standIn(40), await standIn(40)]
    const home = mkdtempSync(join(tmpdir(), 'sweep-home-'))
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const first = await bridgeProcess(home, comfy, port)
    const total = 80
    const sweep = (await (
      await fetch(`${url}/api/sweeps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          workflows: [concat],
          vary: { text: Array.from({ length: total }, (_, i) => `t${i}`) },
          commit_to_context: true,
        }),
      })
    ).json()) as SweepView
    await until(
      'some items done',
      () => get<SweepView>(`${url}/api/sweeps/${sweep.id}`),
      (v) => v.done >= 15,
    )
    // A plain run, cut short by the kill: the run history keeps it, as failed.
    const run = (await (
      await fetch(`${url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflows: [concat], inputs: { text: 'long' }, iterations: 10_000 }),
      })
    ).json()) as { id: string }
    first.kill('SIGKILL')
    await new Promise((r) => first.once('exit', r))
    const before = JSON.parse(JSON.stringify(await get<SweepView>(`${url}/api/sweeps/${sweep.id}`).catch(() => null)))
    expect(before).toBeNull() // it is down

    await bridgeProcess(home, comfy, port)
    const end = await until(
      'the sweep to finish',
      () => get<SweepView>(`${url}/api/sweeps/${sweep.id}`),
      (v) => v.status === 'finished',
    )
    expect(end).toMatchObject({ total, done: total, failed: 0 })
    const lines = readFileSync(join(end.folder, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toHaveLength(total)
    expect(new Set(lines.map((l) => l.index)).size).toBe(total)
    const entries = (await get<{ entries: EntryMeta[] }>(`${url}/api/contexts/${end.contextId}`)).entries
    const outs = entries.filter((e) => e.key.startsWith('out.'))
    expect(outs).toHaveLength(total)
    // Each written by its own item, and the master (new, written only by this sweep) numbers every
    // write: as many writes as items means none was committed twice.
    expect(outs.filter((e) => e.producer !== `${sweep.id}:${e.key.slice(4)}`)).toEqual([])
    expect(Math.max(...entries.map((e) => e.version))).toBe(total)
    const runs = await get<Array<{ id: string; status: string; error?: { code: string } }>>(`${url}/api/runs`)
    expect(runs.find((r) => r.id === run.id)).toMatchObject({ status: 'failed', error: { code: 'bridge_stopped' } })
  })
})

describe('discomfort sweep', () => {
  it('runs a cartesian product over a pool, writes outputs and a manifest, and --attach picks it up again', async () => {
    const comfy = [await standIn(10), await standIn(10)]
    const dir = mkdtempSync(join(tmpdir(), 'sweep-cli-'))
    const wf = join(dir, 'concat.json')
    writeFileSync(wf, JSON.stringify(concat.workflow))
    const out = join(dir, 'out')
    const port = await freePort()
    const env = {
      ...process.env,
      DISCOMFORT_HOME: join(dir, 'home'),
      DISCOMFORT_BRIDGE_URL: `http://127.0.0.1:${port}`,
    }
    const { code, stdout, stderr } = await runCli(
      [
        'sweep',
        wf,
        '--vary',
        'text=a,b,c',
        '--vary',
        'n=1..3',
        '--out',
        out,
        '--comfy',
        comfy[0]!,
        '--comfy',
        comfy[1]!,
      ],
      env,
    )
    expect(stderr).toMatch(/9\/9 · [\d.]+\/s · ETA 0:00 · 0 failed/)
    expect(code).toBe(0)
    const result = JSON.parse(stdout) as { sweep: string; done: number; failed: number }
    expect(result).toMatchObject({ done: 9, failed: 0 })
    const manifest = readFileSync(join(out, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(manifest).toHaveLength(9)
    const b2 = manifest.find((m) => m.inputs.text === 'b' && m.inputs.n === 2)
    expect(JSON.parse(readFileSync(join(out, b2.outputs.out), 'utf8'))).toBe('b!')
    expect(readdirSync(out).filter((f) => /^\d+$/.test(f))).toHaveLength(9)

    // A bridge that keeps running: submit with one process, follow with another.
    const bridge = spawn(process.execPath, [BIN, 'bridge', '--port', String(port), '--comfy', comfy[0]!], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    await started(bridge, /listening on/, 'stderr')
    const sweep = (await (
      await fetch(`http://127.0.0.1:${port}/api/sweeps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflows: [concat], vary: { text: ['p', 'q'] } }),
      })
    ).json()) as SweepView
    const attached = await runCli(['sweep', '--attach', sweep.id, '--out', join(dir, 'again')], env)
    expect(attached.code).toBe(0)
    expect(
      readFileSync(join(dir, 'again', 'manifest.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2)
  })

  it('says what is wrong with --vary', async () => {
    const { code, stderr } = await runCli(['sweep', 'x.json', '--vary', 'seed=1,,2'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/--vary seed=1,,2 has an empty value/)
  })
})
