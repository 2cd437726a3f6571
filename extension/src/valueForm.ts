/**
 * Putting values into the active context from the page: a key and a typed
 * value (text, number, true/false, JSON), or a file — PNG as an IMAGE (or a
 * MASK), `.latent` as a LATENT — chosen or dropped on the panel. The form
 * is built once per panel, so re-drawing the panel keeps what is typed.
 */
import type { DiscomfortStore } from './state.js'

type Kind = 'text' | 'number' | 'boolean' | 'json'

/** A key from a file name: its stem, with what a key may not hold replaced. */
export const keyFromFileName = (name: string): string =>
  name
    .replace(/\.[^.]*$/, '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a key may not hold
    .replace(/[/\\\x00-\x1f\x7f]/g, '_')
    .trim() || 'file'

/** The value a typed entry stands for, or why it cannot be stored. */
export function parseEntry(kind: Kind, text: string): { value: unknown } | { error: string } {
  if (kind === 'text') return { value: text }
  if (kind === 'boolean') {
    if (text === 'true' || text === 'false') return { value: text === 'true' }
    return { error: 'true or false' }
  }
  if (kind === 'number') {
    const n = Number(text)
    return text.trim() !== '' && Number.isFinite(n) ? { value: n } : { error: `"${text}" is not a number` }
  }
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` }
  }
}

const fileType = (file: File, asMask: boolean): 'IMAGE' | 'MASK' | 'LATENT' | undefined =>
  /\.latent$/i.test(file.name)
    ? 'LATENT'
    : /\.png$/i.test(file.name) || file.type === 'image/png'
      ? asMask
        ? 'MASK'
        : 'IMAGE'
      : undefined

export interface ValueForm {
  element: HTMLElement
  /** Fill the form to change an entry. */
  edit(key: string, value: unknown): void
  /** Take dropped files (the panel forwards its drops here). */
  drop(files: FileList): Promise<void>
  /** Take an image dragged from ComfyUI's queue or assets panel (its /view URL). */
  dropUrl(url: string): Promise<void>
}

/** A ComfyUI output's /view URL on this page's server: the file name it names, or undefined. */
export function comfyViewFile(url: string, origin: string): string | undefined {
  try {
    const u = new URL(url, origin)
    if (u.origin !== origin || !/\/view$/.test(u.pathname)) return undefined
    return u.searchParams.get('filename') ?? undefined
  } catch {
    return undefined
  }
}

export function valueForm(store: DiscomfortStore): ValueForm {
  const key = Object.assign(document.createElement('input'), { placeholder: 'key', className: 'p-inputtext' })
  key.setAttribute('data-testid', 'discomfort-new-key')
  const kind = document.createElement('select')
  for (const k of ['text', 'number', 'boolean', 'json'] as const)
    kind.append(Object.assign(document.createElement('option'), { value: k, textContent: k }))
  kind.setAttribute('data-testid', 'discomfort-new-kind')
  const value = Object.assign(document.createElement('input'), { placeholder: 'value', className: 'p-inputtext' })
  value.setAttribute('data-testid', 'discomfort-new-value')
  const save = Object.assign(document.createElement('button'), {
    textContent: 'Save',
    className: 'p-button p-component p-button-sm',
  })
  save.setAttribute('data-testid', 'discomfort-save-value')
  // The browser's file control stays hidden: a button as the frontend draws its own opens it.
  const file = Object.assign(document.createElement('input'), {
    type: 'file',
    accept: '.png,.latent,image/png',
    multiple: true,
  })
  file.hidden = true
  file.setAttribute('data-testid', 'discomfort-upload')
  const choose = Object.assign(document.createElement('button'), {
    className: 'text p-button p-component p-button-sm p-button-secondary',
    title: 'Store PNG images (IMAGE, or MASK) and ComfyUI .latent files, each under its file name',
  })
  choose.append(Object.assign(document.createElement('i'), { className: 'pi pi-upload' }), ' Upload files…')
  choose.onclick = () => file.click()
  const asMask = Object.assign(document.createElement('input'), { type: 'checkbox', title: 'Store PNGs as a MASK' })
  const message = document.createElement('div')
  message.className = 'message'
  message.setAttribute('data-testid', 'discomfort-form-message')
  const say = (text: string, bad = false) => {
    message.textContent = text
    message.classList.toggle('bad', bad)
  }
  const active = () => store.state.activeContext

  save.onclick = async () => {
    const ctx = active()
    const k = key.value.trim()
    if (!ctx) return say('Choose or create a context first.', true)
    if (!k) return say('Give the key (the unique_id of the INPUT port that reads it).', true)
    const parsed = parseEntry(kind.value as Kind, value.value)
    if ('error' in parsed) return say(`"${k}": ${parsed.error}.`, true)
    try {
      await store.client.putValue(ctx, k, parsed.value)
      say(`Saved "${k}".`)
    } catch (e) {
      say((e as Error).message, true)
    }
  }

  const upload = async (files: Iterable<File>) => {
    const ctx = active()
    if (!ctx) return say('Choose or create a context first.', true)
    const list = [...files]
    for (const f of list) {
      const type = fileType(f, asMask.checked)
      if (!type) {
        say(`${f.name}: only PNG images and ComfyUI .latent files can be stored.`, true)
        continue
      }
      // One file: the typed key, if any; several: each under its own name.
      const k = list.length === 1 && key.value.trim() ? key.value.trim() : keyFromFileName(f.name)
      try {
        await store.client.putFile(ctx, k, f, type)
        say(`Saved ${f.name} as "${k}" (${type}).`)
      } catch (e) {
        say(`${f.name}: ${(e as Error).message}`, true)
      }
    }
  }
  file.onchange = () => {
    if (file.files) void upload(file.files).then(() => (file.value = ''))
  }

  const row = (...children: Node[]) => {
    const div = document.createElement('div')
    div.className = 'row'
    div.append(...children)
    return div
  }
  const maskLabel = document.createElement('label')
  maskLabel.append(asMask, ' as mask')
  const element = document.createElement('div')
  element.className = 'value-form'
  element.append(
    row(key, kind),
    row(value, save),
    row(choose, maskLabel, file),
    Object.assign(document.createElement('div'), {
      className: 'hint',
      textContent: 'Or drop PNG / .latent files on this panel.',
    }),
    message,
  )
  return {
    element,
    edit(k, v) {
      key.value = k
      const t: Kind =
        typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'text' : 'json'
      kind.value = t
      value.value = t === 'json' ? JSON.stringify(v) : String(v)
      value.focus()
    },
    drop: (files) => upload(files),
    async dropUrl(url) {
      const name = comfyViewFile(url, location.origin)
      if (!name)
        return say(`Only images from this ComfyUI's outputs can be dropped here (got ${url.slice(0, 80)}).`, true)
      const res = await fetch(url)
      if (!res.ok) return say(`${name}: ComfyUI answered ${res.status}.`, true)
      await upload([new File([await res.blob()], name, { type: 'image/png' })])
    },
  }
}
