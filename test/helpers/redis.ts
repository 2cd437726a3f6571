/**
 * A real Redis for the tests: Debian's redis-server, on loopback, in its own
 * folder, with the append-only file on and synced before each answer (as the
 * README advises, so no acknowledged commit is lost) and no eviction. It can be
 * killed and started again on the same folder, as a crashed Redis would be.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './net.js'

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? 'redis-server'

export interface TestRedis {
  url: string
  dir: string
  /** SIGKILL: no shutdown save, like a crash. */
  kill(): Promise<void>
  /** Start it again on the same folder and port (it replays its append-only file). */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** `fsync`: when Redis syncs its append-only file; "always" (before each answer) unless a benchmark compares. */
export async function startRedis(options: { fsync?: 'always' | 'everysec' } = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-'))
  const port = await freePort()
  let child: ChildProcess | undefined
  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawn(
        REDIS_SERVER,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--appendonly',
          'yes',
          '--appendfsync',
          options.fsync ?? 'always',
          '--save',
          '',
          '--maxmemory-policy',
          'noeviction',
          '--daemonize',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      )
      child = c
      let seen = ''
      const onData = (d: Buffer) => {
        seen += String(d)
        if (/Ready to accept connections/.test(seen)) resolve()
      }
      c.stdout!.on('data', onData)
      c.stderr!.on('data', onData)
      c.on('error', (e) => reject(new Error(`${REDIS_SERVER} did not start (${e.message}); install redis-server`)))
      c.on('exit', (code) => reject(new Error(`redis-server exited ${code}: ${seen}`)))
    })
  const exited = () =>
    new Promise<void>((r) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) r()
      else child.once('exit', () => r())
    })
  // Whatever happens to the test run, its Redis goes with it.
  process.once('exit', () => child?.kill('SIGKILL'))
  await launch()
  return {
    url: `redis://127.0.0.1:${port}`,
    dir,
    async kill() {
      child?.kill('SIGKILL')
      await exited()
    },
    restart: launch,
    async stop() {
      child?.kill('SIGTERM')
      await exited()
    },
  }
}
