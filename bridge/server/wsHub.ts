/**
 * /api/ws: live updates for the sidebar and scripts. On connect, a `hello`
 * with the contexts and recent runs; then `run-event` and `context-changed`.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { RunEvent } from '../runs/runner.js'
import type { ContextHandle, ContextStoreApi } from '../store/contextHandle.js'
import { runView } from '../runs/record.js'
import { routes, type HubMessage } from '../../shared/protocol/index.js'
import type { RunManager, RunRecord } from '../runs/manager.js'
import { hostAllowed, originAllowed, requestToken, tokenMatches, type AccessRules } from './security.js'

import type { SweepService } from '../sweep/sweepService.js'

export type { HubMessage }

export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly clients = new Set<WebSocket>()

  constructor(
    private readonly store: ContextStoreApi,
    private readonly runs: RunManager,
    private readonly options: AccessRules,
    private readonly sweeper?: SweepService,
  ) {
    runs.onEvent((run: RunRecord, event: RunEvent) => this.broadcast({ type: 'run-event', run: runView(run), event }))
    this.offSweeps = sweeper?.onAny((id, e) => this.sweepChanged(id, e.type === 'sweep'))
  }

  private readonly offSweeps: (() => void) | undefined
  /** Sweeps whose counts changed since the last broadcast (sent at most every 250 ms each). */
  private readonly sweepTimers = new Map<string, NodeJS.Timeout>()

  private sweepChanged(id: string, ended: boolean): void {
    const send = async () => {
      this.sweepTimers.delete(id)
      if (!this.sweeper || this.clients.size === 0) return
      this.broadcast({ type: 'sweep', sweep: await this.sweeper.view(id) })
    }
    if (ended) {
      clearTimeout(this.sweepTimers.get(id))
      void send().catch(() => {})
      return
    }
    if (!this.sweepTimers.has(id))
      this.sweepTimers.set(
        id,
        setTimeout(() => void send().catch(() => {}), 250),
      )
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://bridge')
      if (url.pathname !== routes.hub.path) {
        socket.destroy()
        return
      }
      if (
        !hostAllowed(req.headers.host, this.options.host) ||
        !originAllowed(req.headers.origin, this.options.allowedOrigins) ||
        !tokenMatches(this.options.token, requestToken(req))
      ) {
        socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
        socket.destroy()
        return
      }
      this.wss.handleUpgrade(req, socket, head, async (ws) => {
        this.clients.add(ws)
        ws.on('close', () => this.clients.delete(ws))
        ws.on('error', () => this.clients.delete(ws))
        const sweeps = this.sweeper ? await Promise.resolve(this.sweeper.list()).catch(() => []) : undefined
        // With Redis away for a moment, the page still gets its contexts; the runs come with the next hello.
        const runs = await this.runs.list(50).catch(() => [])
        this.send(ws, {
          type: 'hello',
          contexts: this.store.list().map((c) => c.summary()),
          runs: runs.map((r) => runView(r)),
          ...(sweeps ? { sweeps: sweeps.slice(0, 20) } : {}),
        })
      })
    })
  }

  contextChanged(context: ContextHandle, change: { keys: string[]; deleted?: boolean }): void {
    // Summaries only for someone listening.
    if (this.clients.size === 0) return
    const closed = context.isClosed
    this.broadcast({
      type: 'context-changed',
      context: closed
        ? { id: context.id, durable: context.durable, keys: 0, usage: context.getUsage() }
        : context.summary(),
      keys: change.keys,
      ...(change.deleted ? { deleted: true } : {}),
      ...(closed ? { closed: true } : {}),
    })
  }

  private send(ws: WebSocket, message: HubMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
  }

  broadcast(message: HubMessage): void {
    const text = JSON.stringify(message)
    for (const ws of this.clients) if (ws.readyState === ws.OPEN) ws.send(text)
  }

  close(): void {
    this.offSweeps?.()
    for (const t of this.sweepTimers.values()) clearTimeout(t)
    this.sweepTimers.clear()
    for (const ws of this.clients) ws.terminate()
    this.wss.close()
  }
}
