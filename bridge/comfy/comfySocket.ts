/**
 * One WebSocket to ComfyUI per client id, reconnecting with exponential
 * backoff when it drops. Listeners learn of messages, binary frames, and of
 * each (re)connection, so jobs can look up what they missed in `/history`.
 */
import WebSocket from 'ws'
import { withoutCredentials } from './comfyHttp.js'
import { decodeBinaryFrame, parseWsMessage, type BinaryFrame, type ComfyWsMessage } from './messages.js'

export interface ComfySocketOptions {
  /** First reconnect delay (ms); it doubles up to `maxDelayMs`. Default 250. */
  initialDelayMs?: number
  maxDelayMs?: number
  /** How long the first connection may take (ms). Default 10 s. */
  connectTimeoutMs?: number
  /** The largest frame accepted from ComfyUI (bytes); a larger one closes the socket, which then reconnects. Default 64 MiB. */
  maxFrameBytes?: number
}

export interface ComfySocketEvents {
  message: (message: ComfyWsMessage) => void
  binary: (frame: BinaryFrame) => void
  /** `reconnect` is true after a drop. */
  open: (reconnect: boolean) => void
  close: () => void
}

type Listeners = { [K in keyof ComfySocketEvents]: Set<ComfySocketEvents[K]> }

export class ComfySocket {
  private ws: WebSocket | undefined
  private closed = false
  private attempts = 0
  private timer: NodeJS.Timeout | undefined
  private everOpened = false
  private readonly listeners: Listeners = { message: new Set(), binary: new Set(), open: new Set(), close: new Set() }
  private readonly initialDelayMs: number
  private readonly maxDelayMs: number
  private readonly connectTimeoutMs: number
  private readonly maxFrameBytes: number

  constructor(
    private readonly baseUrl: string,
    readonly clientId: string,
    options: ComfySocketOptions = {},
  ) {
    this.initialDelayMs = options.initialDelayMs ?? 250
    this.maxDelayMs = options.maxDelayMs ?? 10_000
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000
    this.maxFrameBytes = options.maxFrameBytes ?? 64 * 1024 * 1024
  }

  /** How many times the socket has opened: a job that saw the same number throughout missed nothing. */
  opens = 0

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN
  }

  on<K extends keyof ComfySocketEvents>(event: K, listener: ComfySocketEvents[K]): () => void {
    ;(this.listeners[event] as Set<ComfySocketEvents[K]>).add(listener)
    return () => (this.listeners[event] as Set<ComfySocketEvents[K]>).delete(listener)
  }

  /** Each listener on its own: one that throws cannot stop the others, nor the socket (nor the process). */
  private emit<K extends keyof ComfySocketEvents>(event: K, ...args: Parameters<ComfySocketEvents[K]>): void {
    for (const l of this.listeners[event]) {
      try {
        ;(l as (...a: Parameters<ComfySocketEvents[K]>) => void)(...args)
      } catch (e) {
        this.listenerFailures += 1
        this.lastListenerFailure = e
      }
    }
  }

  /** Listener failures so far (a bug of ours, caught so the socket lives on); tests assert there were none. */
  listenerFailures = 0
  lastListenerFailure: unknown
  /** Frames from ComfyUI that were not messages the bridge can read (not JSON, wrong shape): dropped. */
  unreadableFrames = 0

  /** Connect; resolves on the first open, rejects if that does not happen in time. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(() => {
        reject(
          new Error(
            `no WebSocket connection to ${withoutCredentials(this.baseUrl)} within ${this.connectTimeoutMs} ms`,
          ),
        )
      }, this.connectTimeoutMs)
      const off = this.on('open', () => {
        clearTimeout(timeout)
        off()
        resolve()
      })
      this.open((error) => {
        clearTimeout(timeout)
        off()
        reject(error)
      })
    })
  }

  private open(onFirstError?: (error: Error) => void): void {
    if (this.closed) return
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/ws?clientId=${encodeURIComponent(this.clientId)}`
    const ws = new WebSocket(url, { maxPayload: this.maxFrameBytes })
    this.ws = ws
    ws.on('open', () => {
      this.attempts = 0
      this.opens += 1
      const reconnect = this.everOpened
      this.everOpened = true
      this.emit('open', reconnect)
    })
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const bytes = Buffer.isBuffer(data)
          ? data
          : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as ArrayBuffer)])
        this.emit('binary', decodeBinaryFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)))
        return
      }
      const message: ComfyWsMessage | undefined = parseWsMessage(String(data))
      if (message) this.emit('message', message)
      else this.unreadableFrames += 1
    })
    ws.on('error', (error) => {
      if (!this.everOpened && onFirstError) {
        onFirstError(error)
        onFirstError = undefined
        this.close()
      }
    })
    ws.on('close', () => {
      if (this.ws !== ws) return
      this.ws = undefined
      this.emit('close')
      if (!this.closed && this.everOpened) this.scheduleReconnect()
    })
  }

  private scheduleReconnect(): void {
    const delay = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** this.attempts)
    this.attempts += 1
    // Jitter spreads reconnects of many clients after a server restart.
    this.timer = setTimeout(() => this.open(), delay * (0.75 + Math.random() * 0.5))
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    const ws = this.ws
    this.ws = undefined
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) ws.terminate()
  }
}
