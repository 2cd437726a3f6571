/**
 * v2 jobs over the bridge's runs: a job is one run of its API workflow
 * (the one run specification: the pool picks the server by affinity and
 * load, a prompt ComfyUI loses is submitted again, cancel is ComfyUI's own),
 * recorded in the v2 ledger. When the run succeeds, the files ComfyUI's
 * output nodes wrote are fetched from the server that ran it and kept as
 * assets (by blake3), and the job ends once, with them. A job still open
 * when the bridge stopped is started again when it starts: its id answers
 * throughout, and it ends once.
 */
import { randomUUID } from 'node:crypto'
import { extname } from 'node:path'
import { DiscomfortError } from '../../shared/errors.js'
import type { RunEvent } from '../../shared/protocol/index.js'
import {
  AssetRefSchema,
  terminalV2,
  type SubmitJobBody,
  type V2JobError,
  type V2JobStatus,
  type V2Progress,
} from '../../shared/protocol/v2.js'
import type { ComfyClient } from '../comfy/comfyClient.js'
import { ComfyHttp } from '../comfy/comfyHttp.js'
import type { NodeUi } from '../comfy/messages.js'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import type { RunManager } from '../runs/manager.js'
import type { RunRecord } from '../runs/record.js'
import { blake3Hex } from './hash.js'
import { contentTypeOf, kindOfOutput } from './mediaTypes.js'
import { type AssetRow, KeyReusedError, type JobRow, type StoredOutput, type V2Store } from './store.js'

/** How long a finished job (and its outputs) is kept: the contract's `expires_at`. */
export const JOB_RETENTION_MS = 24 * 60 * 60 * 1000

export class V2Error extends DiscomfortError {
  override name = 'V2Error'
  constructor(
    status: number,
    code: string,
    message: string,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message, { status, code })
  }
}

/** What the jobs need of the pool: its servers' clients (to place inputs and fetch outputs), and what they run. */
export interface V2Pool {
  clients(): Array<{ label: string; up: boolean; client: ComfyClient }>
  /** Node definitions, and the classes the servers replace (known too), to check a workflow before it is accepted. */
  nodes(): Promise<{ info: ObjectInfo; replaced: ReadonlySet<string> }>
}

/** What a job is doing now, beyond its row: what its run's events said last. */
interface Live {
  progress: V2Progress | null
  /** Notified of each change (the SSE streams). */
  listeners: Set<(change: JobChange) => void>
}

export type JobChange =
  | { type: 'status'; status: V2JobStatus }
  | { type: 'progress'; progress: V2Progress }
  | { type: 'preview' }

const nowIso = () => new Date().toISOString()
const later = (ms: number) => new Date(Date.now() + ms).toISOString()

export class V2Jobs {
  private readonly live = new Map<string, Live>()
  private readonly byRun = new Map<string, string>()
  private readonly offEvents: () => void
  private readonly expiry: NodeJS.Timeout
  /** The bridge is stopping: runs that end now end with it, and their jobs stay open for the next start. */
  private closing = false

  constructor(
    readonly store: V2Store,
    private readonly runs: RunManager,
    private readonly pool: V2Pool,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.offEvents = runs.onEvent((run, event) => this.onRunEvent(run, event))
    this.expiry = setInterval(() => void this.store.expire(nowIso()).catch(() => {}), 60 * 60 * 1000)
    this.expiry.unref()
  }

  /** Jobs the bridge had not finished when it stopped: started again (their ids unchanged). */
  async resume(): Promise<number> {
    await this.store.expire(nowIso())
    const open = this.store.open()
    for (const listed of open) {
      // Read again: the bridge answers while it takes its jobs up, and a job may have been cancelled meanwhile.
      const row = this.store.job(listed.id)
      if (!row || terminalV2(row.status)) continue
      if (row.cancel_requested) {
        this.end(row.id, 'canceled', [], null)
        continue
      }
      await this.start(row).catch((e: unknown) => this.startLater(row.id, e))
    }
    if (open.length) this.log(`v2: took up ${open.length} job(s) the bridge had not finished.`)
    return open.length
  }

  /** A job taken up while no server answers (ComfyUI starts after the bridge): tried again every few seconds. */
  private startLater(jobId: string, e: unknown): void {
    if ((e as { code?: string }).code !== 'upstream_unreachable') {
      this.end(jobId, 'failed', [], failure(e))
      return
    }
    const retry = setTimeout(() => {
      const row = this.store.job(jobId)
      if (this.closing || !row || terminalV2(row.status)) return
      void this.start(row).catch((again: unknown) => this.startLater(jobId, again))
    }, 5000)
    retry.unref()
  }

  close(): void {
    this.closing = true
    this.offEvents()
    clearInterval(this.expiry)
  }

  /** Accept a job: recorded before the answer, then run. */
  async submit(body: SubmitJobBody, idempotencyKey: string | undefined): Promise<JobRow> {
    const workflow = body.workflow
    if ('nodes' in workflow && 'links' in workflow)
      throw new V2Error(
        422,
        'workflow_format_ui',
        'This is a UI workflow (as saved from the page); v2 takes the API format (File → Export (API)). The bridge runs UI workflows through /api/runs.',
      )
    if (body.extra_data?.api_key_comfy_org !== undefined)
      throw new V2Error(
        422,
        'extra_data_not_supported',
        'This bridge does not pass extra_data.api_key_comfy_org to ComfyUI: runs are kept in its ledger (to run again, to answer after a restart), and a key must not be. Give partner nodes their key on the ComfyUI servers themselves (signed in there).',
      )
    this.checkAssets(workflow)
    await this.checkNodes(workflow)
    const id = randomUUID()
    const createdAt = nowIso()
    try {
      this.store.insertJob({
        id,
        idemKey: idempotencyKey,
        workflow,
        metadata: body.metadata ?? {},
        createdAt,
        expiresAt: new Date(Date.parse(createdAt) + JOB_RETENTION_MS).toISOString(),
      })
    } catch (e) {
      if (e instanceof KeyReusedError)
        throw new V2Error(
          422,
          'idempotency_key_reuse',
          `Idempotency-Key "${idempotencyKey}" was used by an earlier job; a key is used once (send a new one to submit again).`,
        )
      throw e
    }
    const row = this.store.job(id)!
    try {
      await this.start(row)
    } catch (e) {
      // Refused before anything ran: no job, and the key may be used again.
      this.store.forgetJob(id)
      throw e
    }
    return this.store.job(id)!
  }

  /**
   * What ComfyUI would refuse, refused before anything is recorded (422
   * `invalid_workflow`, with `node_errors` as ComfyUI gives them): a node that
   * is not `{class_type, inputs}`, a class no server knows, no output node.
   * When no server can say what it runs, the workflow goes on and its run says.
   */
  private async checkNodes(workflow: Record<string, unknown>): Promise<void> {
    const known = await this.pool.nodes().catch(() => undefined)
    const nodeErrors: Record<string, unknown> = {}
    let outputs = 0
    for (const [id, node] of Object.entries(workflow)) {
      const n = node as { class_type?: unknown; inputs?: unknown } | null
      const classType = typeof n?.class_type === 'string' ? n.class_type : undefined
      const shaped = classType !== undefined && typeof n?.inputs === 'object' && n.inputs !== null
      const def = classType !== undefined ? known?.info[classType] : undefined
      if (!shaped)
        nodeErrors[id] = {
          errors: [{ type: 'invalid_node', message: 'a node is {"class_type": ..., "inputs": {...}}' }],
        }
      else if (known && !def && !known.replaced.has(classType))
        nodeErrors[id] = {
          errors: [
            { type: 'missing_node_type', message: `Node type "${classType}" is not known to the ComfyUI servers` },
          ],
          class_type: classType,
        }
      if (def?.output_node || (known && !def)) outputs++
    }
    if (Object.keys(nodeErrors).length)
      throw new V2Error(
        422,
        'invalid_workflow',
        `The workflow has ${Object.keys(nodeErrors).length} node(s) ComfyUI would refuse.`,
        {
          node_errors: nodeErrors,
        },
      )
    if (known && outputs === 0)
      throw new V2Error(
        422,
        'invalid_workflow',
        'The workflow has no output node (SaveImage, PreviewImage, ...): it would produce nothing.',
        {
          node_errors: {},
        },
      )
  }

  /** The assets a workflow names must be known here; else nothing is recorded. */
  private checkAssets(workflow: Record<string, unknown>): void {
    const missing: string[] = []
    for (const ref of assetRefs(workflow))
      if (!this.resolve(ref.value)) missing.push(ref.value.info.id ?? ref.value.info.hash ?? '?')
    if (missing.length)
      throw new V2Error(
        422,
        'missing_asset',
        `The workflow names ${missing.length} asset(s) this bridge does not hold: ${missing.join(', ')}.`,
        {
          missing_ids: missing,
        },
      )
  }

  private resolve(ref: { info: { id?: string | undefined; hash?: string | undefined } }): AssetRow | undefined {
    return (
      (ref.info.id ? this.store.asset(ref.info.id) : undefined) ??
      (ref.info.hash ? this.store.assetByHash(ref.info.hash) : undefined)
    )
  }

  /**
   * Place the job's input assets on every server that is up (content-named:
   * the same name everywhere, so the pool may pick any), then submit its run.
   */
  private async start(row: JobRow): Promise<void> {
    const workflow = JSON.parse(row.workflow) as Record<string, unknown>
    const refs = assetRefs(workflow)
    for (const ref of refs) {
      const asset = this.resolve(ref.value)
      if (!asset) throw new V2Error(422, 'missing_asset', `Asset ${ref.value.info.id ?? ref.value.info.hash} is gone.`)
      const bytes = await this.store.readBlob(asset.hash)
      const ext = (extname(asset.file_path ?? '').slice(1) || 'png').toLowerCase()
      // Every server that answers gets it (a server that fails to take it is left out, not the job).
      const placed = await Promise.allSettled(
        this.pool
          .clients()
          .filter((s) => s.up)
          .map(async (s) => ComfyHttp.loaderPath(await s.client.http.uploadContent(new Uint8Array(bytes), ext))),
      )
      const name = placed.find((p): p is PromiseFulfilledResult<string> => p.status === 'fulfilled')?.value
      if (name === undefined)
        throw new V2Error(503, 'upstream_unreachable', 'No ComfyUI server of the pool took the input files.')
      ref.set(name)
    }
    const run = await this.runs.submit({ workflows: [{ name: `v2 job ${row.id}`, workflow }] })
    this.byRun.set(run.id, row.id)
    if (!this.store.started(row.id, run.id) || this.store.job(row.id)?.cancel_requested) {
      // Cancelled while it was being started: its run is cancelled too, and the job ends (or has ended) cancelled.
      await this.runs.cancel(run.id)
    }
    this.live.set(row.id, this.live.get(row.id) ?? { progress: null, listeners: new Set() })
    void this.runs
      .finished(run)
      .then(() => this.settle(row.id, run))
      .catch((e: unknown) => {
        // Only while the bridge closes (its ledger shut under a job that was ending): the next start takes the job up.
        if (!this.closing) this.log(`v2: job ${row.id} could not be ended: ${(e as Error).message}`)
      })
  }

  private onRunEvent(run: RunRecord, event: RunEvent): void {
    const jobId = this.byRun.get(run.id)
    if (!jobId) return
    const live = this.live.get(jobId)
    if (event.type === 'workflow-started') {
      this.store.running(jobId, event.server ?? '', nowIso())
      this.tell(jobId, { type: 'status', status: this.store.job(jobId)?.status ?? 'running' })
    } else if (event.type === 'node' || event.type === 'progress') {
      if (!live) return
      const before = live.progress
      live.progress =
        event.type === 'node'
          ? {
              // Nodes a server expands (loops, lazy re-runs) count past the prompt's own: the contract's value is 0 to 1.
              value: event.total ? Math.min(1, event.done / event.total) : 0,
              nodes_done: Math.min(event.done, event.total),
              nodes_total: event.total,
              current_node: event.node,
            }
          : {
              value: before?.value ?? 0,
              nodes_done: before?.nodes_done ?? 0,
              nodes_total: before?.nodes_total ?? 0,
              current_node: event.node,
              // Whole numbers in the contract; a custom node may report fractions.
              step: Math.round(event.value),
              steps: Math.max(1, Math.round(event.max)),
            }
      this.tell(jobId, { type: 'progress', progress: live.progress })
    }
  }

  /** The run ended: the job ends with it, once (outputs kept first). */
  private async settle(jobId: string, run: RunRecord): Promise<void> {
    this.byRun.delete(run.id)
    if (this.closing) return
    const row = this.store.job(jobId)
    if (!row || terminalV2(row.status) || row.run_id !== run.id) return
    if (run.status === 'succeeded') {
      try {
        this.end(jobId, 'succeeded', await this.keepOutputs(jobId, run), null)
      } catch (e) {
        this.end(jobId, 'failed', [], {
          code: 'output_unavailable',
          message: `The outputs could not be read: ${(e as Error).message}`,
        })
      }
      return
    }
    if (run.status === 'cancelled' || row.cancel_requested) {
      this.end(jobId, 'canceled', [], null)
      return
    }
    this.end(jobId, 'failed', [], jobError(run))
  }

  private end(jobId: string, status: V2JobStatus, outputs: StoredOutput[], error: V2JobError | null): void {
    // A job whose run ended with the bridge stays open: the next start runs it again, and it ends then, once.
    if (this.closing) return
    const at = nowIso()
    if (this.store.finish(jobId, status, outputs, error, at, later(JOB_RETENTION_MS)))
      this.tell(jobId, { type: 'status', status })
  }

  /** The files ComfyUI's output nodes wrote, fetched from the server that ran the prompt and kept by hash. */
  private async keepOutputs(jobId: string, run: RunRecord): Promise<StoredOutput[]> {
    const out: StoredOutput[] = []
    for (const event of run.events) {
      if (event.type !== 'workflow-finished' || !event.comfy) continue
      const client = this.pool.clients().find((s) => s.label === event.comfy!.server)?.client
      if (!client) throw new Error(`server ${event.comfy.server} has left the pool`)
      for (const [nodeId, ui] of Object.entries(event.comfy.outputs as Record<string, NodeUi>)) {
        for (const [key, list] of Object.entries(ui)) {
          const type = kindOfOutput(key)
          if (!type || !Array.isArray(list)) continue
          for (const item of list) {
            if (type === 'text') {
              if (typeof item !== 'string') continue
              out.push(
                await this.keep(jobId, nodeId, `${nodeId}-${out.length}.txt`, 'text', new TextEncoder().encode(item)),
              )
              continue
            }
            const f = item as { filename?: unknown; subfolder?: unknown; type?: unknown }
            if (typeof f.filename !== 'string') continue
            const where = String(f.type ?? 'output')
            const file = {
              filename: f.filename,
              subfolder: String(f.subfolder ?? ''),
              type: where === 'input' ? ('input' as const) : where === 'temp' ? ('temp' as const) : ('output' as const),
            }
            // Previews (temp) are not outputs; what a node saved is.
            if (file.type === 'temp') continue
            out.push(await this.keep(jobId, nodeId, file.filename, type, await client.http.view(file)))
          }
        }
      }
    }
    return out
  }

  private async keep(
    jobId: string,
    nodeId: string,
    name: string,
    type: StoredOutput['type'],
    bytes: Uint8Array,
  ): Promise<StoredOutput> {
    const hash = `blake3:${await blake3Hex(bytes)}`
    await this.store.putBlob(hash, bytes)
    const asset: AssetRow = {
      id: randomUUID(),
      hash,
      size: bytes.byteLength,
      content_type: contentTypeOf(name),
      file_path: name,
      job_id: jobId,
      created_at: nowIso(),
      expires_at: later(JOB_RETENTION_MS),
    }
    this.store.insertAsset(asset)
    return { node_id: nodeId, asset_id: asset.id, name, type }
  }

  /** Cancel: a waiting job is taken out, a running one interrupted on its server; an ended one is as it was. */
  async cancel(jobId: string): Promise<JobRow> {
    const row = this.require(jobId)
    if (terminalV2(row.status)) return row
    this.store.requestCancel(jobId)
    this.tell(jobId, { type: 'status', status: 'canceling' })
    if (row.run_id && !(await this.runs.cancel(row.run_id))) this.end(jobId, 'canceled', [], null)
    return this.store.job(jobId)!
  }

  require(jobId: string): JobRow {
    const row = this.store.job(jobId)
    if (!row)
      throw new V2Error(
        404,
        'not_found',
        `No job ${jobId} (jobs are kept ${JOB_RETENTION_MS / 3_600_000} h after they end).`,
      )
    return row
  }

  progress(jobId: string): V2Progress | null {
    return this.live.get(jobId)?.progress ?? null
  }

  /** Hear a job's changes until `off()`. */
  listen(jobId: string, listener: (change: JobChange) => void): () => void {
    const live = this.live.get(jobId) ?? { progress: null, listeners: new Set() }
    this.live.set(jobId, live)
    live.listeners.add(listener)
    return () => live.listeners.delete(listener)
  }

  private tell(jobId: string, change: JobChange): void {
    for (const l of this.live.get(jobId)?.listeners ?? []) l(change)
    if (change.type === 'status' && terminalV2(change.status)) {
      const live = this.live.get(jobId)
      if (live && !live.listeners.size) this.live.delete(jobId)
    }
  }
}

function jobError(run: RunRecord): V2JobError {
  const e = run.error
  const at = /node (\S+)/.exec(e?.message ?? '')
  return {
    code: e?.cause?.code ?? e?.code ?? 'job_failed',
    message: e?.message ?? `The run ended ${run.status}.`,
    node_id: at?.[1]?.replace(/[^\w:.-]/g, '') ?? null,
  }
}

function failure(e: unknown): V2JobError {
  return { code: (e as { code?: string }).code ?? 'internal', message: (e as Error).message ?? String(e) }
}

/** Every `core/ASSET` reference of a workflow's inputs, with a way to replace it. */
function assetRefs(
  workflow: Record<string, unknown>,
): Array<{ value: ReturnType<typeof AssetRefSchema.parse>; set: (v: string) => void }> {
  const found: Array<{ value: ReturnType<typeof AssetRefSchema.parse>; set: (v: string) => void }> = []
  for (const node of Object.values(workflow)) {
    const inputs = (node as { inputs?: unknown })?.inputs
    if (typeof inputs !== 'object' || inputs === null) continue
    const record = inputs as Record<string, unknown>
    for (const [name, value] of Object.entries(record)) {
      const ref = AssetRefSchema.safeParse(value)
      if (ref.success) found.push({ value: ref.data, set: (v) => (record[name] = v) })
    }
  }
  return found
}
