/** Live sweep events, per sweep and for all of them: what event-stream followers and the page's feed listen to. */
import { EventEmitter } from 'node:events'
import type { SweepEvent } from '../../shared/protocol/index.js'

export class SweepEvents {
  private readonly emitter = new EventEmitter()

  constructor() {
    this.emitter.setMaxListeners(0)
  }

  emit(id: string, e: SweepEvent): void {
    this.emitter.emit(id, e)
    this.emitter.emit('*', { id, e })
  }

  /** Every sweep's events. */
  onAny(listener: (id: string, e: SweepEvent) => void): () => void {
    const l = (payload: { id: string; e: SweepEvent }) => listener(payload.id, payload.e)
    this.emitter.on('*', l)
    return () => this.emitter.off('*', l)
  }

  /** One sweep's events. */
  subscribe(id: string, listener: (e: SweepEvent) => void): () => void {
    this.emitter.on(id, listener)
    return () => this.emitter.off(id, listener)
  }
}
