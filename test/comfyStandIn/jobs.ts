/**
 * The current server's jobs view of the queue and history (comfy_execution/jobs.py):
 * statuses, job objects with null keys left out, output counts and the preview pick,
 * the list's filters, stable sort and paging, and the canonical-UUID check of job ids.
 */
import type { HistoryEntry, QueueItem } from './executor.js'

const JOB_STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'cancelled'] as const
type JobStatus = (typeof JOB_STATUSES)[number]

export type Job = Record<string, unknown> & { id: string; status: JobStatus }

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** `str(uuid.UUID(v)) == v`: a string in canonical lowercase hyphenated form (any version, nil included). */
export function isCanonicalUuid(value: unknown): value is string {
  return typeof value === 'string' && CANONICAL_UUID.test(value)
}

const PREVIEWABLE_KEYS = new Set(['images', 'video', 'audio', '3d', 'text'])
const THREE_D = ['.obj', '.fbx', '.gltf', '.glb', '.usdz']
const TEXT_FILES = ['.txt', '.md', '.json']
const TEXT_PREVIEW_MAX = 1024

type OutputItem = Record<string, unknown>

const endsWithAny = (name: unknown, exts: string[]) =>
  typeof name === 'string' && exts.some((e) => name.toLowerCase().endsWith(e))

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A 3-D file name becomes a file item; other non-dict items are not items. */
function normaliseItem(item: unknown): OutputItem | undefined {
  if (typeof item === 'string' && endsWithAny(item, THREE_D))
    return { filename: item, type: 'output', subfolder: '', mediaType: '3d' }
  return isRecord(item) ? item : undefined
}

function isPreviewable(key: string, item: OutputItem): boolean {
  if (PREVIEWABLE_KEYS.has(key)) return true
  const format = typeof item.format === 'string' ? item.format : ''
  if (format.startsWith('video/') || format.startsWith('audio/')) return true
  return endsWithAny(item.filename, THREE_D) || endsWithAny(item.filename, TEXT_FILES)
}

const isTextPreview = (key: string, item: OutputItem) => key === 'text' || endsWithAny(item.filename, TEXT_FILES)

/** Every list under every node, except the `animated` flag. */
function* outputLists(outputs: Record<string, unknown>): Generator<[string, string, unknown[]]> {
  for (const [nodeId, nodeOutputs] of Object.entries(outputs)) {
    if (!isRecord(nodeOutputs)) continue
    for (const [key, items] of Object.entries(nodeOutputs)) {
      if (key !== 'animated' && Array.isArray(items)) yield [nodeId, key, items]
    }
  }
}

/** `outputs_count` and `preview_output` (get_outputs_summary). */
function outputsSummary(outputs: Record<string, unknown>): { count: number; preview?: OutputItem } {
  let count = 0
  let preview: OutputItem | undefined
  let fallback: OutputItem | undefined
  let textFile: OutputItem | undefined
  let text: OutputItem | undefined
  for (const [nodeId, key, items] of outputLists(outputs)) {
    for (const raw of items) {
      let item: OutputItem | undefined = isRecord(raw) ? raw : normaliseItem(raw)
      if (!isRecord(raw) && item === undefined) {
        // Raw text (e.g. PreviewAny's): a last-resort preview, never counted.
        if (key === 'text' && raw !== null && raw !== undefined && preview === undefined && text === undefined) {
          const value = Array.isArray(raw) ? String(raw[0] ?? '') : String(raw)
          text = {
            content: value.slice(0, TEXT_PREVIEW_MAX),
            ...(value.length > TEXT_PREVIEW_MAX ? { truncated: true } : {}),
            nodeId,
            mediaType: key,
          }
        }
        continue
      }
      item = item!
      count += 1
      if (preview !== undefined || !isPreviewable(key, item)) continue
      const enriched: OutputItem = { ...item, nodeId }
      if (!('mediaType' in item)) enriched.mediaType = key
      if (isTextPreview(key, item)) textFile ??= enriched
      else if (item.type === 'output') preview = enriched
      else fallback ??= enriched
    }
  }
  const chosen = preview ?? fallback ?? textFile ?? text
  return chosen ? { count, preview: chosen } : { count }
}

/** `previewable_outputs_count`: items that would render in the frontend's media view. */
function countPreviewable(outputs: Record<string, unknown>): number {
  let count = 0
  for (const [, key, items] of outputLists(outputs)) {
    for (const raw of items) {
      const item = normaliseItem(raw)
      if (item && isPreviewable(key, item)) count += 1
    }
  }
  return count
}

/** History outputs as the detail shows them: null items dropped, 3-D file names as file items. */
function normaliseOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [nodeId, nodeOutputs] of Object.entries(outputs)) {
    if (!isRecord(nodeOutputs)) {
      result[nodeId] = nodeOutputs
      continue
    }
    const node: Record<string, unknown> = {}
    for (const [key, items] of Object.entries(nodeOutputs)) {
      node[key] =
        key === 'animated' || !Array.isArray(items)
          ? items
          : items.filter((i) => i !== null && i !== undefined).map((i) => normaliseItem(i) ?? i)
    }
    result[nodeId] = node
  }
  return result
}

/** Python's prune_dict: keys whose value is None are left out. */
function prune(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && v !== undefined))
}

function metadata(extraData: Record<string, unknown>): { createTime: unknown; workflowId: unknown } {
  const pnginfo = isRecord(extraData.extra_pnginfo) ? extraData.extra_pnginfo : {}
  const workflow = isRecord(pnginfo.workflow) ? pnginfo.workflow : {}
  return { createTime: extraData.create_time, workflowId: workflow.id }
}

/** A pending or running prompt as a job (normalize_queue_item). */
function queueJob(item: QueueItem, status: 'pending' | 'in_progress', detail: boolean): Job {
  const { createTime, workflowId } = metadata(item.extraData)
  const job = prune({
    id: item.promptId,
    status,
    priority: item.number,
    create_time: createTime,
    outputs_count: 0,
    previewable_outputs_count: 0,
    workflow_id: workflowId,
  }) as Job
  if (detail) job.workflow = { prompt: item.prompt, extra_data: item.extraData }
  return job
}

/** A history entry's status: `cancelled` iff its messages hold an `execution_interrupted`. */
function historyStatus(entry: Pick<HistoryEntry, 'status'>): 'completed' | 'failed' | 'cancelled' {
  const status = entry.status as HistoryEntry['status'] | null
  if (status?.status_str !== 'error') return 'completed'
  return status.messages.some(([type]) => type === 'execution_interrupted') ? 'cancelled' : 'failed'
}

/** A finished prompt as a job (normalize_history_item). */
function historyJob(promptId: string, entry: HistoryEntry, detail: boolean): Job {
  const [priority, , prompt, extraData] = entry.prompt
  const { createTime, workflowId } = metadata(extraData)
  let start: unknown
  let end: unknown
  let error: unknown
  for (const [type, data] of entry.status?.messages ?? []) {
    if (type === 'execution_start') start = data.timestamp
    else if (type === 'execution_success' || type === 'execution_error' || type === 'execution_interrupted') {
      end = data.timestamp
      if (type === 'execution_error') error = data
    }
  }
  const summary = outputsSummary(entry.outputs)
  const job = prune({
    id: promptId,
    status: historyStatus(entry),
    priority,
    create_time: createTime,
    execution_start_time: start,
    execution_end_time: end,
    execution_error: error,
    outputs_count: summary.count,
    previewable_outputs_count: countPreviewable(entry.outputs),
    preview_output: summary.preview,
    workflow_id: workflowId,
  }) as Job
  if (detail) {
    job.outputs = normaliseOutputs(entry.outputs)
    job.execution_status = entry.status
    job.workflow = { prompt, extra_data: extraData }
  }
  return job
}

/** What the jobs routes read of the executor. */
export interface JobSource {
  readonly runningItem: QueueItem | undefined
  readonly pendingItems: readonly QueueItem[]
  readonly history: ReadonlyMap<string, HistoryEntry>
}

/** `GET /api/jobs/{id}`: history first, then running, then pending. */
export function findJob(source: JobSource, id: string): Job | undefined {
  const entry = source.history.get(id)
  if (entry) return historyJob(id, entry, true)
  if (source.runningItem?.promptId === id) return queueJob(source.runningItem, 'in_progress', true)
  const pending = source.pendingItems.find((i) => i.promptId === id)
  return pending ? queueJob(pending, 'pending', true) : undefined
}

export interface JobQuery {
  statuses: readonly JobStatus[]
  workflowId?: string
  sortBy: 'created_at' | 'execution_duration'
  sortOrder: 'asc' | 'desc'
  limit?: number
  offset: number
}

/** Python's int() of a query string, or undefined where it raises. */
function pyIntParam(text: string): number | undefined {
  return /^\s*[+-]?\d+(_\d+)*\s*$/.test(text) ? Number.parseInt(text.replace(/_/g, ''), 10) : undefined
}

/** The list's query, checked in the server's order: the first failure is the 400's `error` text. */
export function parseJobQuery(params: URLSearchParams): JobQuery | { error: string } {
  let statuses: readonly JobStatus[] = JOB_STATUSES
  const status = params.get('status')
  if (status) {
    const asked = status
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== '')
    const invalid = asked.filter((s) => !(JOB_STATUSES as readonly string[]).includes(s))
    if (invalid.length > 0)
      return { error: `Invalid status value(s): ${invalid.join(', ')}. Valid values: ${JOB_STATUSES.join(', ')}` }
    if (asked.length > 0) statuses = asked as JobStatus[]
  }
  const workflowId = params.get('workflow_id') || undefined
  const sortBy = (params.get('sort_by') ?? 'created_at').toLowerCase()
  if (sortBy !== 'created_at' && sortBy !== 'execution_duration')
    return { error: "sort_by must be 'created_at' or 'execution_duration'" }
  const sortOrder = (params.get('sort_order') ?? 'desc').toLowerCase()
  if (sortOrder !== 'asc' && sortOrder !== 'desc') return { error: "sort_order must be 'asc' or 'desc'" }
  let limit: number | undefined
  const limitText = params.get('limit')
  if (limitText !== null) {
    limit = pyIntParam(limitText)
    if (limit === undefined) return { error: 'limit must be an integer' }
    if (limit <= 0) return { error: 'limit must be a positive integer' }
  }
  let offset = 0
  const offsetText = params.get('offset')
  if (offsetText !== null) {
    const parsed = pyIntParam(offsetText)
    if (parsed === undefined) return { error: 'offset must be an integer' }
    offset = Math.max(0, parsed)
  }
  return {
    statuses,
    sortBy,
    sortOrder,
    offset,
    ...(workflowId === undefined ? {} : { workflowId }),
    ...(limit === undefined ? {} : { limit }),
  }
}

const numberOr0 = (v: unknown) => (typeof v === 'number' ? v : 0)

/** `GET /api/jobs` (get_all_jobs): running, pending, then history; filtered, stably sorted, paged. */
export function listJobs(source: JobSource, query: JobQuery): { jobs: Job[]; total: number } {
  let jobs: Job[] = []
  if (query.statuses.includes('in_progress') && source.runningItem)
    jobs.push(queueJob(source.runningItem, 'in_progress', false))
  if (query.statuses.includes('pending')) for (const i of source.pendingItems) jobs.push(queueJob(i, 'pending', false))
  if (query.statuses.some((s) => s === 'completed' || s === 'failed' || s === 'cancelled')) {
    for (const [id, entry] of source.history) {
      const job = historyJob(id, entry, false)
      if (query.statuses.includes(job.status)) jobs.push(job)
    }
  }
  if (query.workflowId) jobs = jobs.filter((j) => j.workflow_id === query.workflowId)
  const key =
    query.sortBy === 'execution_duration'
      ? (j: Job) => {
          const start = numberOr0(j.execution_start_time)
          const end = numberOr0(j.execution_end_time)
          return start && end ? end - start : 0
        }
      : (j: Job) => numberOr0(j.create_time)
  const sign = query.sortOrder === 'desc' ? -1 : 1
  // Array.prototype.sort is stable, as Python's sorted() is (also with reverse=True).
  jobs.sort((a, b) => sign * (key(a) - key(b)))
  const total = jobs.length
  const page = jobs.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit)
  return { jobs: page, total }
}
