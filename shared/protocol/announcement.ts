/**
 * How the ComfyUI page finds its bridge: a bridge writes where it listens
 * into the user data of the ComfyUI it drives (the page's own store, so it
 * reaches the page wherever the two run), and the page reads it when no
 * bridge URL is set in its settings. Loads nothing.
 */

/** The user-data file (under ComfyUI's `user/<user>/`). */
export const ANNOUNCEMENT_FILE = 'discomfort/bridge.json'

export interface BridgeAnnouncement {
  /** The bridge's address, when it listens on one name (127.0.0.1, a host name); absent when on every address. */
  url?: string
  /** Its port: on every address, the page reaches it at its own host name and this port. */
  port: number
  /** Whether it asks for a token (one listening beyond 127.0.0.1 does): the page then needs it in its settings. */
  token: boolean
  version: string
  /** The bridge process, so a stale announcement can be told from a live one. */
  pid: number
  at: string
}

/** Where the page reaches an announced bridge, seen from the page's own address. */
export function announcedUrl(a: BridgeAnnouncement, pageHost: string): string {
  if (a.url) return a.url
  const host = pageHost.includes(':') && !pageHost.startsWith('[') ? `[${pageHost}]` : pageHost
  return `http://${host}:${a.port}`
}
