/**
 * Telling the ComfyUI page where this bridge is (shared/protocol/announcement.ts):
 * written into the user data of the ComfyUI the bridge drives once it answers
 * (tried again every few seconds while it does not), and removed when the
 * bridge stops if it still names this bridge. The first bridge keeps the
 * page: while the one announced there still answers, a later bridge on the
 * same ComfyUI (a pool bridge for sweeps, say) leaves it be, and takes over
 * only once it is gone. Best effort: a ComfyUI that takes no user data
 * changes nothing else.
 */
import { ANNOUNCEMENT_FILE, announcedUrl, type BridgeAnnouncement } from '../../shared/protocol/announcement.js'
import type { ComfyHttp } from './comfyHttp.js'
import { VERSION } from '../version.js'

const RETRY_MS = 5000
const STOP_LIMIT_MS = 1500

const EVERY_ADDRESS = new Set(['0.0.0.0', '::', '[::]'])
const PROBE_MS = 1000

/** Whether another bridge's announcement names a bridge that still answers (one that wants a token answers 401). */
async function stillAnswers(text: string | undefined, own: string): Promise<boolean> {
  if (!text || text === own) return false
  let other: BridgeAnnouncement
  try {
    other = JSON.parse(text) as BridgeAnnouncement
  } catch {
    return false
  }
  if (typeof other?.port !== 'number') return false
  try {
    const res = await fetch(`${announcedUrl(other, '127.0.0.1')}/api/health`, { signal: AbortSignal.timeout(PROBE_MS) })
    if (res.status === 401) return true
    return ((await res.json()) as { service?: string }).service === 'discomfort-bridge'
  } catch {
    return false
  }
}

export function announceBridge(
  comfy: ComfyHttp,
  where: { host: string; port: number; url: string; token: boolean },
  log: (line: string) => void,
): { stop(): Promise<void> } {
  const announcement: BridgeAnnouncement = {
    ...(EVERY_ADDRESS.has(where.host) ? {} : { url: where.url }),
    port: where.port,
    token: where.token,
    version: VERSION,
    pid: process.pid,
    at: new Date().toISOString(),
  }
  const content = JSON.stringify(announcement)
  let stopped = false
  let written = false
  let timer: NodeJS.Timeout | undefined
  let attempt: Promise<void> = Promise.resolve()
  let saidWhy = ''
  const again = () => {
    if (stopped || timer) return
    timer = setTimeout(() => {
      timer = undefined
      if (!stopped) attempt = tryOnce()
    }, RETRY_MS)
    timer.unref()
  }
  const tryOnce = async () => {
    try {
      const other = await comfy.userData(ANNOUNCEMENT_FILE)
      if (await stillAnswers(other, content)) {
        const why = `The ComfyUI page at ${comfy.baseUrl} talks to the bridge announced there first; this one takes over if that one stops.`
        if (why !== saidWhy) log(why)
        saidWhy = why
        again()
        return
      }
      await comfy.putUserData(ANNOUNCEMENT_FILE, content)
      written = true
    } catch (e) {
      const why = `Could not tell the ComfyUI page where this bridge is yet (${(e as Error).message}); trying again.`
      if (!saidWhy.startsWith('Could not')) log(why)
      saidWhy = why
      again()
    }
  }
  attempt = tryOnce()
  return {
    /** Remove the announcement; bounded (a ComfyUI that hangs does not hold the bridge's stop). */
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      const withdraw = async () => {
        await attempt
        if (!written) return
        // Only this bridge's own announcement: another bridge may have announced itself since.
        const now = await comfy.userData(ANNOUNCEMENT_FILE)
        if (now === content) await comfy.deleteUserData(ANNOUNCEMENT_FILE)
      }
      let cap: NodeJS.Timeout | undefined
      await Promise.race([
        // ComfyUI gone or refusing: the page finds the bridge not answering and says so.
        withdraw().catch(() => {}),
        new Promise<void>((resolve) => {
          cap = setTimeout(resolve, STOP_LIMIT_MS)
        }),
      ])
      clearTimeout(cap)
    },
  }
}
