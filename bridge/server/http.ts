/**
 * The bridge's HTTP layer on node:http: requests matched to the route table
 * (shared/protocol/paths.ts) by segments, bodies read within a limit by
 * content type, documents written out. A request costs a split of its path
 * and one look-up per route of its method; nothing else runs on the way.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { decodeEnvelope, ENVELOPE_TYPE, type RoutePath } from '../../shared/protocol/index.js'
import { BridgeHttpError } from './httpError.js'

export interface BridgeRequest {
  readonly raw: IncomingMessage
  readonly method: string
  /** The path, not decoded (each parameter is decoded on its own). */
  readonly path: string
  readonly params: Readonly<Record<string, string>>
  /** The query; a name given twice keeps its first value. */
  readonly query: Readonly<Record<string, string>>
  readonly headers: IncomingHttpHeaders
  /** Parsed JSON, a decoded envelope, raw bytes (a Buffer), or undefined when the route reads no body of that type. */
  body: unknown
}

export type Handler = (req: BridgeRequest, res: ServerResponse) => void | Promise<void>

/** What bodies a route reads, and how large each may be (bytes). Others are not read. */
export interface BodyRule {
  json?: number
  /** The binary envelope (JSON with raw binary parts), decoded in place: handlers see the same document as from JSON. */
  envelope?: number
  /** Raw bytes of these media types, as a Buffer. */
  raw?: { types: readonly string[]; limit: number }
}

interface Entry {
  readonly segments: readonly string[]
  /** Parameter names by segment position (undefined: a literal segment). */
  readonly names: readonly (string | undefined)[]
  readonly body: BodyRule | undefined
  readonly handler: Handler
}

export class Router {
  private readonly byMethod = new Map<string, Entry[]>()

  on(route: RoutePath, body: BodyRule | undefined, handler: Handler): void {
    const segments = route.path.split('/')
    const entry: Entry = {
      segments,
      names: segments.map((s) => (s.startsWith(':') ? s.slice(1) : undefined)),
      body,
      handler,
    }
    const list = this.byMethod.get(route.method) ?? []
    list.push(entry)
    this.byMethod.set(route.method, list)
  }

  /** The route a method and path name, with its parameters decoded; literal segments win over parameters. */
  match(method: string, path: string): { entry: Entry; params: Record<string, string> } | undefined {
    const parts = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).split('/')
    let found: { entry: Entry; params: Record<string, string>; literals: number } | undefined
    for (const entry of this.byMethod.get(method) ?? []) {
      if (entry.segments.length !== parts.length) continue
      let literals = 0
      let ok = true
      for (let i = 0; i < parts.length; i++) {
        if (entry.names[i] !== undefined) continue
        if (entry.segments[i] !== parts[i]) {
          ok = false
          break
        }
        literals++
      }
      if (!ok || (found && found.literals >= literals)) continue
      const params: Record<string, string> = {}
      for (let i = 0; i < parts.length; i++) {
        const name = entry.names[i]
        if (name !== undefined) params[name] = decodeSegment(parts[i]!)
      }
      found = { entry, params, literals }
    }
    return found
  }

  /** Whether any route has this path under another method (405 rather than 404). */
  knowsPath(path: string): boolean {
    for (const method of this.byMethod.keys()) if (this.match(method, path)) return true
    return false
  }
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    throw new BridgeHttpError(400, `The path segment "${s.slice(0, 80)}" is not valid percent-encoding.`)
  }
}

export function queryOf(search: string): Record<string, string> {
  const query: Record<string, string> = {}
  if (!search) return query
  for (const [k, v] of new URLSearchParams(search)) if (!(k in query)) query[k] = v
  return query
}

/** The media type of a request, lower-case, without parameters. */
export function mediaType(req: IncomingMessage): string {
  const type = req.headers['content-type']
  if (!type) return ''
  const semi = type.indexOf(';')
  return (semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase()
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json')

/** The body of a request as its route reads it; an unread type is drained and gives undefined. */
export async function readRequestBody(req: IncomingMessage, rule: BodyRule | undefined): Promise<unknown> {
  const type = mediaType(req)
  const limit =
    rule?.json !== undefined && isJson(type)
      ? rule.json
      : rule?.envelope !== undefined && type === ENVELOPE_TYPE
        ? rule.envelope
        : rule?.raw?.types.includes(type)
          ? rule.raw.limit
          : undefined
  if (limit === undefined) {
    req.resume()
    return undefined
  }
  const bytes = await readBytes(req, limit)
  if (isJson(type)) {
    if (bytes.byteLength === 0) return undefined
    try {
      return JSON.parse(bytes.toString('utf8'))
    } catch (e) {
      throw new BridgeHttpError(400, `The request body is not JSON: ${(e as Error).message}.`, 'invalid_json')
    }
  }
  if (type === ENVELOPE_TYPE) {
    try {
      return decodeEnvelope(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    } catch (e) {
      throw new BridgeHttpError(400, `The request's envelope could not be read: ${(e as Error).message}.`)
    }
  }
  return bytes
}

function tooLarge(limit: number): BridgeHttpError {
  return new BridgeHttpError(
    413,
    `The request body is larger than the limit (${limit.toLocaleString('en')} bytes).`,
    'body_too_large',
  )
}

/** All of a request's bytes, refusing (413) as soon as they pass `limit`. */
function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > limit) {
        req.off('data', onData)
        req.resume()
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    req.once('error', reject)
    req.once('aborted', () => reject(new BridgeHttpError(400, 'The request was aborted before its body ended.')))
  })
}

/** Answer with a JSON document. */
export function json(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

/** Answer with bytes of a media type. */
export function bytes(res: ServerResponse, data: Uint8Array, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': type, 'content-length': data.byteLength, ...headers })
  res.end(data)
}

export function noContent(res: ServerResponse, status = 204): void {
  res.writeHead(status)
  res.end()
}

/** A request's header, lower-cased name. */
export const header = (req: BridgeRequest, name: string): string | undefined => {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}
