/**
 * Request bodies checked against the protocol's schemas, and documents out
 * (JSON, or the binary envelope for a client that asks for it).
 */
import type { ServerResponse } from 'node:http'
import type { z } from 'zod/v4'
import {
  describeIssues,
  ENVELOPE_TYPE,
  encodeEnvelope,
  MAX_BINARY_BODY,
  MAX_JSON_BODY,
  type Route,
} from '../../shared/protocol/index.js'
import { BridgeHttpError } from './httpError.js'
import { header, json, type BodyRule, type BridgeRequest } from './http.js'
import { toWire } from '../values/wireJson.js'

/** What the bridge reads: JSON; JSON or the envelope; those or raw PNG / .latent bytes. */
export const bodies = {
  json: { json: MAX_JSON_BODY },
  /** A small JSON body (a control request). */
  small: { json: 16 * 1024 },
  document: { json: MAX_JSON_BODY, envelope: MAX_BINARY_BODY },
  value: {
    json: MAX_JSON_BODY,
    envelope: MAX_BINARY_BODY,
    raw: { types: ['image/png', 'application/octet-stream'], limit: MAX_BINARY_BODY },
  },
} as const satisfies Record<string, BodyRule>

export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body ?? {})
  if (!parsed.success) throw new BridgeHttpError(400, `${what}: ${describeIssues(parsed.error)}.`)
  return parsed.data
}

/** A request's body checked against its route's schema; `what` names it in the complaint (default: method and path). */
export function readBody<R extends Route & { body: z.ZodType }>(
  route: R,
  body: unknown,
  what?: string,
): z.infer<R['body']> {
  return parseBody(route.body, body, what ?? `${route.method} ${route.path}`) as z.infer<R['body']>
}

/** A GET's query checked against its route's schema. */
export function readQuery<R extends Route & { query: z.ZodType }>(route: R, query: unknown): z.infer<R['query']> {
  return parseBody(route.query, query, `${route.method} ${route.path}`) as z.infer<R['query']>
}

/** Answer with a document: as an envelope (bytes raw) when the client accepts one, else JSON (bytes as base64). */
export function sendDocument(req: BridgeRequest, res: ServerResponse, doc: unknown): void {
  // Only for clients that name it: browsers and curl send */* and get JSON.
  if (header(req, 'accept')?.includes(ENVELOPE_TYPE)) {
    const chunks = encodeEnvelope(doc)
    res.writeHead(200, {
      'content-type': ENVELOPE_TYPE,
      'content-length': chunks.reduce((n, c) => n + c.byteLength, 0),
    })
    for (const c of chunks) res.write(c)
    res.end()
    return
  }
  json(res, toWire(doc))
}
