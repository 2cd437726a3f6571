/**
 * The page finds its bridge wherever it listens: a bridge writes where it is
 * into the user data of the ComfyUI it drives (as the page reads it, through
 * ComfyUI's /userdata route), and takes it back when it stops, unless
 * another bridge has announced itself since.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge } from '../../bridge/bridge.js'
import { ANNOUNCEMENT_FILE, announcedUrl, type BridgeAnnouncement } from '../../shared/protocol/announcement.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'

let comfy: ComfyStandIn
const home = () => mkdtempSync(join(tmpdir(), 'announce-'))
beforeAll(async () => {
  comfy = await startComfyStandIn()
})
afterAll(async () => {
  await comfy?.close()
})

/** What the page reads: the announcement, as ComfyUI serves it to the page. */
async function announced(): Promise<BridgeAnnouncement | undefined> {
  const res = await fetch(`${comfy.url}/api/userdata/${encodeURIComponent(ANNOUNCEMENT_FILE)}`)
  return res.ok ? ((await res.json()) as BridgeAnnouncement) : undefined
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await read()
    if (ok(v) || Date.now() > end) return v
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('a bridge tells the page where it is', () => {
  it('on any port: the page reads its address from ComfyUI, and it is gone once the bridge stops', async () => {
    const bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: home() })
    const a = await until(announced, (v) => v?.port === bridge.port)
    expect(a).toMatchObject({ url: bridge.url, port: bridge.port, token: false, pid: process.pid })
    expect(announcedUrl(a!, 'localhost')).toBe(bridge.url)
    await bridge.close()
    expect(await announced()).toBeUndefined()
  })

  it('the first bridge keeps the page while it answers; a later one on the same ComfyUI takes over once it stops', async () => {
    const first = await startBridge({ port: 0, comfyUrl: comfy.url, root: home() })
    await until(announced, (v) => v?.port === first.port)
    const said: string[] = []
    const second = await startBridge({ port: 0, comfyUrl: comfy.url, root: home(), log: (l) => said.push(l) })
    await until(
      async () => said.length,
      (n) => n > 1,
    )
    expect((await announced())?.port).toBe(first.port)
    expect(said.join('\n')).toMatch(/talks to the bridge announced there first/)
    await first.close()
    expect((await until(announced, (v) => v?.port === second.port, 8000))?.port).toBe(second.port)
    await second.close()
    expect(await announced()).toBeUndefined()
  }, 20_000)

  it('a stale announcement (its bridge killed, nothing answers there) is replaced at once', async () => {
    await fetch(`${comfy.url}/api/userdata/${encodeURIComponent(ANNOUNCEMENT_FILE)}`, {
      method: 'POST',
      body: JSON.stringify({ url: 'http://127.0.0.1:9', port: 9, token: false, version: '0', pid: 1, at: '' }),
    })
    const bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: home() })
    expect((await until(announced, (v) => v?.port === bridge.port))?.port).toBe(bridge.port)
    await bridge.close()
  })

  it('on every address (with a token): the page reaches it at its own host name, and knows it needs the token', async () => {
    const bridge = await startBridge({ host: '0.0.0.0', port: 0, token: 'tok', comfyUrl: comfy.url, root: home() })
    try {
      const a = await until(announced, (v) => v?.port === bridge.port)
      expect(a?.url).toBeUndefined()
      expect(a?.token).toBe(true)
      expect(announcedUrl(a!, 'gpu-box.lan')).toBe(`http://gpu-box.lan:${bridge.port}`)
      expect(announcedUrl(a!, '::1')).toBe(`http://[::1]:${bridge.port}`)
    } finally {
      await bridge.close()
    }
  })
})
