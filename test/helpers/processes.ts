/**
 * Real processes for the tests that kill things: stand-in ComfyUIs and
 * bridges started by the `discomfort` command, each waited for until it says
 * it listens, and all SIGKILLed by `killAll()` after each test.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { BIN } from './cli.js'
import { freePort } from './net.js'

const STAND_IN = resolve(import.meta.dirname, '../comfyStandIn/main.ts')
const children: ChildProcess[] = []

export function killAll(): void {
  for (const c of children.splice(0)) c.kill('SIGKILL')
}

/** Resolves once the child printed `pattern` (and keeps it for killAll). */
export function started(child: ChildProcess, pattern: RegExp, stream: 'stdout' | 'stderr'): Promise<void> {
  children.push(child)
  return new Promise<void>((r, reject) => {
    let seen = ''
    child[stream]!.on('data', (d) => {
      seen += String(d)
      if (pattern.test(seen)) r()
    })
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)))
  })
}

/** A stand-in ComfyUI as its own process, taking `promptDelayMs` per prompt (and more flags of its main.ts); its URL. */
export async function standIn(promptDelayMs: number, more: string[] = []): Promise<string> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', STAND_IN, '--port', String(port), '--prompt-delay-ms', String(promptDelayMs), ...more],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await started(child, /listening/, 'stdout')
  return `http://127.0.0.1:${port}`
}

/** `discomfort bridge` over these ComfyUIs (the first is its --comfy), with more flags. */
export async function bridgeProcess(
  home: string,
  comfy: string[],
  port: number,
  more: string[] = [],
): Promise<ChildProcess> {
  const [first, ...rest] = comfy
  const child = spawn(
    process.execPath,
    [
      BIN,
      'bridge',
      '--port',
      String(port),
      '--root',
      home,
      '--comfy',
      first!,
      ...rest.flatMap((u) => ['--server', u]),
      ...more,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  await started(child, /listening on/, 'stderr')
  return child
}

/** Read until `ok`, or fail after `ms` saying what it waited for. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await read().catch(() => undefined)
    if (v !== undefined && ok(v)) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
