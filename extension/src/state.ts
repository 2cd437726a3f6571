/**
 * What the page knows of the bridge: its status, the contexts, the active
 * context's entries and the runs in progress, kept live over the bridge's
 * WebSocket. Views subscribe; the store outlives them (a closed and reopened
 * sidebar picks up where it was).
 */
import type { HubMessage, RunView, SweepView } from '../../shared/protocol/index.js'
import { BridgeClient, type ContextSummary, type KeyEntry, type ServerInfo } from './bridgeClient.js'

/** A run as the panel shows it: its record from the bridge, and the node progress of the workflow running. */
export interface LiveRun {
  runId: string
  source: RunView['source']
  status: RunView['status']
  contextId: string
  workflows: string[]
  createdAt: string
  finishedAt?: string
  workflow?: string
  step: number
  totalSteps: number
  nodesDone?: number
  nodesTotal?: number
  error?: string
  /** The OUTPUT keys it wrote. */
  outputs?: string[]
  /** The bridge can run it again. */
  rerunnable?: boolean
  /** How many times ComfyUI lost a prompt of it (a restart) and the bridge submitted it again. */
  resubmitted?: number
}

const fromView = (r: RunView): LiveRun => ({
  runId: r.id,
  source: r.source,
  status: r.status,
  contextId: r.contextId,
  workflows: r.workflows,
  createdAt: r.createdAt,
  step: r.progress.step,
  totalSteps: r.progress.totalSteps,
  ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
  ...(r.progress.workflow ? { workflow: r.progress.workflow } : {}),
  ...(r.error ? { error: r.error.message } : {}),
  ...(r.outputs ? { outputs: r.outputs } : {}),
  ...(r.rerunnable ? { rerunnable: true } : {}),
  ...(r.resubmitted ? { resubmitted: r.resubmitted } : {}),
})

export interface DiscomfortState {
  status: 'connecting' | 'up' | 'down'
  /** Why it is down: nothing answers, or the bridge wants a token the page does not have (or has wrong). */
  downReason?: 'unreachable' | 'token'
  contexts: ContextSummary[]
  activeContext: string | undefined
  entries: KeyEntry[]
  summaries: Record<string, string>
  runs: Record<string, LiveRun>
  /** Sweeps the bridge runs or ran, by id. */
  sweeps: Record<string, SweepView>
  /** The ComfyUI servers the bridge drives, as last read while a view watches them (undefined: not read yet). */
  servers?: ServerInfo[]
}

const ACTIVE_KEY = 'Discomfort.ActiveContext'

/** How often the servers are read again while nothing on the hub says runs moved (a server can go down or be paused from elsewhere). */
export const SERVERS_EVERY_MS = 5000
/** After a run or sweep event, how soon they are read (events in a burst make one read). */
const SERVERS_SOON_MS = 300

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
  /**
   * Where the bridge is when no URL is set: asked before each (re)connect
   * (the bridge the page's ComfyUI announced, shared/protocol/announcement.ts).
   * Absent: the URL was set by hand.
   */
  private locate: (() => Promise<string | undefined>) | undefined
  /** How the URL in use was found, for what the panel says. */
  urlSource: 'setting' | 'announced' | 'default' = 'default'

  /**
   * @param clientId the page's ComfyUI client id, for runs started from the
   *   panel (so the page shows their progress as its own)
   */
  constructor(
    url: string,
    private readonly clientId: () => string | undefined = () => undefined,
  ) {
    this.client = new BridgeClient(url)
    this.state.activeContext = localStorage.getItem(ACTIVE_KEY) ?? undefined
  }

  /** How many views listen (the sidebar while it is open, the port nodes' refresher): for the devtools console and tests. */
  get listenerCount(): number {
    return this.listeners.size
  }

  /** How many views watch the servers (the sidebar while it is open): for the devtools console and tests. */
  get serverWatchers(): number {
    return this.watchingServers
  }

  subscribe(listener: (s: DiscomfortState) => void): () => void {
    this.listeners.add(listener)
    listener(this.state)
    return () => this.listeners.delete(listener)
  }

  private emit(): void {
    for (const l of this.listeners) l(this.state)
  }

  /** A bridge that needs a token (one on another machine): reconnect with it. */
  setToken(token: string): void {
    if (token === this.client.token) return
    this.client.token = token
    this.connect()
  }

  setUrl(url: string): void {
    this.locate = undefined
    this.urlSource = 'setting'
    if (url === this.client.url) return
    this.client.url = url
    this.connect()
  }

  /** No URL set: find the bridge before each connection (and use `fallback` while none is announced). */
  findBridge(locate: () => Promise<string | undefined>, fallback: string): void {
    this.locate = locate
    this.client.url = fallback
    this.urlSource = 'default'
    this.connect()
  }

  /** Connect (again) to the bridge's live feed; retries every few seconds while it is down. */
  connect(): void {
    if (this.retry) clearTimeout(this.retry)
    const locate = this.locate
    if (!locate) {
      this.open()
      return
    }
    void locate()
      .catch(() => undefined)
      .then((url) => {
        if (this.locate !== locate) return
        if (url) {
          this.client.url = url
          this.urlSource = 'announced'
        }
        this.open()
      })
  }

  private open(): void {
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
      delete this.state.downReason
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
    const url = this.client.url
    void this.client.probe().then((status) => {
      const reason = status === 401 || status === 403 ? 'token' : 'unreachable'
      if (this.state.status !== 'down' || this.client.url !== url || this.state.downReason === reason) return
      this.state.downReason = reason
      this.emit()
    })
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
      this.state.runs = Object.fromEntries(message.runs.map((r) => [r.id, fromView(r)]))
      void this.refreshEntries()
      this.serversSoon()
    } else if (message.type === 'sweep') {
      this.state.sweeps = { ...this.state.sweeps, [message.sweep.id]: message.sweep }
      this.serversSoon()
    } else if (message.type === 'context-changed') {
      const others = this.state.contexts.filter((c) => c.id !== message.context.id)
      this.state.contexts = message.closed
        ? others
        : [...others, message.context].sort((a, b) => a.id.localeCompare(b.id))
      if (message.closed && message.context.id === this.state.activeContext) this.setActive(this.state.contexts[0]?.id)
      else if (message.context.id === this.state.activeContext) void this.refreshEntries()
      if (!this.state.activeContext && !message.closed) this.setActive(message.context.id)
    } else if (message.type === 'run-event') {
      const e = message.event
      const before = this.state.runs[e.runId]
      const run: LiveRun = {
        ...fromView(message.run),
        ...(before?.nodesTotal !== undefined ? { nodesDone: before.nodesDone, nodesTotal: before.nodesTotal } : {}),
      }
      if (e.type === 'workflow-started') Object.assign(run, { nodesDone: 0, nodesTotal: undefined })
      if (e.type === 'node') Object.assign(run, { nodesDone: e.done, nodesTotal: e.total })
      this.state.runs = { ...this.state.runs, [e.runId]: run }
      // A prompt took or gave back a server's slot, or a server failed it (progress within a prompt changes neither).
      if (e.type !== 'node' && e.type !== 'progress') this.serversSoon()
    }
    this.emit()
  }

  /** Run a past run again; its progress shows on this page. */
  rerun(runId: string): Promise<RunView> {
    const clientId = this.clientId()
    return this.client.rerun(runId, clientId ? { clientId } : {})
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

  private watchingServers = 0
  private serversTimer: ReturnType<typeof setInterval> | undefined
  private serversSoonTimer: ReturnType<typeof setTimeout> | undefined
  private readingServers: Promise<void> | undefined
  private serversAgain = false
  /** Counts the pause and resume answers shown. */
  private serversEpoch = 0

  /**
   * Keep the servers read while a view shows them: now, shortly after each
   * hub event that moves a run or sweep, and every SERVERS_EVERY_MS otherwise
   * (not while the page is hidden). One read at a time, and the state changes
   * (and views redraw) only when what the bridge says changed. Returns the stop.
   */
  watchServers(): () => void {
    this.watchingServers++
    if (!this.serversTimer) {
      this.serversTimer = setInterval(() => {
        if (document.visibilityState !== 'hidden') void this.refreshServers()
      }, SERVERS_EVERY_MS)
    }
    void this.refreshServers()
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      if (--this.watchingServers > 0) return
      clearInterval(this.serversTimer)
      clearTimeout(this.serversSoonTimer)
      this.serversTimer = undefined
      this.serversSoonTimer = undefined
    }
  }

  /** Read the servers shortly (once for a burst of events), when a view watches them. */
  private serversSoon(): void {
    if (!this.watchingServers || this.serversSoonTimer) return
    this.serversSoonTimer = setTimeout(() => {
      this.serversSoonTimer = undefined
      void this.refreshServers()
    }, SERVERS_SOON_MS)
  }

  /**
   * Read the servers again. One read at a time: while one is out, a later
   * call asks for one more when it is back (what changed meanwhile is not missed).
   */
  refreshServers(): Promise<void> {
    if (this.state.status !== 'up') return Promise.resolve()
    if (this.readingServers) {
      this.serversAgain = true
      return this.readingServers
    }
    // A read that started before a pause or resume answered is older than that answer: it is not shown.
    const epoch = this.serversEpoch
    this.readingServers = this.client
      .servers()
      .then(
        (servers) => {
          if (epoch === this.serversEpoch) this.showServers(servers)
        },
        // A read that fails changes nothing shown (a bridge down says so in the status line; one too old to list servers shows none).
        () => undefined,
      )
      .finally(() => {
        this.readingServers = undefined
        if (this.serversAgain) {
          this.serversAgain = false
          void this.refreshServers()
        }
      })
    return this.readingServers
  }

  /** Pause or resume a server (by label), or every server; the pool as the bridge answers it is shown at once. */
  async setServerPaused(paused: boolean, label?: string): Promise<void> {
    const servers = await this.client.setServerPaused(paused, label)
    this.serversEpoch++
    this.showServers(servers)
  }

  private showServers(servers: ServerInfo[]): void {
    if (JSON.stringify(servers) === JSON.stringify(this.state.servers)) return
    this.state.servers = servers
    this.emit()
  }

  entry(key: string): KeyEntry | undefined {
    return this.state.entries.find((e) => e.key === key)
  }
}
