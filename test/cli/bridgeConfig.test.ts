/**
 * `discomfort bridge --config FILE`: options from a JSON file, each under its
 * flag's name, paths relative to the file, flags given as well winning; a
 * wrong file says what is wrong with it. And a real bridge process started
 * from one (its token and pool taken from the file).
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseArgs } from '../../bridge/cli/args.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { freePort } from '../helpers/net.js'
import { killAll, started } from '../helpers/processes.js'
import { BIN } from '../helpers/cli.js'
import { spawn } from 'node:child_process'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'discomfort-config-'))
  mkdirSync(join(dir, 'conf'))
})

const readFile = (path: string) => readFileSync(path, 'utf8')
const withFile = (content: unknown, name = 'bridge.json') => {
  const path = join(dir, 'conf', name)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

describe('bridge --config', () => {
  it('takes options from the file, paths from its folder, and lets flags win', () => {
    const path = withFile({
      port: 9001,
      host: '0.0.0.0',
      token: 'from-the-file',
      redis: 'redis://10.0.0.5:6379',
      'redis-lock-ms': 5000,
      server: ['http://10.0.0.2:8188', 'http://10.0.0.3:8188'],
      pool: 'pool.json',
      root: '../contexts',
      'allow-origin': 'https://comfy.example',
    })
    expect(parseArgs(['bridge', '--config', path], { readFile })).toMatchObject({
      command: 'bridge',
      port: 9001,
      host: '0.0.0.0',
      token: 'from-the-file',
      redis: 'redis://10.0.0.5:6379',
      redisLockMs: 5000,
      servers: ['http://10.0.0.2:8188', 'http://10.0.0.3:8188'],
      pool: join(dir, 'conf', 'pool.json'),
      root: join(dir, 'contexts'),
      allowOrigins: ['https://comfy.example'],
    })
    // A flag given as well wins over the file.
    expect(
      parseArgs(['bridge', '--config', path, '--port', '9002', '--server', 'http://127.0.0.1:8190'], { readFile }),
    ).toMatchObject({ port: 9002, servers: ['http://127.0.0.1:8190'], token: 'from-the-file' })
  })

  it('says what is wrong with a file: not JSON, not an object, an unknown option, a wrong kind of value', () => {
    const parse = (content: unknown) => () => parseArgs(['bridge', '--config', withFile(content)], { readFile })
    expect(parse('{"redis": ')).toThrow(/bridge --config .*bridge\.json: .*JSON/)
    expect(parse(['redis'])).toThrow(/holds a JSON object of options/)
    expect(parse({ 'redis-url': 'redis://x' })).toThrow(
      /"redis-url" is not an option of discomfort bridge; it takes: port, host, comfy, token, .*redis, redis-prefix/,
    )
    expect(parse({ server: [{ url: 'http://x' }] })).toThrow(/"server" takes a list of strings/)
    expect(parse({ port: 'many' })).toThrow(/--port/)
    expect(() => parseArgs(['bridge', '--config', join(dir, 'missing.json')], { readFile })).toThrow(
      /bridge --config .*missing\.json: ENOENT/,
    )
  })
})

describe('a bridge started from a config file', () => {
  let comfy: ComfyStandIn
  beforeAll(async () => {
    comfy = await startComfyStandIn()
  })
  afterAll(async () => {
    killAll()
    await comfy?.close()
  })

  it('uses the token and the pool the file names', async () => {
    const port = await freePort()
    const second = await startComfyStandIn()
    try {
      writeFileSync(join(dir, 'conf', 'pool.json'), JSON.stringify({ servers: [{ url: second.url, label: 'second' }] }))
      const path = withFile(
        { port, comfy: comfy.url, token: 'kept-out-of-ps', pool: 'pool.json', root: 'home' },
        'live.json',
      )
      const child = spawn(process.execPath, [BIN, 'bridge', '--config', path], { stdio: ['ignore', 'ignore', 'pipe'] })
      await started(child, /listening on/, 'stderr')
      const url = `http://127.0.0.1:${port}`
      expect((await fetch(`${url}/api/servers`)).status).toBe(401)
      const servers = (await (
        await fetch(`${url}/api/servers`, { headers: { authorization: 'Bearer kept-out-of-ps' } })
      ).json()) as Array<{ url: string; label?: string }>
      expect(servers.map((s) => s.url)).toEqual([comfy.url, second.url])
      expect(servers[1]).toMatchObject({ label: 'second' })
    } finally {
      killAll()
      await second.close()
    }
  })
})
