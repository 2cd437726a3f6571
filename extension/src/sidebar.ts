/**
 * The "Discomfort" sidebar tab: bridge status and URL, the contexts, and for
 * the selected one its keys (type, pass-by, tier, size, last update,
 * thumbnails), RAM and disk usage, delete and download, and live run progress.
 */
import { formatBytes } from './portMode.js'
import type { DiscomfortState, DiscomfortStore } from './state.js'
import { valueForm, type ValueForm } from './valueForm.js'

const STYLE = `
.discomfort { padding: 8px; font-size: 12px; display: flex; flex-direction: column; gap: 8px; }
.discomfort h3 { margin: 4px 0; font-size: 13px; }
.discomfort .status.up { color: #4caf50; } .discomfort .status.down { color: #f44336; }
.discomfort select, .discomfort button { font-size: 12px; }
.discomfort table { width: 100%; border-collapse: collapse; }
.discomfort td, .discomfort th { border-bottom: 1px solid #4448; padding: 2px 4px; text-align: left; vertical-align: middle; }
.discomfort img.thumb { max-width: 48px; max-height: 48px; image-rendering: pixelated; }
.discomfort .bar { height: 6px; background: #4446; border-radius: 3px; overflow: hidden; }
.discomfort .bar > div { height: 100%; background: #4a90e2; }
.discomfort .run.failed { color: #f44336; }
.discomfort .value-form { display: flex; flex-direction: column; gap: 4px; }
.discomfort .value-form .row { display: flex; gap: 4px; align-items: center; }
.discomfort .value-form input:not([type]) { flex: 1; min-width: 0; }
.discomfort .value-form .hint { opacity: 0.7; }
.discomfort .value-form .message.bad { color: #f44336; }
.discomfort.dropping { outline: 2px dashed #4a90e2; outline-offset: -4px; }
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
  container.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return
    e.preventDefault()
    e.stopPropagation()
    container.classList.add('dropping')
  })
  container.addEventListener('dragleave', () => container.classList.remove('dropping'))
  container.addEventListener('drop', (e) => {
    container.classList.remove('dropping')
    if (!e.dataTransfer?.files.length) return
    // Ours, not ComfyUI's: its page-wide handler would open a .latent or PNG as a workflow.
    e.preventDefault()
    e.stopPropagation()
    void form.drop(e.dataTransfer.files)
  })
  const draw = (s: DiscomfortState) => {
    container.replaceChildren(...view(s, store, form))
  }
  const off = store.subscribe(draw)
  if (store.state.status === 'up') void store.refreshEntries()
  return () => {
    off()
    root.replaceChildren()
  }
}

function view(s: DiscomfortState, store: DiscomfortStore, form: ValueForm): Node[] {
  const out: Node[] = []
  const status = el(
    'div',
    { className: `status ${s.status}` },
    s.status === 'up'
      ? `● Bridge connected: ${store.client.url}`
      : s.status === 'down'
        ? `● Bridge not reachable at ${store.client.url} — start it with "npx discomfort bridge"`
        : '● Connecting…',
  )
  status.setAttribute('data-testid', 'discomfort-status')
  out.push(status)
  if (s.status !== 'up') return out

  const select = el('select')
  select.setAttribute('data-testid', 'discomfort-context-select')
  for (const c of s.contexts)
    select.append(
      el(
        'option',
        { value: c.id, selected: c.id === s.activeContext },
        `${c.name ? `${c.name} — ` : ''}${c.id} (${c.keys} keys${c.durable ? ', durable' : ''})`,
      ),
    )
  select.onchange = () => store.setActive(select.value)
  const create = el('button', { textContent: 'New context' })
  create.onclick = async () => {
    const c = await store.client.createContext('from ComfyUI')
    store.setActive(c.id)
  }
  out.push(el('h3', {}, 'Context'), el('div', {}, select, ' ', create))

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
    table.append(
      el(
        'tr',
        {},
        el('th', {}, 'key'),
        el('th', {}, 'value'),
        el('th', {}, 'type'),
        el('th', {}, 'tier'),
        el('th', {}, 'size'),
        el('th', {}, ''),
      ),
    )
    for (const e of s.entries) {
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
        { title: `version ${e.version}, by ${e.producer}, ${new Date(e.updatedAt).toLocaleString()}` },
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
        el('td', {}, `${e.comfyType} · ${e.passBy}`),
        el('td', {}, e.storage_type),
        el('td', {}, formatBytes(e.sizeBytes)),
        el('td', {}, download, ' ', del),
      )
      row.setAttribute('data-key', e.key)
      table.append(row)
    }
    out.push(el('h3', {}, `Keys (${s.entries.length})`), table)
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
