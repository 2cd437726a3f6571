/**
 * One HTTP exchange with a whole body each way, on node:http with a
 * keep-alive agent: how the client talks to the bridge and the bridge to
 * ComfyUI. For values of several megabytes this is about twice as fast as
 * fetch here (fetch moves bodies through web streams), and for a small JSON
 * request it costs about a third of fetch's CPU; event streams still use fetch.
 * The whole exchange, answer included, must end within `timeoutMs` (a
 * server that trickles its answer a byte at a time is cut off too), else it
 * fails with a TimeoutError; an answer longer than `maxBytes` fails with a
 * TooLargeError as soon as it passes that size, so an endless body costs
 * nothing but the bytes up to the limit.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

export interface Exchange {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) }

export function exchange(
  url: string,
  options: {
    method: string
    headers: Record<string, string>
    body?: Uint8Array | string
    timeoutMs: number
    /** Default: no limit (the caller's own bridge); every exchange with ComfyUI sets one. */
    maxBytes?: number
  },
): Promise<Exchange> {
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY
  const target = new URL(url)
  const secure = target.protocol === 'https:'
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body
  return new Promise((resolve, reject) => {
    // The first reason the exchange was cut short wins over the socket errors it causes.
    let failure: Error | undefined
    const fail = (e: Error) => {
      clearTimeout(deadline)
      reject(failure ?? e)
    }
    const cut = (e: Error) => {
      failure ??= e
      req.destroy(e)
    }
    const req = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method: options.method,
        agent: secure ? agents.https : agents.http,
        headers: { ...options.headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) },
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        const declared = Number(res.headers['content-length'])
        if (declared > maxBytes) {
          cut(tooLarge(declared, maxBytes))
          return
        }
        res.on('data', (c: Buffer) => {
          size += c.byteLength
          if (size > maxBytes) cut(tooLarge(size, maxBytes))
          else chunks.push(c)
        })
        res.on('error', fail)
        res.on('end', () => {
          clearTimeout(deadline)
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
          })
        })
      },
    )
    const timedOut = () =>
      cut(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { name: 'TimeoutError' }))
    req.on('timeout', timedOut)
    const deadline = setTimeout(timedOut, options.timeoutMs)
    req.on('close', () => clearTimeout(deadline))
    req.on('error', fail)
    req.end(body)
  })
}

const tooLarge = (size: number, maxBytes: number) =>
  Object.assign(new Error(`the answer is larger than ${maxBytes} bytes (${size} so far)`), { name: 'TooLargeError' })
