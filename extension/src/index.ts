/**
 * The Discomfort ComfyUI extension: the DiscomfortPort node, the context
 * sidebar, and runs with ports routed through the bridge.
 */
import type { ComfyApp, ComfyExtension } from '@comfyorg/comfyui-frontend-types'
// The page's own modules (kept as imports by the build).
import { api } from '../../scripts/api.js'
import { app } from '../../scripts/app.js'
import { anyNodeInView, viewOfAll, type NodeBox, type View } from './fitView.js'
import { definePortNode, PORT_TYPE, refreshPort, type PortNodeInstance } from './portNode.js'
import { installQueueHook, type ApiLike } from './queueHook.js'
import { pageUi, type PageUi } from './pageUi.js'
import { renderSidebar } from './sidebar.js'
import { DiscomfortStore } from './state.js'
import { ANNOUNCEMENT_FILE, announcedUrl, type BridgeAnnouncement } from '../../shared/protocol/announcement.js'

const URL_SETTING = 'Discomfort.BridgeUrl'
const TOKEN_SETTING = 'Discomfort.BridgeToken'
const DEFAULT_URL = 'http://127.0.0.1:8189'

interface FetchApi {
  fetchApi(route: string, options?: RequestInit): Promise<Response>
}

/** The bridge the page's ComfyUI announced (a bridge writes where it listens into ComfyUI's user data). */
async function announcedBridge(): Promise<string | undefined> {
  const res = await (api as unknown as FetchApi).fetchApi(`/userdata/${encodeURIComponent(ANNOUNCEMENT_FILE)}`)
  if (!res.ok) return undefined
  const a = (await res.json()) as BridgeAnnouncement
  return typeof a?.port === 'number' ? announcedUrl(a, window.location.hostname) : undefined
}

/**
 * A setting typed into a text box changes on every keystroke: it is applied
 * once the typing stops, not once per character (no connection to
 * "http://127.0.0.1:8", then ":81", ...).
 */
const pendingSettings = new Map<(value: unknown) => void, { timer: ReturnType<typeof setTimeout>; value: unknown }>()

function whenTypingStops(apply: (value: unknown) => void, ms = 800): (value: unknown) => void {
  return (value) => {
    const pending = pendingSettings.get(apply)
    if (pending) clearTimeout(pending.timer)
    const timer = setTimeout(() => {
      pendingSettings.delete(apply)
      apply(value)
    }, ms)
    pendingSettings.set(apply, { timer, value })
  }
}

/** A run queued right after a setting changed uses the new value: what is still waiting is applied now. */
function applyPendingSettings(): void {
  for (const [apply, { timer, value }] of pendingSettings) {
    clearTimeout(timer)
    apply(value)
  }
  pendingSettings.clear()
}

/** A URL set by hand (the old default counts as not set: the page then finds its bridge itself). */
const chosenUrl = (value: unknown): string | undefined => {
  const url = String(value ?? '').trim()
  return url && url !== DEFAULT_URL ? url : undefined
}

/** The open workflow's name as its tab shows it ("invert.json" → "invert"), on every supported frontend. */
function activeWorkflowName(manager: unknown): string | undefined {
  const active = (manager as { workflow?: { activeWorkflow?: { filename?: string; path?: string } | null } }).workflow
    ?.activeWorkflow
  const name = active?.filename ?? active?.path?.split('/').pop()
  return name?.replace(/\.json$/i, '') || undefined
}

let store: DiscomfortStore | undefined
/** The frontend's dialogs, toasts and canvas (once the page is set up). */
let ui: PageUi | undefined
const getStore = () => store

interface LiteGraphGlobal {
  registerNodeType(type: string, ctor: unknown): void
  registered_node_types: Record<string, unknown>
  createNode(type: string): { strokeStyles?: Record<string, unknown> } | null
}

const w = window as unknown as { LiteGraph: LiteGraphGlobal; LGraphNode: new () => PortNodeInstance }

/** Nodes ComfyUI makes from server definitions on every frontend: where its outline styles are borrowed from. */
const STYLE_DONORS = ['ImageInvert', 'PreviewImage', 'KSampler', 'SaveImage']
let borrowedStyles: Record<string, unknown> | undefined | null = null

/** The outline styles of ComfyUI's own nodes (taken once from a node made, not added to any graph). */
function comfyStrokeStyles(): Record<string, unknown> | undefined {
  if (borrowedStyles !== null) return borrowedStyles
  borrowedStyles = undefined
  for (const type of STYLE_DONORS) {
    if (!(type in w.LiteGraph.registered_node_types)) continue
    const styles = w.LiteGraph.createNode(type)?.strokeStyles
    if (styles && Object.keys(styles).length) {
      borrowedStyles = styles
      break
    }
  }
  return borrowedStyles
}

function refreshAllPorts(comfy: ComfyApp): void {
  const graph = (comfy as unknown as { graph?: { _nodes?: PortNodeInstance[]; nodes?: PortNodeInstance[] } }).graph
  for (const node of graph?.nodes ?? graph?._nodes ?? []) {
    if ((node as unknown as { type?: string }).type === PORT_TYPE) refreshPort(node, store)
  }
}

interface CanvasLike {
  ds: View
  canvas: HTMLCanvasElement
  setDirty(fg: boolean, bg: boolean): void
}

/** After a graph loads (and its saved view is applied), bring it into view if no node shows. */
function bringIntoView(comfy: ComfyApp): void {
  const { canvas, graph } = comfy as unknown as {
    canvas?: CanvasLike
    graph?: { nodes?: NodeBox[]; _nodes?: NodeBox[] }
  }
  const nodes = graph?.nodes ?? graph?._nodes ?? []
  if (!canvas?.ds || !nodes.length) return
  const width = canvas.canvas.clientWidth
  const height = canvas.canvas.clientHeight
  if (!width || !height || anyNodeInView(nodes, canvas.ds, width, height)) return
  const view = viewOfAll(nodes, width, height)
  if (!view) return
  canvas.ds.scale = view.scale
  canvas.ds.offset = view.offset
  canvas.setDirty(true, true)
}

const extension: ComfyExtension = {
  name: 'Discomfort',
  settings: [
    {
      id: URL_SETTING,
      name: 'Discomfort bridge URL (empty: the bridge that drives this ComfyUI, found by itself)',
      type: 'text',
      defaultValue: '',
      category: ['Discomfort', 'Bridge', 'URL'],
      onChange: whenTypingStops((value) => {
        const url = chosenUrl(value)
        if (url) store?.setUrl(url)
        else store?.findBridge(announcedBridge, DEFAULT_URL)
      }),
    },
    {
      id: TOKEN_SETTING,
      name: 'Discomfort bridge token (for a bridge on another machine)',
      type: 'text',
      defaultValue: '',
      category: ['Discomfort', 'Bridge', 'Token'],
      onChange: whenTypingStops((value) => store?.setToken(String(value ?? ''))),
    },
  ],
  registerCustomNodes() {
    const node = definePortNode(w.LGraphNode, {
      store: getStore,
      ui: () => ui,
      strokeStyles: comfyStrokeStyles,
    }) as unknown as { category: string }
    w.LiteGraph.registerNodeType(PORT_TYPE, node)
    // Registration resets the category; put it back (as rgthree-comfy does).
    node.category = 'Discomfort'
  },
  /** Frontend-only nodes get a synthesised definition: give ours its name, category and help. */
  beforeRegisterVueAppNodeDefs(defs: unknown[]) {
    for (const def of defs as Array<Record<string, unknown>>) {
      if (def.name !== PORT_TYPE) continue
      def.display_name = 'Discomfort Port'
      def.category = 'Discomfort'
      def.python_module = 'custom_nodes.discomfort'
      def.description =
        'Reads a context value (INPUT), captures one (OUTPUT), or marks a stitching point (PASSTHRU), by its links.'
    }
  },
  /** Runs before the frontend applies a workflow's saved view: look once that is done. */
  afterConfigureGraph() {
    setTimeout(() => bringIntoView(app as unknown as ComfyApp), 0)
  },
  async setup(comfy: ComfyApp) {
    const manager = comfy.extensionManager
    const page = api as unknown as ApiLike
    ui = pageUi(manager, app)
    const chosen = chosenUrl(manager.setting.get(URL_SETTING))
    store = new DiscomfortStore(DEFAULT_URL, () => page.clientId ?? page.initialClientId)
    store.client.token = String(manager.setting.get(TOKEN_SETTING) ?? '')
    if (chosen) store.setUrl(chosen)
    else store.findBridge(announcedBridge, DEFAULT_URL)
    store.subscribe(() => refreshAllPorts(comfy))
    // A handle for the devtools console: window.discomfort.store.state, .listenerCount.
    ;(window as unknown as { discomfort: { store: DiscomfortStore } }).discomfort = { store }
    // The sidebar's listener on the store, removed when the tab closes.
    let unmountSidebar: (() => void) | undefined
    manager.registerSidebarTab({
      id: 'discomfort',
      icon: 'pi pi-database',
      title: 'Discomfort',
      tooltip: 'Discomfort contexts',
      type: 'custom',
      render: (el: HTMLElement) => {
        unmountSidebar?.()
        unmountSidebar = renderSidebar(el, store!, ui!)
      },
      destroy: () => {
        unmountSidebar?.()
        unmountSidebar = undefined
      },
    })
    installQueueHook(page, {
      store: () => {
        applyPendingSettings()
        return store!
      },
      toast: (severity, summary, detail) => manager.toast.add({ severity, summary, detail, life: 8000 }),
      nodes: () =>
        (app as unknown as { graph?: { nodes?: Array<{ widgets?: Array<{ value: unknown }> }> } }).graph?.nodes ?? [],
      workflowName: () => activeWorkflowName(manager),
    })
  },
}

app.registerExtension(extension)
