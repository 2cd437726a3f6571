/**
 * The "Discomfort" sidebar tab: bridge status and URL, the contexts, and for
 * the selected one its keys (type, pass-by, tier, size, last update,
 * thumbnails), RAM and disk usage, delete and download, and live run progress.
 */
import { formatBytes } from './portMode.js'
import type { DiscomfortState, DiscomfortStore } from './state.js'
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
  const ui: KeysView = { filter: el('input', { className: 'filter', placeholder: 'Filter keys…' }), limit: PAGE }
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

interface KeysView {
  filter: HTMLInputElement
  limit: number
}

function view(s: DiscomfortState, store: DiscomfortStore, form: ValueForm, ui: KeysView, redraw: () => void): Node[] {
  const out: Node[] = []
  const statusText =
    s.status === 'up'
      ? `Bridge connected: ${store.client.url}`
      : s.status === 'down'
        ? `Bridge not reachable at ${store.client.url} — start it with "npx discomfort bridge"`
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
  out.push(el('h3', {}, 'Context'), el('div', { className: 'picker' }, select, create))

  const active = s.contexts.find((c) => c.id === s.activeContext)
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
    const needle = ui.filter.value.trim().toLowerCase()
    const matching = needle ? s.entries.filter((e) => e.key.toLowerCase().includes(needle)) : s.entries
    for (const e of matching.slice(0, ui.limit)) {
      const value =
        e.kind === 'image' || e.kind === 'mask'
          ? el('img', { className: 'thumb', src: store.client.thumbnailUrl(active.id, e.key, e.version), alt: e.key })
          : el('span', {}, s.summaries[e.key] ?? e.kind)
      const editable = !['image', 'mask', 'latent', 'ref'].includes(e.kind)
      const del = el('button', { textContent: '✕', title: `Delete "${e.key}"` })
      del.onclick = () => void store.client.deleteKey(active.id, e.key)
      const download = el('a', {
        textContent: '⤓',
        href: store.client.rawUrl(active.id, e.key),
        title: `Download "${e.key}"`,
        download: e.key,
      })
      const row = el(
        'tr',
        {
          title: `${e.key}: ${e.comfyType} by ${e.passBy === 'ref' ? 'reference' : 'value'}, in ${e.storage_type}; version ${e.version}, by ${e.producer}, ${new Date(e.updatedAt).toLocaleString()}`,
        },
        el('td', {}, e.key),
        el(
          'td',
          editable
            ? {
                className: 'editable',
                title: 'Change this value',
                onclick: () => void store.client.value(active.id, e.key).then((v) => form.edit(e.key, v.value.value)),
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
    out.push(
      el('h3', {}, `Keys (${needle ? `${matching.length} of ` : ''}${s.entries.length})`),
      ...(s.entries.length > 10 ? [ui.filter] : []),
      table,
    )
    if (matching.length > ui.limit) {
      const more = el('button', {
        textContent: `Show ${Math.min(PAGE, matching.length - ui.limit)} more of ${matching.length - ui.limit}`,
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

  const runs = Object.values(s.runs).slice(-5).reverse()
  if (runs.length) {
    out.push(el('h3', {}, 'Runs'))
    for (const r of runs) {
      const text = `${r.source === 'page' ? 'page' : 'script'} · ${r.status}${r.workflow ? ` · ${r.workflow}` : ''} · step ${r.step}/${r.totalSteps}${r.nodesTotal ? ` · nodes ${r.nodesDone}/${r.nodesTotal}` : ''}${r.error ? ` · ${r.error}` : ''}`
      out.push(el('div', { className: `run ${r.status}` }, text), bar(r.step, r.totalSteps || 1))
    }
  }
  return out
}
