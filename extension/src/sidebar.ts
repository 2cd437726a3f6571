/**
 * The "Discomfort" sidebar tab, laid out as ComfyUI's own tabs are (a header
 * with the title and icon buttons, compact rows with icons, actions on the
 * row): bridge status, the contexts (new, rename, keep, delete), for the
 * selected one its keys (type, pass-by, tier, size, last update, thumbnails),
 * RAM and disk usage, and the sweeps and runs, each run named after its
 * workflow, with a status icon, and its workflow one click from the canvas;
 * and, when the bridge drives several ComfyUI servers (or its one is paused or
 * down), each server with its state, its load, and pause and resume.
 * Questions go through the frontend's own dialogs, news through its toasts.
 */
import { runIsOpen, type RunStatus } from '../../shared/protocol/index.js'
import type { PageUi } from './pageUi.js'
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
.discomfort .header { display: flex; align-items: center; justify-content: space-between; gap: 8px; min-height: 32px; border-bottom: 1px solid var(--border-color); padding-bottom: 4px; }
.discomfort .header .title { font-weight: bold; text-transform: uppercase; white-space: nowrap; }
.discomfort .tools { display: flex; gap: 2px; }
.discomfort .status { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; color: var(--descrip-text); }
.discomfort .status.down { white-space: normal; overflow-wrap: anywhere; line-height: 1.4; color: var(--fg-color); }
.discomfort button.icon { display: inline-flex; align-items: center; justify-content: center; width: 24px; height: 24px; padding: 0; margin: 0;
  border: none; border-radius: 4px; background: none; color: var(--descrip-text); flex: none; box-shadow: none; }
.discomfort button.icon:hover, .discomfort button.icon:focus-visible { color: var(--fg-color); background: var(--content-hover-bg, var(--comfy-menu-secondary-bg)); }
.discomfort button.icon .pi { font-size: 12px; }
.discomfort button.text { display: inline-flex; align-items: center; gap: 4px; }
.discomfort .list { display: flex; flex-direction: column; gap: 1px; }
.discomfort .list.contexts { max-height: 168px; overflow-y: auto; }
.discomfort .item { display: flex; align-items: center; gap: 6px; min-height: 28px; padding: 0 4px 0 6px; border-radius: 4px; cursor: pointer; min-width: 0; }
.discomfort .item:hover { background: var(--content-hover-bg, var(--comfy-menu-secondary-bg)); }
.discomfort .item.selected { background: var(--comfy-menu-secondary-bg); }
.discomfort .item > .pi { flex: none; width: 14px; text-align: center; color: var(--descrip-text); font-size: 12px; }
.discomfort .item .name { flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort .item .meta { flex: none; color: var(--descrip-text); white-space: nowrap; font-variant-numeric: tabular-nums; }
.discomfort .item .actions { display: flex; flex: none; visibility: hidden; }
.discomfort .item:hover .actions, .discomfort .item.selected .actions, .discomfort .item:focus-within .actions { visibility: visible; }
.discomfort .item.succeeded > .pi { color: var(--fg-color); }
.discomfort .item.failed > .pi, .discomfort .item.failed .meta { color: var(--error-text, #f44336); }
.discomfort .item.running > .pi, .discomfort .item.queued > .pi { color: var(--p-primary-color, var(--fg-color)); }
.discomfort .item + .bar { margin: 0 6px 2px 26px; height: 3px; }
.discomfort .status.up::before { content: '● '; color: var(--p-green-500, #4caf50); }
.discomfort .status.down::before, .discomfort .status.connecting::before { content: '● '; color: var(--error-text, #f44336); }
.discomfort h3 { margin: 4px 0 0; font-size: 12px; font-weight: bold; color: var(--descrip-text); text-transform: uppercase; }
.discomfort select, .discomfort input:not([type=checkbox]):not([type=file]), .discomfort button {
  background: var(--comfy-input-bg); color: var(--input-text, var(--fg-color)); border: 1px solid var(--border-color);
  border-radius: 4px; font-size: 12px; padding: 3px 6px; min-width: 0; }
.discomfort button { cursor: pointer; white-space: nowrap; }
.discomfort button:hover { background: var(--content-hover-bg, var(--comfy-menu-secondary-bg)); }
.discomfort input[type=file] { min-width: 0; max-width: 100%; color: var(--descrip-text); }
.discomfort table { width: 100%; table-layout: fixed; border-collapse: collapse; }
/* The type, size and actions take what they need; the key and the value share the rest (the whole row is in its tooltip). */
.discomfort col.type { width: 58px; } .discomfort col.size { width: 50px; } .discomfort col.act { width: 44px; }
/* A narrow sidebar (1.25's default) gives the key and the value the size column's room (the size is in the row's tooltip). */
.discomfort { container-type: inline-size; }
@container (max-width: 250px) { .discomfort col.size, .discomfort .size { display: none; } }
.discomfort td.act { text-overflow: clip; }
.discomfort td, .discomfort th { border-bottom: 1px solid var(--border-color); padding: 2px 4px; text-align: left;
  vertical-align: middle; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort th { color: var(--descrip-text); font-weight: normal; }
.discomfort tr:nth-child(even) td { background: var(--tr-even-bg-color, transparent); }
.discomfort img.thumb { max-width: 40px; max-height: 32px; image-rendering: pixelated; vertical-align: middle; }
.discomfort td.act { padding: 0; }
.discomfort td.act a { display: inline-flex; align-items: center; justify-content: center; width: 20px; height: 20px; color: var(--descrip-text); text-decoration: none; vertical-align: middle; }
.discomfort td.act a:hover { color: var(--fg-color); }
.discomfort td.act button.icon { width: 20px; height: 20px; vertical-align: middle; }
.discomfort .bar { height: 6px; background: var(--comfy-input-bg); border-radius: 3px; overflow: hidden; }
.discomfort .bar > div { height: 100%; background: var(--p-primary-color, #4a90e2); }
.discomfort .muted { color: var(--descrip-text); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort .usage { display: grid; grid-template-columns: auto 1fr; align-items: center; gap: 2px 8px; color: var(--descrip-text); }
.discomfort .usage span { white-space: nowrap; }
.discomfort .filter { width: 100%; }
.discomfort .value-form { display: flex; flex-direction: column; gap: 4px; }
.discomfort .value-form .row { display: flex; gap: 4px; align-items: center; min-width: 0; }
.discomfort .value-form input:not([type]) { flex: 1; min-width: 0; }
.discomfort .value-form .hint { color: var(--descrip-text); }
.discomfort .value-form .message { color: var(--descrip-text); overflow-wrap: anywhere; }
.discomfort .value-form .message.bad { color: var(--error-text, #f44336); }
.discomfort.dropping { outline: 2px dashed var(--p-primary-color, #4a90e2); outline-offset: -4px; }
.discomfort td.editable { cursor: pointer; text-decoration: underline dotted; }
.discomfort .keys-head, .discomfort .servers-head { display: flex; align-items: center; justify-content: space-between; gap: 4px; }
.discomfort .toggle { display: flex; gap: 2px; }
.discomfort .toggle button[aria-pressed=true] { color: var(--fg-color); background: var(--comfy-menu-secondary-bg); }
.discomfort .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(88px, 1fr)); gap: 6px; }
.discomfort .gallery a { display: flex; flex-direction: column; gap: 2px; min-width: 0; color: var(--descrip-text); text-decoration: none; }
.discomfort .gallery img { width: 100%; aspect-ratio: 1; object-fit: contain; background: var(--comfy-input-bg); border: 1px solid var(--border-color); border-radius: 4px; image-rendering: pixelated; }
.discomfort .gallery span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
/* Servers: a state icon, the label, prompts held of those it may hold, and pause or resume (always shown on a paused one). */
.discomfort .list.servers { max-height: 168px; overflow-y: auto; }
.discomfort .item.server { cursor: default; }
.discomfort .item.server.up > .pi { color: var(--p-green-500, #4caf50); }
.discomfort .item.server.paused > .pi { color: var(--fg-color); }
.discomfort .item.server.down > .pi, .discomfort .item.server.down .meta { color: var(--error-text, #f44336); }
.discomfort .item.server.paused .actions { visibility: visible; }
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

/** A PrimeIcons glyph (the icon font every supported frontend loads). */
const icon = (name: string) => el('i', { className: `pi pi-${name}` })

/** A small icon button as the frontend's own panels have them, with its tooltip; `testId` for the tests. */
function iconButton(name: string, title: string, onclick: (e: MouseEvent) => void, testId?: string): HTMLButtonElement {
  const b = el(
    'button',
    { className: 'icon p-button p-component p-button-icon-only p-button-text p-button-secondary', title },
    icon(name),
  )
  b.setAttribute('aria-label', title)
  b.onclick = (e) => {
    e.stopPropagation()
    onclick(e)
  }
  if (testId) b.setAttribute('data-testid', testId)
  return b
}

const bar = (used: number, capacity: number) => {
  const pct = capacity > 0 ? Math.min(100, (used / capacity) * 100) : 0
  const inner = el('div')
  inner.style.width = `${pct}%`
  return el('div', { className: 'bar', title: `${formatBytes(used)} of ${formatBytes(capacity)}` }, inner)
}

export function renderSidebar(root: HTMLElement, store: DiscomfortStore, ui: PageUi): () => void {
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
  const page = ui
  const keys: KeysView = {
    filter: el('input', { className: 'filter p-inputtext', placeholder: 'Filter keys…' }),
    limit: PAGE,
    mode: 'list',
  }
  keys.filter.setAttribute('data-testid', 'discomfort-filter')
  keys.filter.oninput = () => {
    keys.limit = PAGE
    draw(store.state)
  }
  const draw = (s: DiscomfortState) => {
    container.replaceChildren(...view(s, { store, form, ui: page, view: keys, redraw: () => draw(store.state) }))
  }
  const off = store.subscribe(draw)
  if (store.state.status === 'up') void store.refreshEntries()
  // The servers are read only while the panel is open.
  const unwatch = store.watchServers()
  return () => {
    off()
    unwatch()
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

/** What the panel's parts share: the store, the value form, the frontend's surfaces, and what the user chose. */
interface Panel {
  store: DiscomfortStore
  form: ValueForm
  ui: PageUi
  view: KeysView
  redraw: () => void
}

/** Run an action from a button; what goes wrong is said in a toast titled `failing`. */
const act = (p: Panel, failing: string, work: () => Promise<unknown>) => {
  void work().catch((e: Error) => p.ui.toast('error', failing, e.message))
}

function view(s: DiscomfortState, p: Panel): Node[] {
  const { store } = p
  const out: Node[] = []
  const statusText =
    s.status === 'up'
      ? `Bridge connected: ${store.client.url}`
      : s.status === 'down'
        ? downText(s, store)
        : 'Connecting…'
  const status = el('div', { className: `status ${s.status}`, title: statusText }, statusText)
  status.setAttribute('data-testid', 'discomfort-status')
  const tools = el('div', { className: 'tools' })
  if (s.status === 'up') tools.append(iconButton('plus', 'New context', () => newContext(p), 'discomfort-new-context'))
  out.push(el('div', { className: 'header' }, el('span', { className: 'title' }, 'Discomfort'), tools), status)
  if (s.status !== 'up') return out

  out.push(...serversSection(s, p))
  out.push(el('h3', {}, `Contexts (${s.contexts.length})`), contextList(s, p))
  const active = s.contexts.find((c) => c.id === s.activeContext)
  if (active) {
    const usage = el(
      'div',
      { className: 'usage' },
      el(
        'span',
        {},
        `RAM ${formatBytes(active.usage.ram_usage_bytes)} of ${formatBytes(active.usage.ram_capacity_bytes)}`,
      ),
      bar(active.usage.ram_usage_bytes, active.usage.ram_capacity_bytes),
      el('span', {}, `Disk ${formatBytes(active.usage.disk_usage_bytes)}`),
      bar(active.usage.disk_usage_bytes, Math.max(active.usage.disk_usage_bytes, active.usage.ram_capacity_bytes)),
    )
    out.push(usage)
    out.push(...keysSection(s, p, active.id))
  }

  // Sweeps: running ones first, then the latest; counts from the bridge's ledger.
  const sweeps = Object.values(s.sweeps)
    .sort(
      (a, b) =>
        Number(b.status === 'running') - Number(a.status === 'running') || b.createdAt.localeCompare(a.createdAt),
    )
    .slice(0, 5)
  if (sweeps.length) {
    const list = el('div', { className: 'list' })
    list.setAttribute('data-testid', 'discomfort-sweeps')
    for (const w of sweeps) {
      const finished = w.done + w.failed
      const state: RunStatus =
        w.status === 'running' ? 'running' : w.failed ? 'failed' : w.status === 'cancelled' ? 'cancelled' : 'succeeded'
      const line = el(
        'div',
        {
          className: `item sweep ${state}`,
          title: `${w.label ?? w.workflows.join(', ')}: ${finished} of ${w.total} finished${w.failed ? `, ${w.failed} failed` : ''}, ${w.status}. ${w.id}: outputs in ${w.folder}`,
        },
        icon(STATUS_ICONS[state]),
        el('span', { className: 'name' }, w.label ?? w.workflows.join(', ')),
        el('span', { className: 'meta' }, `${finished}/${w.total}${w.failed ? ` · ${w.failed} failed` : ''}`),
      )
      line.setAttribute('data-sweep', w.id)
      list.append(line, bar(finished, w.total || 1))
    }
    out.push(el('h3', {}, 'Sweeps'), list)
  }

  // Runs, newest first, one row each: a click opens one (when, how long, its outputs, its error).
  const runs = Object.values(s.runs).slice(-RUNS_SHOWN).reverse()
  if (runs.length) {
    const list = el('div', { className: 'list' })
    list.setAttribute('data-testid', 'discomfort-runs')
    for (const r of runs) {
      const open = p.view.openRun === r.runId
      const name = runName(r)
      const line = el(
        'div',
        {
          className: `item run ${r.status}${open ? ' selected' : ''}`,
          title: `${name} — ${r.status}${r.source === 'page' ? ', from the page' : ', from a script'}, ${new Date(r.createdAt).toLocaleString()}${r.error ? `: ${r.error}` : ''}`,
        },
        icon(STATUS_ICONS[r.status]),
        el('span', { className: 'name' }, name),
        ...(r.resubmitted
          ? [
              el(
                'span',
                {
                  className: 'meta resubmitted',
                  title: `ComfyUI lost it ${r.resubmitted === 1 ? 'once' : `${r.resubmitted} times`} (it restarted); submitted again, committed once`,
                },
                icon('replay'),
                ` ${r.resubmitted}`,
              ),
            ]
          : []),
        el('span', { className: 'meta' }, runMeta(r)),
      )
      line.setAttribute('data-run', r.runId)
      line.setAttribute('data-status', r.status)
      line.onclick = () => {
        p.view.openRun = open ? undefined : r.runId
        p.view.runMessage = undefined
        p.redraw()
      }
      list.append(line)
      if (runIsOpen(r.status)) list.append(bar(r.step, r.totalSteps || 1))
      if (open) list.append(runDetails(r, s, p))
    }
    out.push(el('h3', {}, 'Runs'), list)
  }
  return out
}

/** The icon of each run status (PrimeIcons). */
const STATUS_ICONS: Record<RunStatus, string> = {
  queued: 'clock',
  running: 'spin pi-spinner',
  succeeded: 'check',
  failed: 'times-circle',
  cancelled: 'ban',
}

/** What a run is called: its workflows (the page's tab name for a run from the page). */
const runName = (r: LiveRun): string => r.workflows.join(' → ') || r.runId

/** The short line at a run's right: where it is while open, how long it took once done. */
function runMeta(r: LiveRun): string {
  if (r.status === 'queued') return 'queued'
  if (r.status === 'running')
    return r.nodesTotal ? `${r.nodesDone ?? 0}/${r.nodesTotal} nodes` : `step ${r.step}/${r.totalSteps}`
  return duration(r.createdAt, r.finishedAt)
}

/** The icon of each server state (PrimeIcons). */
const SERVER_ICONS = { up: 'check-circle', paused: 'pause-circle', down: 'times-circle' } as const

/** What a server's tooltip says of what its cache holds (the affinity keys of its last prompt), shortened past a few. */
const holdsText = (holds: readonly string[]): string =>
  holds.length
    ? `holds ${holds.slice(0, 6).join(', ')}${holds.length > 6 ? ` and ${holds.length - 6} more` : ''}`
    : 'holds nothing known yet'

/**
 * The bridge's ComfyUI servers, one row each: up, paused or down, its label,
 * the prompts it holds of those it may, and pause or resume; pause-all and
 * resume-all in the header. Shown only when there is something to tell: more
 * than one server, or the one there is paused or down (then runs wait, and
 * this is where to see why and resume). One server up says nothing the status line does not.
 */
function serversSection(s: DiscomfortState, p: Panel): Node[] {
  const servers = s.servers ?? []
  if (servers.length <= 1 && !servers.some((x) => x.paused || !x.up)) return []
  const tools = el('div', { className: 'tools' })
  if (servers.some((x) => !x.paused))
    tools.append(
      iconButton(
        'pause',
        'Pause every server: none is given a new prompt until resumed (what they run goes on)',
        () => act(p, 'The servers are not paused', () => p.store.setServerPaused(true)),
        'discomfort-pause-all',
      ),
    )
  if (servers.some((x) => x.paused))
    tools.append(
      iconButton(
        'play',
        'Resume every server: waiting prompts are handed out at once',
        () => act(p, 'The servers are not resumed', () => p.store.setServerPaused(false)),
        'discomfort-resume-all',
      ),
    )
  const list = el('div', { className: 'list servers' })
  list.setAttribute('data-testid', 'discomfort-servers')
  for (const x of servers) {
    const state = !x.up ? 'down' : x.paused ? 'paused' : 'up'
    const said =
      (!x.up ? 'down: taken out of the pool, and probed until it answers again' : 'up') +
      (x.paused ? ', paused: given no new prompt until resumed (what it has goes on)' : '')
    const toggle = x.paused
      ? iconButton(
          'play',
          `Resume ${x.label}: it takes waiting prompts at once`,
          () => act(p, `"${x.label}" is not resumed`, () => p.store.setServerPaused(false, x.label)),
          'discomfort-resume-server',
        )
      : iconButton(
          'pause',
          `Pause ${x.label}: it is given no new prompt until resumed (what it runs goes on)`,
          () => act(p, `"${x.label}" is not paused`, () => p.store.setServerPaused(true, x.label)),
          'discomfort-pause-server',
        )
    const row = el(
      'div',
      {
        className: `item server ${state}`,
        title: [
          `${x.label} (${x.url}): ${said}`,
          `${x.inflight}/${x.maxQueued} prompts queued or running; ${x.runs} runs, ${x.failures} failed${x.weight !== 1 ? `; weight ${x.weight}` : ''}`,
          holdsText(x.holds),
          ...(x.lastError ? [`Last error: ${x.lastError}`] : []),
        ].join('\n'),
      },
      icon(SERVER_ICONS[state]),
      el('span', { className: 'name' }, x.label),
      el('span', { className: 'meta' }, `${x.inflight}/${x.maxQueued}`),
      el('span', { className: 'actions' }, toggle),
    )
    row.setAttribute('data-server', x.label)
    row.setAttribute('data-state', state)
    list.append(row)
  }
  return [el('div', { className: 'servers-head' }, el('h3', {}, `Servers (${servers.length})`), tools), list]
}

/** The contexts as rows: a click makes one active; rename, keep and delete on the row. */
function contextList(s: DiscomfortState, p: Panel): HTMLElement {
  const list = el('div', { className: 'list contexts' })
  list.setAttribute('data-testid', 'discomfort-contexts')
  for (const c of s.contexts) {
    const selected = c.id === s.activeContext
    const label = c.name || c.id
    const actions = el(
      'span',
      { className: 'actions' },
      iconButton('pencil', `Rename "${label}"`, () => renameContext(p, c), 'discomfort-rename'),
    )
    if (!c.durable)
      actions.append(
        iconButton(
          'bookmark',
          'Keep this context: its values go to disk, and it is still here after the bridge restarts',
          () => act(p, `"${label}" is not kept`, () => p.store.client.makeDurable(c.id)),
          'discomfort-keep',
        ),
      )
    actions.append(iconButton('trash', `Delete "${label}"`, () => deleteContext(p, c), 'discomfort-delete-context'))
    const row = el(
      'div',
      {
        className: `item context${selected ? ' selected' : ''}`,
        title: `${label}${c.name ? ` (${c.id})` : ''}: ${c.keys} keys, ${c.durable ? 'kept on disk (durable)' : 'in memory until the bridge stops'}`,
      },
      icon(c.durable ? 'save' : 'box'),
      el('span', { className: 'name' }, label),
      el('span', { className: 'meta' }, String(c.keys)),
      actions,
    )
    row.setAttribute('data-context', c.id)
    row.setAttribute('aria-selected', String(selected))
    row.onclick = () => p.store.setActive(c.id)
    list.append(row)
  }
  if (!s.contexts.length) list.append(el('div', { className: 'muted' }, 'No context yet: make one with +.'))
  return list
}

function newContext(p: Panel): void {
  act(p, 'No context made', async () => {
    const name = await p.ui.ask({
      title: 'New context',
      message: 'A name for the new context (what its values are for):',
      defaultValue: `context ${p.store.state.contexts.length + 1}`,
    })
    if (name === undefined) return
    const c = await p.store.client.createContext(name.trim() || 'context')
    p.store.setActive(c.id)
  })
}

function renameContext(p: Panel, c: DiscomfortState['contexts'][number]): void {
  act(p, 'Not renamed', async () => {
    const name = await p.ui.ask({
      title: 'Rename context',
      message: `A new name for context ${c.id}:`,
      defaultValue: c.name ?? '',
    })
    if (name === undefined || !name.trim() || name.trim() === c.name) return
    await p.store.client.renameContext(c.id, name.trim())
  })
}

function deleteContext(p: Panel, c: DiscomfortState['contexts'][number]): void {
  const label = c.name || c.id
  act(p, `"${label}" is not deleted`, async () => {
    const sure = await p.ui.confirm({
      title: 'Delete context',
      message: `Delete "${label}" and its ${c.keys} values? Runs that used it cannot run again.`,
      destructive: true,
    })
    if (!sure) return
    await p.store.client.deleteContext(c.id)
    p.ui.toast('success', `Deleted "${label}"`)
  })
}

/** The active context's keys: the list or the gallery, filtered and paged, and the form that adds one. */
function keysSection(s: DiscomfortState, p: Panel, contextId: string): Node[] {
  const { view: ui, store, form } = p
  const out: Node[] = []
  const needle = ui.filter.value.trim().toLowerCase()
  const matching = needle ? s.entries.filter((e) => e.key.toLowerCase().includes(needle)) : s.entries
  const images = matching.filter((e) => e.kind === 'image' || e.kind === 'mask')
  const shown = ui.mode === 'gallery' ? images : matching
  const toggle = el('div', { className: 'toggle' })
  for (const [mode, name, title] of [
    ['list', 'list', 'Every key, as a list'],
    ['gallery', 'images', 'The images and masks, as a gallery'],
  ] as const) {
    const b = iconButton(
      name,
      title,
      () => {
        ui.mode = mode
        ui.limit = PAGE
        p.redraw()
      },
      `discomfort-view-${mode}`,
    )
    b.setAttribute('aria-pressed', String(ui.mode === mode))
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
      ? gallery(images.slice(0, ui.limit), store, contextId)
      : keysTable(matching.slice(0, ui.limit), s, p, contextId),
  )
  if (shown.length > ui.limit) {
    const more = el('button', {
      className: 'p-button p-component p-button-text p-button-secondary',
      textContent: `Show ${Math.min(PAGE, shown.length - ui.limit)} more of ${shown.length - ui.limit}`,
    })
    more.setAttribute('data-testid', 'discomfort-more')
    more.onclick = () => {
      ui.limit += PAGE
      p.redraw()
    }
    out.push(more)
  }
  out.push(el('h3', {}, 'Add or change a value'), form.element)
  return out
}

/** The keys as a table: name, value (a thumbnail for images), type, size, download and delete. */
function keysTable(
  entries: DiscomfortState['entries'],
  s: DiscomfortState,
  p: Panel,
  contextId: string,
): HTMLTableElement {
  const { store, form } = p
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
      el('th', { className: 'size' }, 'size'),
      el('th', {}, ''),
    ),
  )
  for (const e of entries) {
    const value =
      e.kind === 'image' || e.kind === 'mask'
        ? el('img', { className: 'thumb', src: store.client.thumbnailUrl(contextId, e.key, e.version), alt: e.key })
        : el('span', {}, s.summaries[e.key] ?? e.kind)
    const editable = !['image', 'mask', 'latent', 'ref'].includes(e.kind)
    const del = iconButton('trash', `Delete "${e.key}"`, () =>
      act(p, `"${e.key}" is not deleted`, () => store.client.deleteKey(contextId, e.key)),
    )
    const download = el(
      'a',
      { href: store.client.rawUrl(contextId, e.key), title: `Download "${e.key}"`, download: e.key },
      icon('download'),
    )
    const row = el(
      'tr',
      {
        title: `${e.key}: ${s.summaries[e.key] ?? e.kind}, ${e.comfyType} by ${e.passBy === 'ref' ? 'reference' : 'value'}, ${formatBytes(e.sizeBytes)} in ${e.storageType}; version ${e.version}, by ${e.producer}, ${new Date(e.updatedAt).toLocaleString()}`,
      },
      el('td', {}, e.key),
      el(
        'td',
        editable
          ? {
              className: 'editable',
              title: `${s.summaries[e.key] ?? e.kind}: click to change it`,
              onclick: () =>
                act(p, `"${e.key}" could not be read`, () =>
                  store.client.value(contextId, e.key).then((v) => form.edit(e.key, v.value.value)),
                ),
            }
          : {},
        value,
      ),
      el('td', {}, e.passBy === 'ref' ? `${e.comfyType} (ref)` : e.comfyType),
      el('td', { className: 'size' }, formatBytes(e.sizeBytes)),
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
function runDetails(r: LiveRun, s: DiscomfortState, p: Panel): HTMLElement {
  const { store, view: ui, redraw } = p
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
  /** A text button with its icon, styled as the frontend's secondary buttons. */
  const button = (name: string, text: string, title: string, testId: string) => {
    const b = el(
      'button',
      { className: 'text p-button p-component p-button-sm p-button-secondary', title },
      icon(name),
      el('span', {}, text),
    )
    b.setAttribute('data-testid', testId)
    return b
  }
  if (r.rerunnable) {
    const openIt = button(
      'folder-open',
      'Open workflow',
      'Open what this run ran on the canvas, as it was queued',
      'discomfort-open-workflow',
    )
    openIt.onclick = () =>
      act(p, 'The workflow could not be opened', async () => {
        const { workflows } = await store.client.runWorkflows(r.runId)
        for (const w of workflows) await p.ui.openWorkflow(w)
      })
    actions.append(openIt)
  }
  if (r.rerunnable && !runIsOpen(r.status)) {
    const again = button(
      'replay',
      'Run again',
      'The same workflows, with the values the context holds now',
      'discomfort-rerun',
    )
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
    const show = button(
      'arrow-right',
      'Show its context',
      `Make ${r.contextId} the active context`,
      'discomfort-show-context',
    )
    show.onclick = () => store.setActive(r.contextId)
    actions.append(show)
  }
  if (actions.childElementCount) box.append(actions)
  if (ui.runMessage) box.append(el('div', { className: 'text error' }, ui.runMessage))
  return box
}
