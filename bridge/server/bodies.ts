/**
 * Request bodies in (JSON or the binary envelope, checked against the
 * protocol's schemas) and documents out (JSON or the envelope).
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express'
import type { z } from 'zod/v4'
import {
  decodeEnvelope,
  describeIssues,
  ENVELOPE_TYPE,
  encodeEnvelope,
  type Route,
} from '../../shared/protocol/index.js'
import { BridgeHttpError } from './httpError.js'
import { toWire } from '../values/wireJson.js'

/** Mount handlers for a route of the table (shared/protocol/routes.ts) at its method and path. */
export function on(router: Router, route: Route, ...handlers: RequestHandler[]): void {
  const verb = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'
  router[verb](route.path, ...handlers)
}

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

/**
 * A body in the Discomfort envelope (JSON with raw binary parts): decoded in
 * place, so handlers see the same document as from JSON, with Uint8Array
 * where bytes travelled. Other content types pass through to the next parser.
 */
export function envelopeBody(limit: string): RequestHandler[] {
  return [
    express.raw({ type: ENVELOPE_TYPE, limit }),
    (req, _res, next) => {
      if (!Buffer.isBuffer(req.body) || !req.is(ENVELOPE_TYPE)) return next()
      try {
        req.body = decodeEnvelope(new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength))
        next()
      } catch (e) {
        next(new BridgeHttpError(400, `The request's envelope could not be read: ${(e as Error).message}.`))
      }
    },
  ]
}

/** Answer with a document: as an envelope (bytes raw) when the client accepts one, else JSON (bytes as base64). */
export function sendDocument(req: Request, res: Response, doc: unknown): void {
  // Only for clients that name it: browsers and curl send */* and get JSON.
  if (req.get('accept')?.includes(ENVELOPE_TYPE)) {
    const chunks = encodeEnvelope(doc)
    res.writeHead(200, {
      'content-type': ENVELOPE_TYPE,
      'content-length': chunks.reduce((n, c) => n + c.byteLength, 0),
    })
    for (const c of chunks) res.write(c)
    res.end()
    return
  }
  res.json(toWire(doc))
}
