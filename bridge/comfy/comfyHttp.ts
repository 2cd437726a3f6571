/**
 * ComfyUI's HTTP API: object_info (cached), system stats, uploads under
 * content-addressed names, `/view` downloads, the queue, interrupt and free.
 * Every request has a timeout and fails with a typed error naming the route.
 */
import { randomBytes } from 'node:crypto'
import { digestOf } from '../util/digest.js'
import { exchange, type Exchange } from '../util/exchange.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import { parseNodeReplacements, type NodeReplacements } from '../../shared/workflow/nodeReplacements.js'
import { isFrontendVersion } from '../../shared/convert/frontendProfiles.js'
import {
  ComfyHttpError,
  ComfyTimeoutError,
  ComfyUnreachableError,
  type NodeErrorEntry,
  type ComfyNodeError,
} from './errors.js'
import { checkedHistoryEntry, queuedPromptIds, type HistoryEntry, type UiFile } from './messages.js'

export interface ComfyHttpOptions {
  /** Per-request limit (ms). Default 30 s. */
  requestTimeoutMs?: number
  /** Limit for uploads and downloads (ms). Default 120 s. */
  transferTimeoutMs?: number
  /** The largest JSON answer read from ComfyUI (bytes; object_info with many custom nodes is tens of MB). Default 256 MiB. */
  maxJsonBytes?: number
  /** The largest file downloaded from ComfyUI (`/view`, bytes). Default 1 GiB. */
  maxFileBytes?: number
}

interface Outgoing {
  headers?: Record<string, string>
  body?: Uint8Array | string
}

const ok = (res: Exchange) => res.status >= 200 && res.status < 300
const text = (res: Exchange) => res.body.toString('utf8')
const JSON_BODY = { 'content-type': 'application/json' }

export interface QueuePromptBody {
  prompt: ApiPrompt
  client_id: string
  prompt_id: string
  extra_data?: Record<string, unknown>
  front?: boolean
  number?: number
  partial_execution_targets?: string[]
}

export type QueuePromptAnswer =
  | { ok: true; prompt_id: string; number: number; node_errors: Record<string, NodeErrorEntry> }
  | { ok: false; error: ComfyNodeError; node_errors: Record<string, NodeErrorEntry> }

/** Where ComfyUI is with one prompt (`ComfyHttp.whereIs`). */
export type PromptWhereabouts = { where: 'pending' | 'running' | 'absent' } | { where: 'finished'; entry: HistoryEntry }

/** The fields of a `/api/jobs/{id}` answer the bridge reads. */
interface JobAnswer {
  status: 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled'
  outputs?: Record<string, unknown>
  execution_status?: unknown
}

const JOB_STATUSES = new Set(['pending', 'in_progress', 'completed', 'failed', 'cancelled'])

function checkedJob(v: unknown): JobAnswer | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined
  const job = v as Record<string, unknown>
  if (typeof job.status !== 'string' || !JOB_STATUSES.has(job.status)) return undefined
  if (job.outputs !== undefined && (typeof job.outputs !== 'object' || job.outputs === null)) return undefined
  return job as unknown as JobAnswer
}

function parseOr(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}

export interface UploadResult {
  name: string
  subfolder: string
  type: 'input' | 'temp' | 'output'
}

export interface SystemStats {
  system: {
    comfyui_version?: string
    required_frontend_version?: string
    ram_total?: number
    ram_free?: number
    [key: string]: unknown
  }
  devices: Array<Record<string, unknown>>
}

export class ComfyHttp {
  /** The server's address as shown (in messages, lists, errors): without any credentials it carries. */
  readonly baseUrl: string
  /** The address requests go to, credentials included. */
  readonly target: string
  private readonly requestTimeoutMs: number
  private readonly transferTimeoutMs: number
  private readonly maxJsonBytes: number
  private readonly maxFileBytes: number
  private objectInfoCache: Promise<ObjectInfo> | undefined
  private nodeReplacementsCache: Promise<NodeReplacements> | undefined
  private frontendVersionCache: Promise<string | undefined> | undefined
  /** How the last exchange with the server went (any route): what the bridge knows without asking. */
  private lastContact: { reachable: boolean; error?: string } | undefined
  private knownVersion: string | undefined
  /** sha256 of bytes already uploaded to this server → the name they are stored under. */
  private readonly uploaded = new Map<string, UploadResult>()

  constructor(baseUrl: string, options: ComfyHttpOptions = {}) {
    this.target = baseUrl.replace(/\/+$/, '')
    this.baseUrl = withoutCredentials(this.target)
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000
    this.transferTimeoutMs = options.transferTimeoutMs ?? 120_000
    this.maxJsonBytes = options.maxJsonBytes ?? 256 * 1024 * 1024
    this.maxFileBytes = options.maxFileBytes ?? 1024 * 1024 * 1024
  }

  private async request(
    method: string,
    path: string,
    out: Outgoing = {},
    timeoutMs = this.requestTimeoutMs,
    maxBytes = this.maxJsonBytes,
  ): Promise<Exchange> {
    const url = `${this.baseUrl}${path}`
    try {
      const answer = await exchange(`${this.target}${path}`, {
        method,
        headers: out.headers ?? {},
        ...(out.body !== undefined ? { body: out.body } : {}),
        timeoutMs,
        maxBytes,
      })
      this.lastContact = { reachable: true }
      return answer
    } catch (e) {
      this.lastContact = { reachable: false, error: (e as Error).message }
      if ((e as Error).name === 'TimeoutError') {
        throw new ComfyTimeoutError(`ComfyUI did not answer ${method} ${url} within ${timeoutMs} ms.`)
      }
      if ((e as Error).name === 'TooLargeError') {
        throw new ComfyHttpError(method, url, 0, `answer refused: ${(e as Error).message}`)
      }
      throw new ComfyUnreachableError(this.baseUrl, e)
    }
  }

  private async json<T>(method: string, path: string, out: Outgoing = {}): Promise<T> {
    const res = await this.request(method, path, out)
    const body = text(res)
    if (!ok(res)) throw new ComfyHttpError(method, `${this.baseUrl}${path}`, res.status, body)
    try {
      return (body ? JSON.parse(body) : undefined) as T
    } catch {
      throw new ComfyHttpError(method, `${this.baseUrl}${path}`, res.status, `not JSON: ${body.slice(0, 200)}`)
    }
  }

  private async post(path: string, body: unknown): Promise<void> {
    const res = await this.request('POST', path, { headers: JSON_BODY, body: JSON.stringify(body) })
    if (!ok(res)) throw new ComfyHttpError('POST', `${this.baseUrl}${path}`, res.status, text(res))
  }

  /**
   * A file of ComfyUI's user data (`user/<user>/<file>`, where the page keeps
   * its own files), read, written whole or removed. Small files only.
   */
  async userData(file: string): Promise<string | undefined> {
    const res = await this.request('GET', `/userdata/${encodeURIComponent(file)}`)
    if (res.status === 404) return undefined
    if (!ok(res)) throw new ComfyHttpError('GET', `${this.baseUrl}/userdata/${file}`, res.status, text(res))
    return text(res)
  }

  async putUserData(file: string, content: string): Promise<void> {
    const path = `/userdata/${encodeURIComponent(file)}?overwrite=true`
    const res = await this.request('POST', path, { headers: JSON_BODY, body: content })
    if (!ok(res)) throw new ComfyHttpError('POST', `${this.baseUrl}${path}`, res.status, text(res))
  }

  async deleteUserData(file: string): Promise<void> {
    const res = await this.request('DELETE', `/userdata/${encodeURIComponent(file)}`)
    if (!ok(res) && res.status !== 404)
      throw new ComfyHttpError('DELETE', `${this.baseUrl}/userdata/${file}`, res.status, text(res))
  }

  /** Node definitions, fetched once and kept; `refresh` fetches again (after installing nodes or uploading files). */
  objectInfo(refresh = false): Promise<ObjectInfo> {
    if (refresh || !this.objectInfoCache) {
      if (refresh) this.nodeReplacementsCache = undefined
      const pending = this.json<ObjectInfo>('GET', '/object_info').then((info) => {
        const valid =
          typeof info === 'object' &&
          info !== null &&
          !Array.isArray(info) &&
          Object.values(info).every(
            (d) => typeof d === 'object' && d !== null && (d.input === undefined || typeof d.input === 'object'),
          )
        if (!valid) throw new ComfyHttpError('GET', `${this.baseUrl}/object_info`, 200, 'not an object_info answer')
        return info
      })
      this.objectInfoCache = pending
      pending.catch(() => {
        if (this.objectInfoCache === pending) this.objectInfoCache = undefined
      })
    }
    return this.objectInfoCache
  }

  /**
   * The server's node replacements (`/api/node_replacements`, ComfyUI 0.28 and
   * later: old class → the classes replacing it), fetched with object_info's
   * lifetime: kept, and fetched again with `objectInfo(true)` or after `forget()`.
   * A server without the route (0.3.x answers 404) has none: an empty table.
   */
  nodeReplacements(): Promise<NodeReplacements> {
    if (!this.nodeReplacementsCache) {
      const pending = this.request('GET', '/api/node_replacements').then((res) => {
        if (res.status === 404 || res.status === 405) return {}
        if (!ok(res)) throw new ComfyHttpError('GET', `${this.baseUrl}/api/node_replacements`, res.status, text(res))
        return parseNodeReplacements(parseOr(text(res)))
      })
      this.nodeReplacementsCache = pending
      pending.catch(() => {
        if (this.nodeReplacementsCache === pending) this.nodeReplacementsCache = undefined
      })
    }
    return this.nodeReplacementsCache
  }

  async systemStats(): Promise<SystemStats> {
    const stats = await this.json<SystemStats>('GET', '/system_stats')
    if (typeof stats !== 'object' || stats === null || typeof stats.system !== 'object' || stats.system === null)
      throw new ComfyHttpError('GET', `${this.baseUrl}/system_stats`, 200, 'not a system_stats answer')
    return stats
  }

  /**
   * The frontend version the server serves, as far as it says: the version
   * it requires (system_stats, ComfyUI 0.3.4x and later), which is the one it
   * serves unless started with --front-end-version or --front-end-root.
   * Undefined when it does not say; a failure to answer is thrown.
   */
  frontendVersion(): Promise<string | undefined> {
    this.frontendVersionCache ??= this.systemStats().then((s) => {
      const v = s.system.required_frontend_version
      return typeof v === 'string' && isFrontendVersion(v) ? v : undefined
    })
    this.frontendVersionCache.catch(() => {
      this.frontendVersionCache = undefined
    })
    return this.frontendVersionCache
  }

  /** The server's ComfyUI version, from system_stats. */
  async version(): Promise<string | undefined> {
    const v = (await this.systemStats()).system.comfyui_version
    this.knownVersion = typeof v === 'string' ? v : undefined
    return this.knownVersion
  }

  /**
   * Whether the server answers, for a health check: a fresh look when it
   * comes within `waitMs`, else what the last exchange with it said (the
   * look goes on and informs the next check). Never waits longer.
   */
  async status(waitMs: number): Promise<{ reachable: boolean; version?: string; error?: string }> {
    const fresh = this.version().then(
      () => undefined,
      () => undefined,
    )
    await Promise.race([fresh, new Promise((r) => setTimeout(r, waitMs).unref())])
    const known = this.lastContact ?? { reachable: false, error: `no answer from ${this.baseUrl} yet` }
    return { ...known, ...(known.reachable && this.knownVersion ? { version: this.knownVersion } : {}) }
  }

  async queuePrompt(body: QueuePromptBody): Promise<QueuePromptAnswer> {
    const res = await this.request('POST', '/prompt', { headers: JSON_BODY, body: JSON.stringify(body) })
    const answer = text(res)
    let parsed: Record<string, unknown>
    try {
      parsed = JSON.parse(answer) as Record<string, unknown>
    } catch {
      throw new ComfyHttpError('POST', `${this.baseUrl}/prompt`, res.status, answer)
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ComfyHttpError('POST', `${this.baseUrl}/prompt`, res.status, `not a prompt answer: ${answer}`)
    if (typeof parsed.node_errors !== 'object' || parsed.node_errors === null) parsed.node_errors = {}
    if (res.status === 200) {
      return {
        ok: true,
        prompt_id: String(parsed.prompt_id),
        number: Number(parsed.number),
        node_errors: (parsed.node_errors ?? {}) as Record<string, NodeErrorEntry>,
      }
    }
    if (res.status === 400 && parsed.error) {
      return {
        ok: false,
        error: parsed.error as ComfyNodeError,
        node_errors: (parsed.node_errors ?? {}) as Record<string, NodeErrorEntry>,
      }
    }
    throw new ComfyHttpError('POST', `${this.baseUrl}/prompt`, res.status, answer)
  }

  /**
   * The history entry of one prompt, or undefined while it is unknown or
   * unfinished. An answer that is not ComfyUI's history (or an entry that is
   * not one it writes) is a ComfyHttpError naming what was wrong.
   */
  async history(promptId: string): Promise<HistoryEntry | undefined> {
    const path = `/history/${encodeURIComponent(promptId)}`
    const all = await this.json<unknown>('GET', path)
    if (typeof all !== 'object' || all === null || Array.isArray(all))
      throw new ComfyHttpError('GET', `${this.baseUrl}${path}`, 200, 'not a history answer (expected an object)')
    const raw = (all as Record<string, unknown>)[promptId]
    if (raw === undefined) return undefined
    const entry = checkedHistoryEntry(raw)
    if (!entry)
      throw new ComfyHttpError(
        'GET',
        `${this.baseUrl}${path}`,
        200,
        `the entry of prompt ${promptId} is not a history entry`,
      )
    return entry
  }

  /**
   * Whether this server has ComfyUI's jobs API (0.6 and later: `/api/jobs`),
   * asked once with the smallest list it can give and kept until `forget()`
   * (a restart may bring another ComfyUI). A server that cannot be asked now
   * is asked again next time.
   */
  hasJobsApi(): Promise<boolean> {
    this.jobsApi ??= this.request('GET', '/api/jobs?limit=1').then(
      (res) => {
        if (!ok(res)) return false
        try {
          const body = JSON.parse(text(res)) as { jobs?: unknown; pagination?: unknown }
          return Array.isArray(body.jobs) && typeof body.pagination === 'object' && body.pagination !== null
        } catch {
          return false
        }
      },
      (e: unknown) => {
        this.jobsApi = undefined
        throw e
      },
    )
    return this.jobsApi
  }
  private jobsApi: Promise<boolean> | undefined

  /** Ask again what the server offers (after it restarted: it may be another version). */
  forget(): void {
    this.jobsApi = undefined
    this.nodeReplacementsCache = undefined
  }

  /**
   * Where ComfyUI is with a prompt: waiting, running, finished (with its
   * history entry), or absent (never queued here, removed while waiting, or
   * lost in a restart). The jobs API answers in one request where the server
   * has it; otherwise `/queue` and `/history`. Without `checkQueue`, a legacy
   * server is only asked for the history (a prompt not in it counts as running).
   */
  async whereIs(promptId: string, checkQueue = true): Promise<PromptWhereabouts> {
    if (await this.hasJobsApi()) {
      const path = `/api/jobs/${encodeURIComponent(promptId)}`
      const res = await this.request('GET', path)
      if (res.status === 404) return { where: 'absent' }
      const job = checkedJob(parseOr(text(res)))
      if (!ok(res) || !job) throw new ComfyHttpError('GET', `${this.baseUrl}${path}`, res.status, 'not a job answer')
      if (job.status === 'pending') return { where: 'pending' }
      if (job.status === 'in_progress') return { where: 'running' }
      const entry = checkedHistoryEntry({
        prompt: [0, promptId, {}, {}, []],
        outputs: job.outputs ?? {},
        status: job.execution_status,
      })
      if (!entry)
        throw new ComfyHttpError('GET', `${this.baseUrl}${path}`, res.status, `job ${promptId} has no readable outcome`)
      return { where: 'finished', entry }
    }
    let where: 'running' | 'pending' | 'absent' = 'running'
    if (checkQueue) {
      const q = await this.queue()
      where = q.running.includes(promptId) ? 'running' : q.pending.includes(promptId) ? 'pending' : 'absent'
    }
    const entry = await this.history(promptId)
    return entry ? { where: 'finished', entry } : { where }
  }

  /**
   * Cancel one prompt at once, waiting or running, where the server can
   * (the jobs API's cancel, 0.26 and later): whether it did; undefined when
   * this server has no such route (then `/queue` delete and `/interrupt`).
   */
  async cancelJob(promptId: string): Promise<boolean | undefined> {
    if (!(await this.hasJobsApi())) return undefined
    const path = `/api/jobs/${encodeURIComponent(promptId)}/cancel`
    const res = await this.request('POST', path, { headers: JSON_BODY, body: '{}' })
    if (res.status === 404 || res.status === 405) return undefined
    const body = parseOr(text(res)) as { cancelled?: unknown } | undefined
    if (!ok(res) || typeof body?.cancelled !== 'boolean')
      throw new ComfyHttpError('POST', `${this.baseUrl}${path}`, res.status, text(res).slice(0, 200))
    return body.cancelled
  }

  /** The prompt ids running and waiting in ComfyUI's queue. */
  async queue(): Promise<{ running: string[]; pending: string[] }> {
    const ids = queuedPromptIds(await this.json<unknown>('GET', '/queue'))
    if (!ids) throw new ComfyHttpError('GET', `${this.baseUrl}/queue`, 200, 'not a queue answer')
    return ids
  }

  /** Remove pending prompts from the queue (a running prompt is not touched). */
  deleteFromQueue(promptIds: string[]): Promise<void> {
    return this.post('/queue', { delete: promptIds })
  }

  /** Interrupt the running prompt (newer servers only interrupt the given one). */
  interrupt(promptId?: string): Promise<void> {
    return this.post('/interrupt', promptId ? { prompt_id: promptId } : {})
  }

  /** Free memory: `freeMemory` also drops ComfyUI's node cache. */
  free(options: { unloadModels?: boolean; freeMemory?: boolean } = {}): Promise<void> {
    return this.post('/free', {
      unload_models: options.unloadModels ?? false,
      free_memory: options.freeMemory ?? false,
    })
  }

  /** Upload bytes under a given name (`/upload/image` accepts any file). */
  async upload(
    bytes: Uint8Array,
    name: string,
    options: { subfolder?: string; type?: 'input' | 'temp' | 'output'; overwrite?: boolean } = {},
  ): Promise<UploadResult> {
    const fields: Record<string, string> = {
      ...(options.subfolder ? { subfolder: options.subfolder } : {}),
      ...(options.type ? { type: options.type } : {}),
      ...(options.overwrite ? { overwrite: 'true' } : {}),
    }
    const form = multipart({ name: 'image', filename: name, bytes }, fields)
    const res = await this.request('POST', '/upload/image', form, this.transferTimeoutMs)
    if (!ok(res)) throw new ComfyHttpError('POST', `${this.baseUrl}/upload/image`, res.status, text(res))
    let answer: unknown
    try {
      answer = JSON.parse(text(res))
    } catch {
      answer = undefined
    }
    const a = answer as Partial<UploadResult> | undefined
    if (typeof a?.name !== 'string' || (a.subfolder !== undefined && typeof a.subfolder !== 'string'))
      throw new ComfyHttpError(
        'POST',
        `${this.baseUrl}/upload/image`,
        res.status,
        `not an upload answer: ${text(res).slice(0, 200)}`,
      )
    return {
      name: a.name,
      subfolder: a.subfolder ?? '',
      type: a.type === 'temp' || a.type === 'output' ? a.type : 'input',
    }
  }

  /**
   * Upload under a content-addressed name (`discomfort/<sha256 prefix>.<ext>`),
   * once per server: the same bytes again return the earlier name without a request.
   */
  /** The name content-addressed uploads get: the content's hash, in the `discomfort` subfolder of input/. */
  static contentName(bytes: Uint8Array, extension: string): { hash: string; name: string; subfolder: string } {
    const hash = digestOf(bytes)
    return { hash, name: `${hash.slice(0, 32)}.${extension}`, subfolder: 'discomfort' }
  }

  async uploadContent(bytes: Uint8Array, extension: string): Promise<UploadResult & { reused: boolean }> {
    const { hash, name, subfolder } = ComfyHttp.contentName(bytes, extension)
    const key = `${hash}.${extension}`
    const known = this.uploaded.get(key)
    if (known) return { ...known, reused: true }
    const result = await this.upload(bytes, name, { subfolder, overwrite: true })
    this.uploaded.set(key, result)
    return { ...result, reused: false }
  }

  /** The value a loader node's file input takes for an upload: `sub/name`, annotated for output/temp. */
  static loaderPath(file: UploadResult | UiFile): string {
    const name = 'name' in file ? file.name : file.filename
    const path = file.subfolder ? `${file.subfolder}/${name}` : name
    return file.type === 'input' ? path : `${path} [${file.type}]`
  }

  /** Download a file the server wrote (`/view`), byte for byte. */
  async view(file: UiFile): Promise<Uint8Array> {
    const query = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder, type: file.type })
    const res = await this.request('GET', `/view?${query}`, {}, this.transferTimeoutMs, this.maxFileBytes)
    if (!ok(res)) throw new ComfyHttpError('GET', `${this.baseUrl}/view?${query}`, res.status, text(res))
    const body = res.body
    // Its own memory (a small body may sit in Node's shared pool: copied out of it).
    return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
      ? new Uint8Array(body.buffer)
      : new Uint8Array(body)
  }
}

/** An address as it may be shown: `http://user:secret@host` → `http://host`. */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url)
    if (!u.username && !u.password) return url
    u.username = ''
    u.password = ''
    return u.toString().replace(/\/+$/, '')
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//')
  }
}

/** A multipart/form-data body (RFC 7578) with one file and some text fields, as a browser's FormData sends it. */
function multipart(
  file: { name: string; filename: string; bytes: Uint8Array },
  fields: Record<string, string>,
): Required<Outgoing> {
  const boundary = `----DiscomfortBoundary${randomBytes(12).toString('hex')}`
  // Quotes and line breaks in a name are percent-encoded, as browsers do.
  const quoted = (s: string) => s.replace(/["\r\n]/g, (c) => encodeURIComponent(c))
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${quoted(file.filename)}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n'
  const parts = Object.entries(fields).map(
    ([k, v]) => `\r\n--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}`,
  )
  const tail = `${parts.join('')}\r\n--${boundary}--\r\n`
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat([Buffer.from(head), file.bytes, Buffer.from(tail)]),
  }
}
