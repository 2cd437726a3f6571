/**
 * The README's shell blocks, run as typed, in the state its first command
 * leaves: ComfyUI answering at :8188 (and a second at :8190 for the blocks
 * that name one), a bridge running at :8189, a shell in the package's folder.
 * Here those ComfyUIs are what the caller starts (stand-ins in `npm test`,
 * the real ComfyUI in `npm run test:comfyui`) and a `discomfort bridge`
 * process, all on free ports; ports are the one thing mapped (so the test
 * runs beside a real `up`); `npx discomfort` is this checkout's command. Blocks marked
 * `<!-- readme-test: setup -->` are what CI runs from an empty folder;
 * `<!-- readme-test: illustration -->` blocks need other machines, and the
 * block that follows each is its tested twin.
 *
 * Each block must exit 0, and what it promises must be there: every
 * `--output key=FILE` a PNG or JSON file, every `--out DIR` a manifest with
 * one line per item.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN } from './cli.js'
import { freePort } from './net.js'
import { bridgeProcess, killAll } from './processes.js'
import { startRedis, type TestRedis } from './redis.js'

const ROOT = resolve(import.meta.dirname, '../..')

/** A ComfyUI a test started: its URL, and how to stop it. */
export interface StartedComfy {
  url: string
  close(): Promise<void>
}

interface Block {
  n: number
  line: number
  marker: string | undefined
  text: string
}

/** Every ```sh block of the README, with the readme-test marker on the line before it, if any. */
function shellBlocks(readme: string): Block[] {
  const lines = readme.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```sh') continue
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```')
    const before = lines[i - 1] ?? ''
    const marker = /<!-- readme-test: (\w+)/.exec(before)?.[1]
    blocks.push({ n: blocks.length + 1, line: i + 1, marker, text: lines.slice(i + 1, end).join('\n') })
    i = end
  }
  return blocks
}

const blocks = shellBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'))
const runnable = blocks.filter((b) => b.marker === undefined)

let work: string
let redis: TestRedis
const ports = new Map<number, number>()

/**
 * The README's runnable blocks as tests against `comfy` (called twice: the
 * ComfyUI at :8188 and the one at :8190); `timeoutMs` per block.
 */
export function readmeBlocksSuite(where: string, comfy: () => Promise<StartedComfy>, timeoutMs = 120_000): void {
  const started: StartedComfy[] = []
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'readme-'))
    // The package's folder as a user has it: its examples, and `npx discomfort` finding this checkout's command.
    symlinkSync(join(ROOT, 'examples'), join(work, 'examples'))
    mkdirSync(join(work, 'node_modules', '.bin'), { recursive: true })
    symlinkSync(BIN, join(work, 'node_modules', '.bin', 'discomfort'))
    started.push(...(await Promise.all([comfy(), comfy()])))
    const [a, b] = started.map((c) => c.url) as [string, string]
    redis = await startRedis()
    const bridgePort = await freePort()
    await bridgeProcess(join(work, 'home'), [a], bridgePort)
    ports.set(8188, Number(new URL(a).port))
    ports.set(8190, Number(new URL(b).port))
    ports.set(8189, bridgePort)
    ports.set(6379, Number(new URL(redis.url).port))
    for (const p of [8290, 8291, 8292]) ports.set(p, await freePort())
  }, 300_000)

  afterAll(async () => {
    killAll()
    await redis?.stop()
    await Promise.all(started.map((c) => c.close()))
  })

  describe(`the README's shell blocks, as typed, against a running bridge on ${where}`, () => {
    it('every block is marked, runnable, or the twin of an illustration', () => {
      expect(blocks.length).toBeGreaterThan(3)
      for (const [i, b] of blocks.entries()) {
        if (b.marker === 'illustration')
          expect(
            blocks.slice(i + 1).some((t) => t.marker === undefined),
            `block at line ${b.line} has no twin`,
          ).toBe(true)
        expect([undefined, 'setup', 'illustration']).toContain(b.marker)
      }
    })

    for (const block of runnable) {
      it(
        `block ${block.n} (README line ${block.line}): ${block.text.split('\n')[0]!.slice(0, 80)}`,
        async () => {
          const { code, output } = await runBlock(block.text)
          expect(code, output).toBe(0)
          for (const line of block.text.split('\n')) {
            for (const m of line.matchAll(/(?:--output|-o)\s+\w+=(\S+)/g)) {
              const file = join(work, m[1]!)
              expect(existsSync(file), `${m[1]} was not written:\n${output}`).toBe(true)
              const head = readFileSync(file).subarray(0, 8)
              expect(head[0] === 0x89 || head[0] === 0x7b || head[0] === 0x22, `${m[1]} is neither PNG nor JSON`).toBe(
                true,
              )
            }
            const out = /--out\s+(\S+)/.exec(line)?.[1]
            if (out && /\bsweep\b/.test(line)) {
              const path = join(work, out, 'manifest.jsonl')
              expect(existsSync(path), output).toBe(true)
              const manifest = readFileSync(path, 'utf8').trim().split('\n')
              expect(manifest, output).toHaveLength(itemCount(line))
            }
          }
        },
        timeoutMs,
      )
    }
  })
}

/** The block with the ports of this test's servers. */
const mapped = (text: string) =>
  text.replace(/\b(8188|8189|8190|6379|829[0-2])\b/g, (p) => String(ports.get(Number(p)) ?? p))

function runBlock(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise) => {
    // Its own process group: what the block starts in the background is stopped with it.
    const child = spawn('bash', ['-c', `set -e\n${mapped(text)}\n`], {
      cwd: work,
      detached: true,
      env: {
        ...process.env,
        DISCOMFORT_BRIDGE_URL: `http://127.0.0.1:${ports.get(8189)}`,
        DISCOMFORT_COMFY_URL: `http://127.0.0.1:${ports.get(8188)}`,
        DISCOMFORT_HOME: join(work, 'home'),
        npm_config_yes: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += String(d)
    })
    child.stderr.on('data', (d) => {
      output += String(d)
    })
    child.on('exit', (code) => {
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        // nothing left in the background
      }
      resolvePromise({ code: code ?? 1, output })
    })
  })
}

/** How many items a `sweep --vary …` line makes. */
function itemCount(line: string): number {
  let n = 1
  for (const m of line.matchAll(/--vary\s+\w+=(\S+)/g)) {
    const range = /^(-?\d+)\.\.(-?\d+)$/.exec(m[1]!)
    n *= range ? Number(range[2]) - Number(range[1]) + 1 : m[1]!.split(',').length
  }
  return n
}
