/**
 * The "Discomfort" sidebar tab: bridge status and URL, the contexts, and for
 * the selected one its keys (type, pass-by, tier, size, last update,
 * thumbnails), RAM and disk usage, delete and download, and live run progress.
 */
import { runIsOpen } from '../../shared/protocol/index.js'
import { formatBytes } from './portMode.js'
import type { DiscomfortState, DiscomfortStore, LiveRun } from './state.js'
import { valueForm, type ValueForm } from './valueForm.js'

/**
 * Colours come from the frontend's own theme variables (defined by every
 * version from 1.25 to 1.58, and rewritten by its palettes), so light, dark
 * and custom palettes follow; cells never wrap, long names are cut with an
 * ellipsis (the full text is in the tooltip), and nothing is wider than the panel.
 */
const STYLE = `
.discomfort { padding: 8px; font-size: 12px; display: flex; flex-direction: column; gap: 8px; color: var(--fg-color); min-width: 0; overflow-x: hidden; box-sizing: border-box; }
.discomfort * { box-sizing: border-box; }
.discomfort .header { display: flex; align-items: center; justify-content: space-between; gap: 8px; min-height: 32px; border-bottom: 1px solid var(--border-color); padding-bottom: 6px; }
.discomfort .header .title { font-weight: bold; text-transform: uppercase; white-space: nowrap; }
.discomfort .status { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.discomfort .header:has(.status.down) { flex-wrap: wrap; }
.discomfort .status.down { white-space: normal; overflow-wrap: anywhere; flex-basis: 100%; line-height: 1.4; }
.discomfort .status.up::before { content: '● '; color: #4caf50; }
.discomfort .status.down::before, .discomfort .status.connecting::before { content: '● '; color: var(--error-text, #f44336); }
.discomfort h3 { margin: 4px 0 0; font-size: 12px; font-weight: bold; color: var(--descrip-text); text-transform: uppercase; }
.discomfort select, .discomfort input:not([type=checkbox]):not([type=file]), .discomfort button {
  background: var(--comfy-input-bg); color: var(--input-text, var(--fg-color)); border: 1px solid var(--border-color);
  border-radius: 4px; font-size: 12px; padding: 3px 6px; min-width: 0; }
.discomfort button { cursor: pointer; white-space: nowrap; }
.discomfort button:hover { background: var(--content-hover-bg, var(--comfy-menu-secondary-bg)); }
.discomfort .picker { display: flex; gap: 4px; }
.discomfort .picker select { flex: 1; width: 0; text-overflow: ellipsis; }
.discomfort input[type=file] { min-width: 0; max-width: 100%; color: var(--descrip-text); }
.discomfort table { width: 100%; table-layout: fixed; border-collapse: collapse; }
.discomfort col.key { width: 30%; } .discomfort col.value { width: 24%; } .discomfort col.type { width: 20%; }
.discomfort col.size { width: 13%; } .discomfort col.act { width: 13%; }
.discomfort td.act { text-overflow: clip; }
.discomfort td, .discomfort th { border-bottom: 1px solid var(--border-color); padding: 2px 4px; text-align: left;
  vertical-align: middle; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort th { color: var(--descrip-text); font-weight: normal; }
.discomfort tr:nth-child(even) td { background: var(--tr-even-bg-color, transparent); }
.discomfort img.thumb { max-width: 40px; max-height: 32px; image-rendering: pixelated; vertical-align: middle; }
.discomfort td.act a, .discomfort td.act button { padding: 0 3px; border: none; background: none; color: var(--descrip-text); text-decoration: none; }
.discomfort .bar { height: 6px; background: var(--comfy-input-bg); border-radius: 3px; overflow: hidden; }
.discomfort .bar > div { height: 100%; background: var(--p-primary-color, #4a90e2); }
.discomfort .run, .discomfort .muted { color: var(--descrip-text); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort .run.failed { color: var(--error-text, #f44336); }
.discomfort .filter { width: 100%; }
.discomfort .value-form { display: flex; flex-direction: column; gap: 4px; }
.discomfort .value-form .row { display: flex; gap: 4px; align-items: center; min-width: 0; }
.discomfort .value-form input:not([type]) { flex: 1; min-width: 0; }
.discomfort .value-form .hint { color: var(--descrip-text); }
.discomfort .value-form .message { color: var(--descrip-text); overflow-wrap: anywhere; }
.discomfort .value-form .message.bad { color: var(--error-text, #f44336); }
.discomfort.dropping { outline: 2px dashed var(--p-primary-color, #4a90e2); outline-offset: -4px; }
.discomfort td.editable { cursor: pointer; text-decoration: underline dotted; }
.discomfort .keys-head { display: flex; align-items: center; justify-content: space-between; gap: 4px; }
.discomfort .toggle { display: flex; }
.discomfort .toggle button { border-radius: 0; padding: 1px 6px; }
.discomfort .toggle button:first-child { border-radius: 4px 0 0 4px; }
.discomfort .toggle button:last-child { border-radius: 0 4px 4px 0; border-left: none; }
.discomfort .toggle button[aria-pressed=true] { background: var(--p-primary-color, #4a90e2); color: var(--p-primary-contrast-color, #fff); }
.discomfort .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(88px, 1fr)); gap: 6px; }
.discomfort .gallery a { display: flex; flex-direction: column; gap: 2px; min-width: 0; color: var(--descrip-text); text-decoration: none; }
.discomfort .gallery img { width: 100%; aspect-ratio: 1; object-fit: contain; background: var(--comfy-input-bg); border: 1px solid var(--border-color); border-radius: 4px; image-rendering: pixelated; }
.discomfort .gallery span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort .run.line { cursor: pointer; }
.discomfort .run.line:hover, .discomfort .run.line.open { color: var(--fg-color); }
.discomfort .run-details { display: flex; flex-direction: column; gap: 4px; padding: 6px; border: 1px solid var(--border-color); border-radius: 4px; background: var(--comfy-input-bg); }
.discomfort .run-details .text { white-space: normal; overflow-wrap: anywhere; }
.discomfort .run-details .error { color: var(--error-text, #f44336); }
.discomfort .run-details .outputs { display: flex; flex-wrap: wrap; gap: 4px; }
.discomfort .run-details .outputs a, .discomfort .run-details .outputs span { display: inline-flex; align-items: center; gap: 3px; max-width: 100%; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: var(--fg-color); text-decoration: none; }
.discomfort .run-details .actions { display: flex; gap: 4px; flex-wrap: wrap; }
`

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { className?: string } = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] => {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children)
  return node
}

const bar = (used: number, capacity: number) => {
  const pct = capacity > 0 ? Math.min(100, (used / capacity) * 100) : 0
  const inner = el('div')
  inner.style.width = `${pct}%`
  return el('div', { className: 'bar', title: `${formatBytes(used)} of ${formatBytes(capacity)}` }, inner)
}

export function renderSidebar(root: HTMLElement, store: DiscomfortStore): () => void {
  const style = el('style', { textContent: STYLE })
  const container = el('div', { className: 'discomfort' })
  root.append(style, container)
  const form = valueForm(store)
  // Files dropped anywhere on the panel go into the active context.
  const accepts = (types: readonly string[] | undefined) =>
    !!types && (types.includes('Files') || types.includes('text/uri-list'))
  container.addEventListener('dragover', (e) => {
    if (!accepts(e.dataTransfer?.types)) return
    e.preventDefault()
    e.stopPropagation()
    container.classList.add('dropping')
  })
  container.addEventListener('dragleave', () => container.classList.remove('dropping'))
  container.addEventListener('drop', (e) => {
    container.classList.remove('dropping')
    const dt = e.dataTransfer
    const uri = dt?.getData('text/uri-list').split('\n')[0]?.trim()
    if (!dt || (!dt.files.length && !uri)) return
    // Ours, not ComfyUI's: its page-wide handler would open a .latent or PNG as a workflow.
    e.preventDefault()
    e.stopPropagation()
    // An image from ComfyUI's queue or assets panel comes as its /view URL.
    void (dt.files.length ? form.drop(dt.files) : form.dropUrl(uri!))
  })
  // The key filter and how many rows show: kept across redraws (so typing is not interrupted).
  const ui: KeysView = {
    filter: el('input', { className: 'filter', placeholder: 'Filter keys…' }),
    limit: PAGE,
    mode: 'list',
  }
  ui.filter.setAttribute('data-testid', 'discomfort-filter')
  ui.filter.oninput = () => {
    ui.limit = PAGE
    draw(store.state)
  }
  const draw = (s: DiscomfortState) => {
    container.replaceChildren(...view(s, store, form, ui, () => draw(store.state)))
  }
  const off = store.subscribe(draw)
  if (store.state.status === 'up') void store.refreshEntries()
  return () => {
    off()
    root.replaceChildren()
  }
}

/** Rows shown at once; more on request (a context may hold thousands of keys). */
const PAGE = 100
/** The latest runs listed (the bridge keeps many more; /api/runs lists them). */
const RUNS_SHOWN = 10

const duration = (from: string, to: string | undefined): string => {
  if (!to) return 'still running'
  const ms = Date.parse(to) - Date.parse(from)
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`
}

/** What the user chose in the panel, kept across redraws. */
interface KeysView {
  filter: HTMLInputElement
  limit: number
  /** Keys as a table, or the context's images as a gallery. */
  mode: 'list' | 'gallery'
  /** The run whose details are open. */
  openRun?: string
  /** What the last "Run again" said, for the open run. */
  runMessage?: string
}

/** Why the bridge is out of reach, and the one thing to do about it (naming the setting when it is one). */
function downText(s: DiscomfortState, store: DiscomfortStore): string {
  const url = store.client.url
  if (s.downReason === 'token')
    return `The bridge at ${url} asks for a token: set it in Settings › Discomfort › Bridge token (the one it was started with).`
  if (store.urlSource === 'setting')
    return `Bridge not reachable at ${url} (Settings › Discomfort › Bridge URL). Start it with "npx discomfort up".`
  if (store.urlSource === 'announced')
    return `The bridge this ComfyUI announced (${url}) does not answer. Start it again with "npx discomfort up", or set Settings › Discomfort › Bridge URL.`
  return `No bridge found: none announced itself to this ComfyUI, and none answers at ${url}. Start one with "npx discomfort up", or set Settings › Discomfort › Bridge URL.`
}

function view(s: DiscomfortState, store: DiscomfortStore, form: ValueForm, ui: KeysView, redraw: () => void): Node[] {
  const out: Node[] = []
  const statusText =
    s.status === 'up'
      ? `Bridge connected: ${store.client.url}`
      : s.status === 'down'
        ? downText(s, store)
        : 'Connecting…'
  const status = el('div', { className: `status ${s.status}`, title: statusText }, statusText)
  status.setAttribute('data-testid', 'discomfort-status')
  out.push(el('div', { className: 'header' }, el('span', { className: 'title' }, 'Discomfort'), status))
  if (s.status !== 'up') return out

  const select = el('select')
  select.setAttribute('data-testid', 'discomfort-context-select')
  for (const c of s.contexts) {
    const label = `${c.name ? `${c.name} — ` : ''}${c.id} (${c.keys} keys${c.durable ? ', durable' : ''})`
    select.append(el('option', { value: c.id, selected: c.id === s.activeContext, title: label }, label))
  }
  select.title = select.selectedOptions[0]?.title ?? ''
  select.onchange = () => store.setActive(select.value)
  const create = el('button', { textContent: 'New context' })
  create.onclick = async () => {
    const c = await store.client.createContext('from ComfyUI')
    store.setActive(c.id)
  }
  const active = s.contexts.find((c) => c.id === s.activeContext)
  const picker = el('div', { className: 'picker' }, select, create)
  if (active && !active.durable) {
    const keep = el('button', {
      textContent: 'Keep',
      title: 'Keep this context: its values go to disk, and it is still here after the bridge restarts',
    })
    keep.setAttribute('data-testid', 'discomfort-keep')
    keep.onclick = () => void store.client.makeDurable(active.id)
    picker.append(keep)
  }
  out.push(el('h3', {}, 'Context'), picker)

  if (active) {
    out.push(
      el(
        'div',
        {},
        `RAM ${formatBytes(active.usage.ram_usage_bytes)} of ${formatBytes(active.usage.ram_capacity_bytes)}`,
      ),
      bar(active.usage.ram_usage_bytes, active.usage.ram_capacity_bytes),
    )
    out.push(
      el('div', {}, `Disk ${formatBytes(active.usage.disk_usage_bytes)}`),
      bar(active.usage.disk_usage_bytes, Math.max(active.usage.disk_usage_bytes, active.usage.ram_capacity_bytes)),
    )
    const needle = ui.filter.value.trim().toLowerCase()
    const matching = needle ? s.entries.filter((e) => e.key.toLowerCase().includes(needle)) : s.entries
    const images = matching.filter((e) => e.kind === 'image' || e.kind === 'mask')
    const shown = ui.mode === 'gallery' ? images : matching
    const toggle = el('div', { className: 'toggle' })
    for (const [mode, label] of [
      ['list', 'List'],
      ['gallery', 'Gallery'],
    ] as const) {
      const b = el('button', { textContent: label, title: mode === 'list' ? 'Every key' : 'The images and masks' })
      b.setAttribute('aria-pressed', String(ui.mode === mode))
      b.setAttribute('data-testid', `discomfort-view-${mode}`)
      b.onclick = () => {
        ui.mode = mode
        ui.limit = PAGE
        redraw()
      }
      toggle.append(b)
    }
    out.push(
      el(
        'div',
        { className: 'keys-head' },
        el('h3', {}, `Keys (${needle ? `${matching.length} of ` : ''}${s.entries.length})`),
        toggle,
      ),
      ...(s.entries.length > 10 ? [ui.filter] : []),
      ui.mode === 'gallery'
        ? gallery(images.slice(0, ui.limit), store, active.id)
        : keysTable(matching.slice(0, ui.limit), s, store, form, active.id),
    )
    if (shown.length > ui.limit) {
      const more = el('button', {
        textContent: `Show ${Math.min(PAGE, shown.length - ui.limit)} more of ${shown.length - ui.limit}`,
      })
      more.setAttribute('data-testid', 'discomfort-more')
      more.onclick = () => {
        ui.limit += PAGE
        redraw()
      }
      out.push(more)
    }
    out.push(el('h3', {}, 'Add or change a value'), form.element)
  }

  // Sweeps: running ones first, then the latest; counts from the bridge's ledger.
  const sweeps = Object.values(s.sweeps)
    .sort(
      (a, b) =>
        Number(b.status === 'running') - Number(a.status === 'running') || b.createdAt.localeCompare(a.createdAt),
    )
    .slice(0, 5)
  if (sweeps.length) {
    const list = el('div')
    list.setAttribute('data-testid', 'discomfort-sweeps')
    for (const w of sweeps) {
      const finished = w.done + w.failed
      const text = `${w.label ?? w.workflows.join(', ')} · ${finished}/${w.total}${w.failed ? ` · ${w.failed} failed` : ''} · ${w.status}`
      const line = el(
        'div',
        { className: `run ${w.failed ? 'failed' : ''}`, title: `${w.id}: outputs in ${w.folder}` },
        text,
      )
      line.setAttribute('data-sweep', w.id)
      list.append(line, bar(finished, w.total || 1))
    }
    out.push(el('h3', {}, 'Sweeps'), list)
  }

  // Runs, newest first: a click opens one (when, how long, its outputs, its error) to run it again.
  const runs = Object.values(s.runs).slice(-RUNS_SHOWN).reverse()
  if (runs.length) {
    const list = el('div')
    list.setAttribute('data-testid', 'discomfort-runs')
    for (const r of runs) {
      const open = ui.openRun === r.runId
      const text = `${r.source === 'page' ? 'page' : 'script'} · ${r.status}${r.workflow ? ` · ${r.workflow}` : ''} · step ${r.step}/${r.totalSteps}${r.nodesTotal ? ` · nodes ${r.nodesDone}/${r.nodesTotal}` : ''}${r.error ? ` · ${r.error}` : ''}`
      const line = el('div', { className: `run line ${r.status}${open ? ' open' : ''}`, title: 'Show this run' }, text)
      line.setAttribute('data-run', r.runId)
      line.onclick = () => {
        ui.openRun = open ? undefined : r.runId
        ui.runMessage = undefined
        redraw()
      }
      list.append(line, bar(r.step, r.totalSteps || 1))
      if (open) list.append(runDetails(r, s, store, ui, redraw))
    }
    out.push(el('h3', {}, 'Runs'), list)
  }
  return out
}

/** The keys as a table: name, value (a thumbnail for images), type, size, download and delete. */
function keysTable(
  entries: DiscomfortState['entries'],
  s: DiscomfortState,
  store: DiscomfortStore,
  form: ValueForm,
  contextId: string,
): HTMLTableElement {
  const table = el('table')
  table.setAttribute('data-testid', 'discomfort-keys')
  const cols = el('colgroup')
  for (const c of ['key', 'value', 'type', 'size', 'act']) cols.append(el('col', { className: c }))
  table.append(
    cols,
    el(
      'tr',
      {},
      el('th', {}, 'key'),
      el('th', {}, 'value'),
      el('th', {}, 'type'),
      el('th', {}, 'size'),
      el('th', {}, ''),
    ),
  )
  for (const e of entries) {
    const value =
      e.kind === 'image' || e.kind === 'mask'
        ? el('img', { className: 'thumb', src: store.client.thumbnailUrl(contextId, e.key, e.version), alt: e.key })
        : el('span', {}, s.summaries[e.key] ?? e.kind)
    const editable = !['image', 'mask', 'latent', 'ref'].includes(e.kind)
    const del = el('button', { textContent: '✕', title: `Delete "${e.key}"` })
    del.onclick = () => void store.client.deleteKey(contextId, e.key)
    const download = el('a', {
      textContent: '⤓',
      href: store.client.rawUrl(contextId, e.key),
      title: `Download "${e.key}"`,
      download: e.key,
    })
    const row = el(
      'tr',
      {
        title: `${e.key}: ${e.comfyType} by ${e.passBy === 'ref' ? 'reference' : 'value'}, in ${e.storageType}; version ${e.version}, by ${e.producer}, ${new Date(e.updatedAt).toLocaleString()}`,
      },
      el('td', {}, e.key),
      el(
        'td',
        editable
          ? {
              className: 'editable',
              title: 'Change this value',
              onclick: () => void store.client.value(contextId, e.key).then((v) => form.edit(e.key, v.value.value)),
            }
          : {},
        value,
      ),
      el('td', {}, e.passBy === 'ref' ? `${e.comfyType} (ref)` : e.comfyType),
      el('td', {}, formatBytes(e.sizeBytes)),
      el('td', { className: 'act' }, download, del),
    )
    row.setAttribute('data-key', e.key)
    table.append(row)
  }
  return table
}

/** The context's images and masks as tiles; a click opens the full image. */
function gallery(entries: DiscomfortState['entries'], store: DiscomfortStore, contextId: string): HTMLElement {
  const grid = el('div', { className: 'gallery' })
  grid.setAttribute('data-testid', 'discomfort-gallery')
  if (!entries.length) return el('div', { className: 'muted' }, 'No images or masks in this context (yet).')
  for (const e of entries) {
    const tile = el(
      'a',
      {
        href: store.client.rawUrl(contextId, e.key),
        target: '_blank',
        title: `${e.key}: ${e.comfyType}, ${formatBytes(e.sizeBytes)}, version ${e.version} — open the full image`,
      },
      el('img', { src: store.client.thumbnailUrl(contextId, e.key, e.version), alt: e.key, loading: 'lazy' }),
      el('span', {}, e.key),
    )
    tile.setAttribute('data-key', e.key)
    grid.append(tile)
  }
  return grid
}

/**
 * One run opened: when and how long, its workflows, its full error, and its
 * outputs as its context holds them now (a thumbnail for images); "Run
 * again" runs the same workflows in that context with its values as they are.
 */
function runDetails(
  r: LiveRun,
  s: DiscomfortState,
  store: DiscomfortStore,
  ui: KeysView,
  redraw: () => void,
): HTMLElement {
  const box = el('div', { className: 'run-details' })
  box.setAttribute('data-testid', 'discomfort-run-details')
  const inActive = r.contextId === s.activeContext
  box.append(
    el(
      'div',
      { className: 'text' },
      `${new Date(r.createdAt).toLocaleString()} · ${duration(r.createdAt, r.finishedAt)} · ${r.workflows.join(', ')}`,
    ),
    el('div', { className: 'text muted' }, `context ${r.contextId}`),
  )
  if (r.error) box.append(el('div', { className: 'text error' }, r.error))
  if (r.outputs?.length) {
    const outputs = el('div', { className: 'outputs' })
    for (const key of r.outputs) {
      const entry = inActive ? store.entry(key) : undefined
      const image = entry && (entry.kind === 'image' || entry.kind === 'mask')
      const item = el(
        'a',
        {
          href: store.client.rawUrl(r.contextId, key),
          target: '_blank',
          title: `${key}: its value in the context now (a later run may have changed it)`,
        },
        ...(image
          ? [
              el('img', {
                className: 'thumb',
                src: store.client.thumbnailUrl(r.contextId, key, entry.version),
                alt: key,
              }),
            ]
          : []),
        key,
      )
      item.setAttribute('data-output', key)
      outputs.append(item)
    }
    box.append(el('div', { className: 'muted' }, 'Outputs'), outputs)
  }
  const actions = el('div', { className: 'actions' })
  if (r.rerunnable && !runIsOpen(r.status)) {
    const again = el('button', {
      textContent: 'Run again',
      title: 'The same workflows, with the values the context holds now',
    })
    again.setAttribute('data-testid', 'discomfort-rerun')
    again.onclick = async () => {
      again.disabled = true
      try {
        const next = await store.rerun(r.runId)
        ui.openRun = next.id
        ui.runMessage = undefined
      } catch (e) {
        ui.runMessage = (e as Error).message
      }
      redraw()
    }
    actions.append(again)
  }
  if (!inActive && s.contexts.some((c) => c.id === r.contextId)) {
    const show = el('button', { textContent: 'Show its context' })
    show.onclick = () => store.setActive(r.contextId)
    actions.append(show)
  }
  if (actions.childElementCount) box.append(actions)
  if (ui.runMessage) box.append(el('div', { className: 'text error' }, ui.runMessage))
  return box
}
