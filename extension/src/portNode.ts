/**
 * The DiscomfortPort node: a frontend-registered node (not virtual, so
 * graphToPrompt emits it as a pseudo-node the bridge compiles away). Its mode
 * follows its links and shows in its title, colour and a badge line; INPUT
 * ports show what the active context holds for their key, OUTPUT ports what
 * they captured last.
 */
import { MODE_STYLES, portMode, portTitle, type PortMode } from './portMode.js'
import type { PageUi } from './pageUi.js'
import type { DiscomfortStore } from './state.js'

/** The parts of litegraph this node uses (the frontend exposes them as globals). */
interface Widget {
  name: string
  value: unknown
  type?: string
  options?: Record<string, unknown>
  serialize?: boolean
}
interface Slot {
  name: string
  type: string
  link?: number | null
  links?: number[] | null
}
interface GraphLike {
  links:
    | Record<number, { origin_id: number; origin_slot: number; target_id: number; target_slot: number; type: string }>
    | Map<number, unknown>
  getNodeById(id: number): { outputs?: Slot[]; inputs?: Slot[] } | null
}
export interface PortNodeInstance {
  title: string
  color?: string
  bgcolor?: string
  inputs: Slot[]
  outputs: Slot[]
  widgets?: Widget[]
  graph?: GraphLike | null
  properties: Record<string, unknown>
  mode?: number
  addInput(name: string, type: string, extra?: Record<string, unknown>): void
  addOutput(name: string, type: string): void
  addWidget(
    type: string,
    name: string,
    value: unknown,
    callback?: (v: unknown) => void,
    options?: Record<string, unknown>,
  ): Widget
  setDirtyCanvas?(fg: boolean, bg: boolean): void
  size?: [number, number]
  computeSize?(): [number, number]
  setSize?(size: [number, number]): void
  /** ComfyUI's DOM widgets (an element placed over the canvas under the node's widgets). */
  addDOMWidget?(name: string, type: string, element: HTMLElement, options?: Record<string, unknown>): Widget
}

export const PORT_TYPE = 'DiscomfortPort'

/** The mode of a port instance, from its slots. */
export function modeOf(node: Pick<PortNodeInstance, 'inputs' | 'outputs'>): PortMode {
  return portMode(node.inputs?.[0]?.link != null, node.outputs?.[0]?.links?.length ?? 0)
}

function uniqueIdOf(node: Pick<PortNodeInstance, 'widgets'>): string {
  return String(node.widgets?.find((w) => w.name === 'unique_id')?.value ?? '')
}

/** The type carried: the neighbour's slot type (links into a `*` input are typed `*`). */
function carriedType(node: PortNodeInstance): string | undefined {
  const graph = node.graph
  if (!graph) return undefined
  type Link = { origin_id: number; origin_slot: number; target_id: number; target_slot: number; type?: string }
  const linkOf = (id: number | null | undefined): Link | undefined => {
    if (id == null) return undefined
    const links = graph.links as unknown as { get?: (k: number) => unknown } & Record<number, unknown>
    return (typeof links.get === 'function' ? links.get(id) : links[id]) as Link | undefined
  }
  const known = (t: unknown): t is string => typeof t === 'string' && t !== '*' && t !== ''
  const incoming = linkOf(node.inputs?.[0]?.link)
  if (incoming) {
    const t = graph.getNodeById(incoming.origin_id)?.outputs?.[incoming.origin_slot]?.type
    if (known(t)) return t
    if (known(incoming.type)) return incoming.type
  }
  for (const id of node.outputs?.[0]?.links ?? []) {
    const l = linkOf(id)
    if (!l) continue
    const t = graph.getNodeById(l.target_id)?.inputs?.[l.target_slot]?.type
    if (known(t)) return t
    if (known(l.type)) return l.type
  }
  return undefined
}

/** Title, colours and the status line, from the links and the active context. */
export function refreshPort(node: PortNodeInstance, store: DiscomfortStore | undefined, typeHint?: string): void {
  const mode = modeOf(node)
  const uniqueId = uniqueIdOf(node)
  const type =
    carriedType(node) ??
    (typeHint && typeHint !== '*' ? typeHint : undefined) ??
    (node.properties.discomfortType as string | undefined)
  if (type) node.properties.discomfortType = type
  if (mode === 'INPUT' && !(node.outputs?.[0]?.links?.length ?? 0)) delete node.properties.discomfortType
  node.title = portTitle(uniqueId, mode, type)
  node.color = MODE_STYLES[mode].color
  node.bgcolor = MODE_STYLES[mode].bgcolor
  node.properties.discomfortMode = mode
  showPreview(node, mode, uniqueId, store)
  const status = node.widgets?.find((w) => w.name === 'context')
  if (status) {
    const entry = store?.entry(uniqueId)
    const summary = entry ? (store?.state.summaries[uniqueId] ?? `${entry.comfyType}, ${entry.kind}`) : undefined
    status.value =
      store?.state.status !== 'up'
        ? 'bridge not connected'
        : !uniqueId.trim()
          ? 'give it a unique_id (its key)'
          : !store.state.activeContext
            ? 'no active context'
            : mode === 'OUTPUT'
              ? entry
                ? `last: ${summary}`
                : 'nothing captured yet'
              : entry
                ? `context: ${summary}`
                : `context has no "${uniqueId}"`
  }
  fitTitle(node)
  node.setDirtyCanvas?.(true, true)
}

let measure: CanvasRenderingContext2D | null | undefined
/** Widen the node so its title shows whole (the title carries the key, the mode and the type). */
function fitTitle(node: PortNodeInstance): void {
  if (!node.size) return
  measure ??= typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d')
  if (!measure) return
  const lg = (globalThis as { LiteGraph?: { NODE_TEXT_SIZE?: number; NODE_TITLE_HEIGHT?: number } }).LiteGraph
  measure.font = `${lg?.NODE_TEXT_SIZE ?? 14}px Arial`
  const needed = Math.ceil(measure.measureText(node.title).width) + (lg?.NODE_TITLE_HEIGHT ?? 30) + 20
  if (node.size[0] < needed) node.size[0] = needed
}

/** How tall the picture under a port's widgets is at least. */
const PREVIEW_HEIGHT = 120

/** The <img> of a port's preview DOM widget, when the frontend has DOM widgets. */
const previews = new WeakMap<PortNodeInstance, HTMLImageElement>()

/** An INPUT or OUTPUT port whose key holds an image or mask shows it under its widgets, as LoadImage does. */
function showPreview(node: PortNodeInstance, mode: string, uniqueId: string, store: DiscomfortStore | undefined): void {
  const img = previews.get(node)
  if (!img) return
  const entry = store?.state.status === 'up' ? store.entry(uniqueId) : undefined
  const ctx = store?.state.activeContext
  const src =
    entry && ctx && (entry.kind === 'image' || entry.kind === 'mask') && mode !== 'PASSTHRU'
      ? store!.client.thumbnailUrl(ctx, uniqueId, entry.version)
      : ''
  if (img.getAttribute('src') === src || (!src && !img.hasAttribute('src'))) return
  if (src) {
    img.src = src
    img.style.display = ''
  } else {
    img.removeAttribute('src')
    img.style.display = 'none'
  }
  // Grown to show the picture, back to its widgets' height without one (its width as the user left it).
  const fitted = node.computeSize?.()
  if (fitted && node.size && (src ? node.size[1] < fitted[1] : node.size[1] > fitted[1]))
    node.setSize?.([node.size[0], fitted[1]])
  node.setDirtyCanvas?.(true, true)
}

/** A typed entry as the port's type reads it, or why it cannot be. */
export function valueForPort(type: string, text: string): { value: unknown } | { error: string } {
  if (type === 'INT' || type === 'FLOAT') {
    const n = Number(text)
    if (text.trim() === '' || !Number.isFinite(n)) return { error: `"${text}" is not a number` }
    if (type === 'INT' && !Number.isInteger(n)) return { error: `"${text}" is not a whole number (this port is INT)` }
    return { value: n }
  }
  if (type === 'BOOLEAN') {
    const t = text.trim().toLowerCase()
    return t === 'true' || t === 'false' ? { value: t === 'true' } : { error: `"${text}" is not true or false` }
  }
  if (type === 'STRING' || type === 'COMBO') return { value: text }
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return { value: text }
  }
}

/**
 * What an INPUT port's "set value" asks for: a file for IMAGE, MASK and
 * LATENT, else a typed value in the frontend's own prompt dialog; what goes
 * wrong is said in its toasts.
 */
async function setValueFromNode(node: PortNodeInstance, given: DiscomfortStore | undefined, ui: PageUi): Promise<void> {
  const key = uniqueIdOf(node).trim()
  const store = given?.state.status === 'up' ? given : undefined
  const ctx = store?.state.activeContext
  if (!store || !ctx)
    return ui.toast('warn', 'No context', 'Connect the bridge and choose a context in the Discomfort panel first.')
  if (!key) return ui.toast('warn', 'No key', 'Give this port a unique_id first: the key its value is stored under.')
  const type = String(node.properties.discomfortType ?? '*')
  const failed = (e: Error) => ui.toast('error', `"${key}" is unchanged`, e.message)
  if (type === 'IMAGE' || type === 'MASK' || type === 'LATENT') {
    const input = Object.assign(document.createElement('input'), {
      type: 'file',
      accept: type === 'LATENT' ? '.latent' : '.png,image/png',
    })
    input.onchange = () => {
      const file = input.files?.[0]
      if (file) void store.client.putFile(ctx, key, file, type).catch(failed)
    }
    input.click()
    return
  }
  const current = store.state.summaries[key] ?? ''
  const text = await ui.ask({
    title: `Set "${key}"`,
    message: `The value of "${key}" in context ${ctx} (${type === '*' ? 'any type: JSON or text' : type}):`,
    defaultValue: current.replace(/^"|"$/g, ''),
  })
  if (text === undefined) return
  const parsed = valueForPort(type, text)
  if ('error' in parsed) return ui.toast('error', `"${key}" is unchanged`, `${parsed.error}.`)
  // The port's own type, so a FLOAT port's 2 is stored as FLOAT 2.0, not INT.
  const scalar = ['INT', 'FLOAT', 'BOOLEAN', 'STRING'].includes(type) ? type : undefined
  await store.client.putValue(ctx, key, parsed.value, scalar).catch(failed)
}

/** What the port node asks of the page. */
export interface PortPage {
  store(): DiscomfortStore | undefined
  /** The frontend's dialogs and toasts (set once the page is up). */
  ui(): PageUi | undefined
  /** The outline styles the frontend gives its own nodes (node error, running...), where it gives ours none. */
  strokeStyles(): Record<string, unknown> | undefined
}

/** Define the node class on the page's litegraph. */
export function definePortNode(base: new () => PortNodeInstance, page: PortPage): new () => PortNodeInstance {
  const getStore = () => page.store()
  class DiscomfortPortNode extends base {
    static title = 'Discomfort Port'
    static category = 'Discomfort'
    static description =
      'Reads a context value (INPUT), captures one (OUTPUT), or marks a stitching point (PASSTHRU), by its links.'
    comfyClass = PORT_TYPE
    isVirtualNode = false
    serialize_widgets = true

    constructor() {
      super()
      // Outlined as ComfyUI outlines its own nodes (a validation error in red, the running node in green):
      // frontends before 1.58 give those styles only to nodes made from a server definition.
      const styles = (this as { strokeStyles?: Record<string, unknown> }).strokeStyles
      for (const [name, style] of Object.entries((styles && page.strokeStyles()) ?? {}))
        if (styles && !(name in styles)) styles[name] = style
      this.addInput('input_data', '*', { shape: 7 })
      this.addOutput('output_data', '*')
      this.addWidget('text', 'unique_id', '', () => refreshPort(this, getStore()))
      // A read-only line with the context's value for this key; not saved, not sent.
      const status = this.addWidget('text', 'context', '', () => {}, {
        serialize: false,
        readonly: true,
        disabled: true,
      })
      status.serialize = false
      if (status.options) status.options.serialize = false
      // Set this port's value in the active context, right here (INPUT ports read it).
      const set = this.addWidget(
        'button',
        'set value',
        null,
        () => {
          const ui = page.ui()
          if (ui) void setValueFromNode(this, getStore(), ui)
        },
        {
          serialize: false,
        },
      )
      set.serialize = false
      // The image the key holds, under the widgets (frontends with DOM widgets: all we support).
      if (typeof this.addDOMWidget === 'function') {
        const img = document.createElement('img')
        img.className = 'discomfort-preview'
        img.style.cssText = 'width:100%;height:100%;object-fit:contain;display:none;image-rendering:pixelated'
        img.alt = 'value in the context'
        const preview = this.addDOMWidget('preview', 'discomfort-preview', img, {
          serialize: false,
          hideOnZoom: false,
          // Room for the image only while there is one: a port without a picture is as tall as its widgets.
          getMinHeight: () => (img.hasAttribute('src') ? PREVIEW_HEIGHT : 0),
        })
        preview.serialize = false
        previews.set(this, img)
      }
      this.properties = { ...this.properties, 'Node name for S&R': PORT_TYPE }
      refreshPort(this, getStore())
    }

    onConnectionsChange(_side: unknown, _slot: unknown, connected: boolean, link?: { type?: unknown } | null): void {
      refreshPort(this, getStore(), connected && typeof link?.type === 'string' ? link.type : undefined)
      // Litegraph tells of a removed link before it takes the link off the slots (disconnectOutput,
      // removeLink, a neighbour removed): look again once the operation has finished.
      if (!connected) queueMicrotask(() => refreshPort(this, getStore()))
    }

    onConfigure(): void {
      refreshPort(this, getStore())
    }
  }
  return DiscomfortPortNode
}
