/**
 * Start ComfyUI when it is not running and a launch command is configured,
 * like the original's `comfy_serverless.json`; wait until it answers; stop
 * it (and its children) on shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { readFileSync } from 'node:fs'
import { ComfyHttp } from './comfyHttp.js'
import { ComfyError } from './errors.js'

export interface ComfyLaunch {
  /** Shell command that starts ComfyUI; `--port <port>` is appended (e.g. "python main.py --cpu"). */
  command: string
  cwd?: string
  env?: Record<string, string>
  /** How long to wait for it to answer (ms). Default 120 s. */
  startTimeoutMs?: number
  /** Append `--port <port of the URL>` (default true). */
  appendPort?: boolean
  /** A file that receives ComfyUI's console output (appended), so it can be read while it runs. */
  logFile?: string
}

/** The original Discomfort's comfy_serverless.json, read into a launch config and URL. */
export function readComfyServerlessConfig(path: string): { url: string; launch: ComfyLaunch } {
  const c = JSON.parse(readFileSync(path, 'utf8')) as {
    API_COMMAND_LINE?: string
    API_WORKING_DIRECTORY?: string
    API_URL?: string
    INITIAL_PORT?: number
    MAX_COMFY_START_ATTEMPTS?: number
    COMFY_START_ATTEMPTS_SLEEP?: number
  }
  if (!c.API_COMMAND_LINE) throw new ComfyError(`${path}: API_COMMAND_LINE is missing (e.g. "python3 main.py").`)
  const base = (c.API_URL ?? 'http://127.0.0.1').replace(/\/+$/, '')
  const url = /:\d+$/.test(base) ? base : `${base}:${c.INITIAL_PORT ?? 8188}`
  const launch: ComfyLaunch = {
    command: c.API_COMMAND_LINE,
    startTimeoutMs: (c.MAX_COMFY_START_ATTEMPTS ?? 10) * (c.COMFY_START_ATTEMPTS_SLEEP ?? 1) * 1000 * 12,
  }
  if (c.API_WORKING_DIRECTORY) launch.cwd = c.API_WORKING_DIRECTORY
  return { url, launch }
}

export interface LaunchedComfy {
  process: ChildProcess
  stop(): Promise<void>
}

/** Whether ComfyUI answers (its /system_stats). */
export async function reachable(http: ComfyHttp): Promise<boolean> {
  try {
    await http.systemStats()
    return true
  } catch {
    return false
  }
}

/**
 * Make sure ComfyUI answers at `url`: nothing to do when it does; otherwise
 * start it with `launch`, or fail saying how to start it.
 */
export async function ensureComfy(
  url: string,
  launch?: ComfyLaunch,
  log: (line: string) => void = () => {},
): Promise<LaunchedComfy | undefined> {
  const http = new ComfyHttp(url, { requestTimeoutMs: 2000 })
  if (await reachable(http)) return undefined
  if (!launch) return undefined
  const port = new URL(url).port || '8188'
  const command = launch.appendPort === false ? launch.command : `${launch.command} --port ${port}`
  log(`Starting ComfyUI: ${command}${launch.cwd ? ` (in ${launch.cwd})` : ''}`)
  const child = spawn(command, {
    shell: true,
    cwd: launch.cwd,
    env: { ...process.env, ...launch.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let tail = ''
  const keep = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  if (launch.logFile) {
    const console = createWriteStream(launch.logFile, { flags: 'a' })
    console.on('error', () => {})
    console.write(`\n--- ${new Date().toISOString()} ${command}\n`)
    child.stdout?.pipe(console, { end: false })
    child.stderr?.pipe(console, { end: false })
    child.on('exit', () => console.end())
  }
  let exited: number | null | undefined
  child.on('exit', (code) => (exited = code))
  /** Stop the whole process group (the shell and ComfyUI under it) and wait until it is gone. */
  const stop = async () => {
    const pid = child.pid
    if (pid === undefined) return
    const groupAlive = () => {
      try {
        process.kill(-pid, 0)
        return true
      } catch {
        return false
      }
    }
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-pid, s)
      } catch {
        if (exited === undefined) child.kill(s)
      }
    }
    if (!groupAlive() && exited !== undefined) return
    signal('SIGTERM')
    const until = Date.now() + 5000
    while (groupAlive() && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
    if (groupAlive()) signal('SIGKILL')
    // Bounded: an unreaped zombie still counts as a member of the group.
    const last = Date.now() + 2000
    while (groupAlive() && Date.now() < last) await new Promise((r) => setTimeout(r, 20))
  }
  const deadline = Date.now() + (launch.startTimeoutMs ?? 120_000)
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new ComfyError(
        `ComfyUI exited (code ${exited}) before it answered at ${url}. Its last output:\n${tail.trim().slice(-1500)}`,
      )
    }
    if (await reachable(http)) {
      log(`ComfyUI is ready at ${url}`)
      return { process: child, stop }
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  await stop()
  throw new ComfyError(
    `ComfyUI did not answer at ${url} within ${launch.startTimeoutMs ?? 120_000} ms after "${command}". Its last output:\n${tail.trim().slice(-1500)}`,
  )
}
