/**
 * What the page knows of the bridge: its status, the contexts, the active
 * context's entries and the runs in progress, kept live over the bridge's
 * WebSocket. Views subscribe; the store outlives them (a closed and reopened
 * sidebar picks up where it was).
 */
import type { HubMessage, SweepView } from '../../shared/protocol/index.js'
import { BridgeClient, type ContextSummary, type EntryMeta } from './bridgeClient.js'

interface LiveRun {
  runId: string
  source: string
  status: string
  workflow?: string
  step: number
  totalSteps: number
  nodesDone?: number
  nodesTotal?: number
  error?: string
}

export interface DiscomfortState {
  status: 'connecting' | 'up' | 'down'
  contexts: ContextSummary[]
  activeContext: string | undefined
  entries: Array<EntryMeta & { storage_type: string }>
  summaries: Record<string, string>
  runs: Record<string, LiveRun>
  /** Sweeps the bridge runs or ran, by id. */
  sweeps: Record<string, SweepView>
}

const ACTIVE_KEY = 'Discomfort.ActiveContext'

export class DiscomfortStore {
  readonly client: BridgeClient
  state: DiscomfortState = {
    status: 'connecting',
    contexts: [],
    activeContext: undefined,
    entries: [],
    summaries: {},
    runs: {},
    sweeps: {},
  }
  private listeners = new Set<(s: DiscomfortState) => void>()
  private ws: WebSocket | undefined
  private retry: ReturnType<typeof setTimeout> | undefined

  constructor(url: string) {
    this.client = new BridgeClient(url)
    this.state.activeContext = localStorage.getItem(ACTIVE_KEY) ?? undefined
  }

  /** How many views listen (the sidebar while it is open, the port nodes' refresher): for the devtools console and tests. */
  get listenerCount(): number {
    return this.listeners.size
  }

  subscribe(listener: (s: DiscomfortState) => void): () => void {
    this.listeners.add(listener)
    listener(this.state)
    return () => this.listeners.delete(listener)
  }

  private emit(): void {
    for (const l of this.listeners) l(this.state)
  }

  setUrl(url: string): void {
    if (url === this.client.url) return
    this.client.url = url
    this.connect()
  }

  /** Connect (again) to the bridge's live feed; retries every few seconds while it is down. */
  connect(): void {
    if (this.retry) clearTimeout(this.retry)
    this.ws?.close()
    let ws: WebSocket
    try {
      ws = this.client.socket()
    } catch {
      this.down()
      return
    }
    this.ws = ws
    ws.onopen = () => {
      this.state.status = 'up'
      this.emit()
    }
    ws.onclose = () => {
      if (this.ws === ws) this.down()
    }
    ws.onmessage = (m) => this.onMessage(JSON.parse(String(m.data)) as HubMessage)
  }

  private down(): void {
    this.state.status = 'down'
    this.emit()
    this.retry = setTimeout(() => this.connect(), 3000)
  }

  private onMessage(message: HubMessage): void {
    if (message.type === 'hello') {
      this.state.contexts = message.contexts
      if (!this.state.activeContext || !message.contexts.some((c) => c.id === this.state.activeContext)) {
        this.state.activeContext = message.contexts[0]?.id
      }
      this.state.sweeps = Object.fromEntries((message.sweeps ?? []).map((s) => [s.id, s]))
      // The bridge's run history (it outlives page reloads and bridge restarts).
      this.state.runs = Object.fromEntries(
        message.runs.map((r) => [
          r.id,
          {
            runId: r.id,
            source: r.source,
            status: r.status,
            step: r.progress.step,
            totalSteps: r.progress.totalSteps,
            ...(r.progress.workflow ? { workflow: r.progress.workflow } : {}),
            ...(r.error ? { error: r.error.message } : {}),
          },
        ]),
      )
      void this.refreshEntries()
    } else if (message.type === 'sweep') {
      this.state.sweeps = { ...this.state.sweeps, [message.sweep.id]: message.sweep }
    } else if (message.type === 'context-changed') {
      const others = this.state.contexts.filter((c) => c.id !== message.context.id)
      this.state.contexts = message.closed
        ? others
        : [...others, message.context].sort((a, b) => a.id.localeCompare(b.id))
      if (message.context.id === this.state.activeContext) void this.refreshEntries()
      if (!this.state.activeContext && !message.closed) this.setActive(message.context.id)
    } else if (message.type === 'run-event') {
      const e = message.event
      const run: LiveRun = this.state.runs[e.runId] ?? {
        runId: e.runId,
        source: message.run.source,
        status: 'running',
        step: 0,
        totalSteps: 0,
      }
      run.status = message.run.status
      if (e.type === 'run-started') run.totalSteps = e.totalSteps
      if (e.type === 'workflow-started')
        Object.assign(run, {
          step: e.step,
          totalSteps: e.totalSteps,
          workflow: e.workflow,
          nodesDone: 0,
          nodesTotal: undefined,
        })
      if (e.type === 'node') Object.assign(run, { nodesDone: e.done, nodesTotal: e.total })
      if (e.type === 'run-failed') run.error = e.error.message
      this.state.runs = { ...this.state.runs, [e.runId]: run }
    }
    this.emit()
  }

  setActive(id: string | undefined): void {
    this.state.activeContext = id
    if (id) localStorage.setItem(ACTIVE_KEY, id)
    void this.refreshEntries()
    this.emit()
  }

  private refreshing: Promise<void> | undefined
  private refreshAgain = false

  /**
   * Read the active context's keys again. Many changes in a row (a script
   * saving a thousand keys) make one request at a time: while one is out,
   * later calls only ask for one more when it is back.
   */
  refreshEntries(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true
      return this.refreshing
    }
    this.refreshing = this.readEntries().finally(() => {
      this.refreshing = undefined
      if (this.refreshAgain) {
        this.refreshAgain = false
        void this.refreshEntries()
      }
    })
    return this.refreshing
  }

  private async readEntries(): Promise<void> {
    const id = this.state.activeContext
    if (!id) {
      this.state.entries = []
      this.emit()
      return
    }
    try {
      const entries = await this.client.keys(id)
      const summaries: Record<string, string> = {}
      for (const e of entries) if (e.summary) summaries[e.key] = e.summary
      // Values on disk come without a summary: ask for those few (binary kinds show a thumbnail or their kind).
      const missing = entries.filter((e) => !e.summary && !['image', 'mask', 'latent'].includes(e.kind)).slice(0, 50)
      await Promise.all(
        missing.map(async (e) => {
          summaries[e.key] = (await this.client.value(id, e.key)).summary
        }),
      )
      if (this.state.activeContext !== id) return
      this.state.entries = entries
      this.state.summaries = summaries
    } catch {
      this.state.entries = []
    }
    this.emit()
  }

  entry(key: string): (EntryMeta & { storage_type: string }) | undefined {
    return this.state.entries.find((e) => e.key === key)
  }
}
