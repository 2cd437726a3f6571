/**
 * The stand-in's chaos mode: ways a ComfyUI server (or what stands between it
 * and the bridge) misbehaves on HTTP, chosen per request by the test. Each is
 * something seen from real servers, proxies or custom nodes: an error page
 * instead of JSON, JSON of another shape, a late answer, no answer, an answer
 * that trickles or never ends, a connection cut mid-request.
 */
import type { NextFunction, Request, Response } from 'express'

export type HttpFault =
  | { kind: 'status'; status: number; body: string }
  | { kind: 'json'; body: unknown }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'trickle'; everyMs: number }
  | { kind: 'endless' }
  | { kind: 'reset' }

export interface Chaos {
  /** The fault for one request, or undefined to answer it as ComfyUI does. */
  http?: (method: string, path: string) => HttpFault | undefined
}

/** Express middleware that applies `chaos.http` before any route. */
export function chaosMiddleware(chaos: Chaos) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // Requests marked as another client's (the page a test plays) are answered as usual.
    const fault =
      req.headers['x-chaos-exempt'] === undefined
        ? chaos.http?.(req.method, req.path.replace(/^\/api(?=\/)/, ''))
        : undefined
    if (!fault) {
      next()
      return
    }
    switch (fault.kind) {
      case 'status':
        res.status(fault.status).type('text/plain').send(fault.body)
        return
      case 'json':
        res.status(200).json(fault.body)
        return
      case 'delay': {
        const timer = setTimeout(next, fault.ms)
        res.on('close', () => clearTimeout(timer))
        return
      }
      case 'hang':
        return
      case 'trickle': {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{')
        const timer = setInterval(() => res.write(' '), fault.everyMs)
        res.on('close', () => clearInterval(timer))
        return
      }
      case 'endless': {
        res.writeHead(200, { 'content-type': 'application/json' })
        const chunk = Buffer.alloc(64 * 1024, 0x20)
        let open = true
        res.on('close', () => {
          open = false
        })
        const pump = () => {
          while (open && res.write(chunk)) {}
          if (open) res.once('drain', pump)
        }
        res.write('{"x":"')
        pump()
        return
      }
      case 'reset':
        req.socket.destroy()
        return
    }
  }
}
