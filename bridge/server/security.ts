/**
 * Who may talk to the bridge: a token when one is configured (always when it
 * listens beyond loopback), and browsers only from the allowed origins
 * (the ComfyUI page). Other origins get 403, like ComfyUI's own origin check.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { routeMethods, type ErrorAnswer } from '../../shared/protocol/index.js'

/** What a page on another origin is told it may send: every method a route answers to. */
const ALLOWED_METHODS = [...routeMethods, 'OPTIONS'].join(', ')

export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)

export function tokenMatches(expected: string | undefined, given: string | undefined): boolean {
  if (!expected) return true
  if (!given) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The token of a request: `Authorization: Bearer <t>`, or `?token=<t>` (for EventSource, WebSocket and <img>). */
export function requestToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7)
  const url = new URL(req.url ?? '/', 'http://bridge')
  return url.searchParams.get('token') ?? undefined
}

/**
 * Whether a request's Host header names this bridge. A page on another name
 * that resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host, so
 * a bridge on loopback answers only to loopback names. A bridge on a wildcard
 * address (0.0.0.0, ::) cannot know its names, and there a token is required.
 */
export function hostAllowed(hostHeader: string | undefined, bridgeHost: string): boolean {
  if (bridgeHost === '0.0.0.0' || bridgeHost === '::' || bridgeHost === '[::]') return true
  if (!hostHeader) return false
  const name = (
    hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '')
  ).toLowerCase()
  return isLoopbackHost(name) || name === bridgeHost.toLowerCase() || name === `[${bridgeHost.toLowerCase()}]`
}

export function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  return origin === undefined || allowed.has(origin)
}

/** Allowed browser origins for a ComfyUI URL: it, and its localhost / 127.0.0.1 twin. */
export function originsFor(comfyUrl: string, extra: string[] = []): Set<string> {
  const origins = new Set(extra)
  try {
    const u = new URL(comfyUrl)
    origins.add(u.origin)
    if (u.hostname === '127.0.0.1') origins.add(u.origin.replace('127.0.0.1', 'localhost'))
    if (u.hostname === 'localhost') origins.add(u.origin.replace('localhost', '127.0.0.1'))
  } catch {
    // not a URL: no origin from it
  }
  return origins
}

export interface AccessRules {
  token?: string
  allowedOrigins: ReadonlySet<string>
  /** The address the bridge listens on (decides which Host headers are its own). */
  host: string
}

/**
 * Why a request to /api is refused (a status and an error document), 'answered' when this
 * answered it already (a CORS preflight), or undefined when it may go on. Sets the CORS
 * headers for an allowed origin.
 */
export function refusal(
  req: IncomingMessage,
  res: ServerResponse,
  options: AccessRules,
): { status: number; body: ErrorAnswer } | 'answered' | undefined {
  if (!hostAllowed(req.headers.host, options.host))
    return {
      status: 421,
      body: {
        error: {
          type: 'misdirected_host',
          message: `This bridge does not answer to the name "${req.headers.host ?? ''}"; use 127.0.0.1 or localhost.`,
        },
      },
    }
  const origin = req.headers.origin
  if (origin !== undefined) {
    if (!originAllowed(origin, options.allowedOrigins))
      return {
        status: 403,
        body: {
          error: {
            type: 'forbidden_origin',
            message: `Requests from ${origin} are not allowed. Add it to the bridge's allowed origins (--allow-origin).`,
          },
        },
      }
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Vary', 'Origin')
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS)
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization')
    if (req.method === 'OPTIONS') {
      res.writeHead(204)
      res.end()
      return 'answered'
    }
  }
  if (!tokenMatches(options.token, requestToken(req)))
    return {
      status: 401,
      body: {
        error: {
          type: 'unauthorized',
          message: 'This bridge needs a token: send "Authorization: Bearer <token>" (or ?token=<token>).',
        },
      },
    }
  return undefined
}
