/**
 * The MCP tools: contexts, runs (jobs), sweeps (batches), the pool and the
 * converter, each over the bridge's HTTP API (`bridgeCalls.ts`). Inputs are
 * the protocol's own schemas where one exists (a run is a RunSpec, a batch a
 * SweepSpec), so the tools take what the API takes. The job and batch names
 * follow Comfy's MCP servers (`run_workflow`, `submit_batch`,
 * `wait_for_batch`, `use_previous_output`, ...), on a local pool.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod/v4'
import { routePaths } from '../../shared/protocol/paths.js'
import {
  NamedWorkflowSchema,
  RunSpecSchema,
  SweepSpecSchema,
  ServerSpecSchema,
  ComfyTypeSchema,
  runIsOpen,
  type ContextSummary,
  type EntryMeta,
  type Health,
  type KeyEntry,
  type NamedWorkflow,
  type RunView,
  type StorageInfo,
  type ServerInfo,
  type SweepItem,
  type SweepView,
} from '../../shared/protocol/index.js'
import { DiscomfortError } from '../../shared/errors.js'
import { readWorkflowFile } from '../runs/workflowFile.js'
import { type BridgeCalls, type Progress, waitUntil } from './bridgeCalls.js'

/** What a tool answers: MCP content blocks (text, or an image as base64 PNG). */
export type ToolContent = { type: 'text'; text: string } | { type: 'image'; data: string; mimeType: string }

export interface ToolAnswer {
  content: ToolContent[]
  structuredContent?: Record<string, unknown>
  isError?: boolean
}

export interface ToolCall {
  report: (p: Progress) => Promise<void>
  signal: AbortSignal
  /** Whether paths name files this server may read (stdio: the client's own machine). */
  localFiles: boolean
}

export interface Tool<S extends z.ZodObject = z.ZodObject> {
  title: string
  description: string
  input: S
  readOnly?: boolean
  destructive?: boolean
  run: (bridge: BridgeCalls, args: z.infer<S>, call: ToolCall) => Promise<ToolAnswer>
}

/** The longest a wait tool waits in one call; past it, it answers `timedOut` and the caller asks again. */
const MAX_WAIT_S = 600
/** Under MCP clients' usual 60 s request timeout (the waits also send progress at least every 10 s). */
const DEFAULT_WAIT_S = 50
/** An image larger than this goes back as its thumbnail (MCP clients hold answers in memory). */
const MAX_IMAGE_BYTES = 8 * 1024 * 1024

const waitSeconds = z
  .number()
  .min(0)
  .max(MAX_WAIT_S)
  .optional()
  .describe(
    `Seconds to wait at most (default ${DEFAULT_WAIT_S}, at most ${MAX_WAIT_S}); past it the answer says timedOut.`,
  )

/** A workflow: a file path (read where this server runs) or {name, workflow} (UI or API format JSON). */
const WorkflowArg = z.union([
  z.string().min(1).describe('Path of a workflow JSON file (UI or API format).'),
  NamedWorkflowSchema,
])

const workflowsArg = z
  .array(WorkflowArg)
  .min(1)
  .max(100)
  .describe('The workflows to run in order: file paths, or {name, workflow} objects (UI or API format JSON).')

/** Files are read only for a client on this machine (stdio); over HTTP a path would read the bridge's disk. */
function checkLocal(call: ToolCall, path: string): void {
  if (!call.localFiles)
    throw new DiscomfortError(
      `"${path}": over HTTP the MCP tools read no files on the bridge's machine; give the workflow or value itself.`,
      { code: 'files_not_allowed' },
    )
}

async function loadWorkflows(list: readonly z.infer<typeof WorkflowArg>[], call: ToolCall): Promise<NamedWorkflow[]> {
  return Promise.all(
    list.map((w) => {
      if (typeof w !== 'string') return w
      checkLocal(call, w)
      return readWorkflowFile(w)
    }),
  )
}

/** A file where this server runs, or an error that names it (code `file_unreadable`). */
async function readLocal(path: string, call: ToolCall): Promise<Buffer> {
  checkLocal(call, path)
  try {
    return await readFile(path)
  } catch (e) {
    throw new DiscomfortError(`Cannot read "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, {
      code: 'file_unreadable',
    })
  }
}

const json = (value: unknown): ToolAnswer => ({
  content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
  ...(value && typeof value === 'object' && !Array.isArray(value)
    ? { structuredContent: value as Record<string, unknown> }
    : { structuredContent: { items: value } }),
})

function runProgress(view: RunView): Progress {
  const { step, totalSteps, workflow } = view.progress
  return {
    progress: step,
    total: totalSteps,
    message: `run ${view.id} ${view.status}${workflow ? ` (${workflow})` : ''}`,
  }
}

function sweepProgress(view: SweepView): Progress {
  return {
    progress: view.done + view.failed,
    total: view.total,
    message: `batch ${view.id} ${view.status}: ${view.done} done, ${view.failed} failed, ${view.running} running of ${view.total}`,
  }
}

/** A value of a context as MCP content: images as images, the rest as JSON text. */
async function valueContent(bridge: BridgeCalls, context: string, key: string): Promise<ToolContent[]> {
  const { kind } = await bridge.call<StorageInfo>(routePaths.storageInfo, { id: context, key })
  if (kind === 'image' || kind === 'mask') {
    const raw = await bridge.bytes(routePaths.value, { id: context, key }, { format: 'raw' })
    if (raw.bytes.byteLength <= MAX_IMAGE_BYTES)
      return [
        { type: 'text', text: `${key}: ${kind}, ${raw.bytes.byteLength} bytes of PNG (the first frame)` },
        { type: 'image', data: raw.bytes.toString('base64'), mimeType: 'image/png' },
      ]
    const thumb = await bridge.bytes(routePaths.thumbnail, { id: context, key })
    return [
      {
        type: 'text',
        text: `${key}: ${kind}, ${raw.bytes.byteLength} bytes of PNG; too large to send, its thumbnail:`,
      },
      { type: 'image', data: thumb.bytes.toString('base64'), mimeType: thumb.type },
    ]
  }
  const doc = await bridge.call<{ meta: EntryMeta; summary: string; value: { value?: unknown } }>(routePaths.value, {
    id: context,
    key,
  })
  // A latent's bytes say nothing to a reader: its summary (shape, size) does.
  const shown = kind === 'latent' || kind === 'ref' ? doc.summary : JSON.stringify(doc.value.value ?? null, null, 2)
  return [{ type: 'text', text: `${key} (${kind}, ${doc.meta.comfyType}): ${shown}` }]
}

/** An item's outputs as MCP content: image files as images, small values as text. */
async function itemContent(bridge: BridgeCalls, sweepId: string, item: SweepItem): Promise<ToolContent[]> {
  const out: ToolContent[] = [
    { type: 'text', text: `item ${item.index} ${item.status} ${JSON.stringify(item.inputs)}` },
  ]
  for (const o of item.outputs ?? []) {
    if ((o.kind === 'image' || o.kind === 'mask') && o.bytes <= MAX_IMAGE_BYTES) {
      const file = await bridge.bytes(routePaths.sweepFile, { id: sweepId, file: o.file.replace(/^items\//, '') })
      out.push({ type: 'text', text: `${o.key}: ${o.kind} (${o.file})` })
      out.push({ type: 'image', data: file.bytes.toString('base64'), mimeType: 'image/png' })
    } else
      out.push({
        type: 'text',
        text: `${o.key}: ${o.kind} (${o.file}, ${o.bytes} bytes)${o.value !== undefined ? ` = ${JSON.stringify(o.value)}` : ''}`,
      })
  }
  if (item.error) out.push({ type: 'text', text: `error: ${item.error.code}: ${item.error.message}` })
  return out
}

const tool = <S extends z.ZodObject>(t: Tool<S>): Tool<S> => t

const runId = z.string().min(1).describe('The run (job) id run_workflow answered.')
const batchId = z.string().min(1).describe('The batch (sweep) id submit_batch answered.')
const contextId = z.string().min(1).describe('A context id (list_contexts).')

export const tools = {
  server_info: tool({
    title: 'Bridge and pool',
    description:
      "The bridge's health and the ComfyUI servers of its pool (up, paused, queued prompts, what each holds).",
    input: z.object({}),
    readOnly: true,
    run: async (bridge) => {
      const [health, servers] = await Promise.all([
        bridge.call<Health>(routePaths.health, {}),
        bridge.call<ServerInfo[]>(routePaths.listServers, {}),
      ])
      return json({ bridge: bridge.url, health, servers })
    },
  }),

  // ---- contexts
  list_contexts: tool({
    title: 'List contexts',
    description: 'The contexts (named stores of values carried between runs) the bridge holds.',
    input: z.object({}),
    readOnly: true,
    run: async (bridge) => json(await bridge.call<ContextSummary[]>(routePaths.listContexts, {})),
  }),
  create_context: tool({
    title: 'Create a context',
    description: 'A new context; durable ones are kept on disk across bridge restarts.',
    input: z.object({
      name: z.string().min(1).max(200).optional(),
      durable: z.boolean().optional(),
    }),
    run: async (bridge, args) => json(await bridge.call<ContextSummary>(routePaths.createContext, {}, args)),
  }),
  list_context_keys: tool({
    title: 'Keys of a context',
    description: 'Each key of a context: its kind, ComfyUI type, size and where it is stored.',
    input: z.object({ context: contextId }),
    readOnly: true,
    run: async (bridge, { context }) => json(await bridge.call<KeyEntry[]>(routePaths.keys, { id: context })),
  }),
  get_context_value: tool({
    title: 'Read a value',
    description: 'One value of a context: an image or mask comes back as an image, anything else as JSON.',
    input: z.object({ context: contextId, key: z.string().min(1) }),
    readOnly: true,
    run: async (bridge, { context, key }) => ({ content: await valueContent(bridge, context, key) }),
  }),
  set_context_value: tool({
    title: 'Write a value',
    description:
      'Save a value under a key: `value` (any JSON), or `pngBase64` / `file` (a PNG or .latent file where this server runs) for an image. The next run with this context reads it through its ports.',
    input: z
      .object({
        context: contextId,
        key: z.string().min(1).max(500),
        value: z.unknown().optional(),
        pngBase64: z.string().optional(),
        file: z.string().optional(),
        comfyType: ComfyTypeSchema.optional(),
      })
      .refine(
        (a) => [a.value !== undefined, a.pngBase64 !== undefined, a.file !== undefined].filter(Boolean).length === 1,
        {
          message: 'give one of value, pngBase64 or file',
        },
      ),
    run: async (bridge, { context, key, value, pngBase64, file, comfyType }, call) => {
      const bytes =
        pngBase64 !== undefined ? Buffer.from(pngBase64, 'base64') : file ? await readLocal(file, call) : undefined
      const body = {
        value: bytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : value,
        ...(comfyType ? { comfyType } : bytes && !file?.endsWith('.latent') ? { comfyType: 'IMAGE' } : {}),
      }
      return json(await bridge.call<EntryMeta>(routePaths.saveValue, { id: context, key }, body))
    },
  }),
  delete_context_value: tool({
    title: 'Delete a value',
    description: 'Remove a key from a context.',
    input: z.object({ context: contextId, key: z.string().min(1) }),
    destructive: true,
    run: async (bridge, { context, key }) => {
      await bridge.call(routePaths.deleteValue, { id: context, key })
      return json({ deleted: key, context })
    },
  }),

  // ---- runs (jobs)
  run_workflow: tool({
    title: 'Run workflows',
    description:
      'Run one or more workflows in order (a partial workflow chain), `iterations` times, reading and writing a context through its DiscomfortPort nodes; the bridge picks a server of its pool. Answers the run (its id) at once, or when it ends with `wait: true`.',
    input: RunSpecSchema.omit({ workflows: true }).extend({
      workflows: workflowsArg,
      wait: z.boolean().optional().describe('Wait for the run to end (bounded by timeoutS).'),
      timeoutS: waitSeconds,
    }),
    run: async (bridge, { workflows, wait, timeoutS, ...spec }, call) => {
      const view = await bridge.call<RunView>(
        routePaths.submitRun,
        {},
        {
          ...spec,
          workflows: await loadWorkflows(workflows, call),
        },
      )
      if (!wait) return json(view)
      return json(await waitForRun(bridge, view.id, timeoutS, call))
    },
  }),
  get_job_status: tool({
    title: 'Status of a run',
    description: "A run's status, progress and error (its id survives bridge restarts: runs are in the ledger).",
    input: z.object({ runId }),
    readOnly: true,
    run: async (bridge, { runId }) => json(await bridge.call<RunView>(routePaths.run, { id: runId })),
  }),
  wait_for_job: tool({
    title: 'Wait for a run',
    description: 'Wait until a run ends or the timeout passes, with progress notifications; then its status.',
    input: z.object({ runId, timeoutS: waitSeconds }),
    readOnly: true,
    run: async (bridge, { runId, timeoutS }, call) => json(await waitForRun(bridge, runId, timeoutS, call)),
  }),
  get_job_outputs: tool({
    title: 'Outputs of a run',
    description: "A finished run's outputs: the values it wrote into its context (images as images).",
    input: z.object({ runId, keys: z.array(z.string()).max(50).optional() }),
    readOnly: true,
    run: async (bridge, { runId, keys }) => {
      const view = await bridge.call<RunView>(routePaths.run, { id: runId })
      if (view.status !== 'succeeded')
        throw new DiscomfortError(
          runIsOpen(view.status)
            ? `Run ${runId} is ${view.status}; wait for it (wait_for_job), then ask again.`
            : `Run ${runId} ended ${view.status}; it has no outputs${view.error ? ` (${view.error.code}: ${view.error.message})` : ''}.`,
          { code: runIsOpen(view.status) ? 'not_finished' : 'no_outputs' },
        )
      const wanted = keys ?? view.outputs ?? []
      const content: ToolContent[] = []
      for (const key of wanted) content.push(...(await valueContent(bridge, view.contextId, key)))
      return { content: content.length ? content : [{ type: 'text', text: `Run ${runId} wrote no outputs.` }] }
    },
  }),
  cancel_job: tool({
    title: 'Cancel a run',
    description: 'Cancel a run: removed from its server if waiting there, interrupted if running.',
    input: z.object({ runId }),
    destructive: true,
    run: async (bridge, { runId }) => json(await bridge.call<RunView>(routePaths.cancelRun, { id: runId })),
  }),
  rerun_job: tool({
    title: 'Run again',
    description: 'Run a finished run again with the same workflows, inputs and context.',
    input: z.object({ runId }),
    run: async (bridge, { runId }) => json(await bridge.call<RunView>(routePaths.rerun, { id: runId }, {})),
  }),
  list_jobs: tool({
    title: 'Run history',
    description: 'The latest runs, newest first (scripts, sweeps and the page), from the durable ledger.',
    input: z.object({ limit: z.number().int().min(1).max(200).optional() }),
    readOnly: true,
    run: async (bridge, { limit }) =>
      json(await bridge.call<RunView[]>(routePaths.listRuns, {}, undefined, { limit: limit ?? 20 })),
  }),
  use_previous_output: tool({
    title: 'Chain an output',
    description:
      "Copy an output of a finished run (or of a batch item) into a context key, so the next run reads it: phase 1's image into phase 2's input.",
    input: z
      .object({
        runId: runId.optional(),
        batchId: batchId.optional(),
        item: z.number().int().min(0).optional().describe("The batch item's index (with batchId)."),
        output: z.string().min(1).describe('The output key.'),
        context: contextId.describe('The context to write into.'),
        key: z.string().min(1).optional().describe('The key to write (default: the output key).'),
      })
      .refine((a) => (a.runId ? 1 : 0) + (a.batchId ? 1 : 0) === 1, { message: 'give runId, or batchId with item' }),
    run: async (bridge, { runId: rid, batchId: bid, item, output, context, key }) => {
      const target = { id: context, key: key ?? output }
      if (rid) {
        const view = await bridge.call<RunView>(routePaths.run, { id: rid })
        const doc = await bridge.call<{ value: unknown }>(routePaths.value, { id: view.contextId, key: output })
        return json(await bridge.call<EntryMeta>(routePaths.saveValue, target, { value: doc.value }))
      }
      const items = await bridge.call<SweepItem[]>(routePaths.sweepItems, { id: bid ?? '' }, undefined, {
        after: (item ?? 0) - 1,
        limit: 1,
      })
      const found = items.find((i) => i.index === (item ?? 0))?.outputs?.find((o) => o.key === output)
      if (!found)
        throw new DiscomfortError(`Batch ${bid} item ${item ?? 0} has no output "${output}".`, { code: 'not_found' })
      if (found.value !== undefined)
        return json(await bridge.call<EntryMeta>(routePaths.saveValue, target, { value: found.value }))
      const file = await bridge.bytes(routePaths.sweepFile, { id: bid ?? '', file: found.file.replace(/^items\//, '') })
      const bytes = new Uint8Array(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength)
      const comfyType = found.kind === 'mask' ? 'MASK' : found.kind === 'latent' ? 'LATENT' : 'IMAGE'
      return json(await bridge.call<EntryMeta>(routePaths.saveValue, target, { value: bytes, comfyType }))
    },
  }),

  // ---- sweeps (batches)
  submit_batch: tool({
    title: 'Submit a batch (sweep)',
    description:
      'Run a workflow once per item across the pool, each item committed exactly once; `vary` gives values per input key (every combination), `items` gives input sets. The batch id stays valid across bridge restarts, and an interrupted batch goes on when the bridge starts again.',
    input: SweepSpecSchema.omit({ workflows: true }).extend({ workflows: workflowsArg }),
    run: async (bridge, { workflows, ...spec }, call) =>
      json(
        await bridge.call<SweepView>(
          routePaths.submitSweep,
          {},
          { ...spec, workflows: await loadWorkflows(workflows, call) },
        ),
      ),
  }),
  get_batch_status: tool({
    title: 'Status of a batch',
    description: 'How many items are done, failed and running, and where the outputs are.',
    input: z.object({ batchId }),
    readOnly: true,
    run: async (bridge, { batchId }) => json(await bridge.call<SweepView>(routePaths.sweep, { id: batchId })),
  }),
  wait_for_batch: tool({
    title: 'Wait for a batch',
    description: 'Wait until every item of a batch has ended or the timeout passes, with progress notifications.',
    input: z.object({ batchId, timeoutS: waitSeconds }),
    readOnly: true,
    run: async (bridge, { batchId, timeoutS }, call) => {
      const waited = await waitUntil(
        async () => {
          const view = await bridge.call<SweepView>(routePaths.sweep, { id: batchId })
          return { done: view.status !== 'running', value: view, progress: sweepProgress(view) }
        },
        { timeoutMs: (timeoutS ?? DEFAULT_WAIT_S) * 1000, report: call.report, signal: call.signal },
      )
      return json({ ...waited.value, timedOut: waited.timedOut, waitedS: waited.waitedMs / 1000 })
    },
  }),
  get_batch_outputs: tool({
    title: 'Outputs of a batch',
    description:
      "The items of a batch with their inputs and outputs (images as images), `limit` items from `after`'s next.",
    input: z.object({
      batchId,
      after: z.number().int().min(-1).optional().describe('Start after this item index (default -1: the first).'),
      limit: z.number().int().min(1).max(50).optional().describe('Items in this answer (default 10).'),
      images: z.boolean().optional().describe('Send image outputs as images (default true).'),
    }),
    readOnly: true,
    run: async (bridge, { batchId, after, limit, images }) => {
      const items = await bridge.call<SweepItem[]>(routePaths.sweepItems, { id: batchId }, undefined, {
        after: after ?? -1,
        limit: limit ?? 10,
      })
      if (images === false) return json(items)
      const content: ToolContent[] = []
      for (const item of items) content.push(...(await itemContent(bridge, batchId, item)))
      return { content: content.length ? content : [{ type: 'text', text: 'No items there.' }] }
    },
  }),
  cancel_batch: tool({
    title: 'Cancel a batch',
    description: 'Stop a batch: no new items start; those running are cancelled on their servers.',
    input: z.object({ batchId }),
    destructive: true,
    run: async (bridge, { batchId }) => json(await bridge.call<SweepView>(routePaths.cancelSweep, { id: batchId })),
  }),
  list_batches: tool({
    title: 'List batches',
    description: 'The batches (sweeps) the bridge knows, newest first.',
    input: z.object({}),
    readOnly: true,
    run: async (bridge) => json(await bridge.call<SweepView[]>(routePaths.listSweeps, {})),
  }),

  // ---- the pool
  list_servers: tool({
    title: 'List servers',
    description: 'The ComfyUI servers of the pool.',
    input: z.object({}),
    readOnly: true,
    run: async (bridge) => json(await bridge.call<ServerInfo[]>(routePaths.listServers, {})),
  }),
  add_server: tool({
    title: 'Add a server',
    description: 'Add a ComfyUI server to the pool (url, optional label, weight and maxQueued).',
    input: ServerSpecSchema,
    run: async (bridge, spec) => json(await bridge.call<unknown>(routePaths.addServers, {}, spec)),
  }),
  remove_server: tool({
    title: 'Remove a server',
    description: 'Take a server out of the pool; what runs there goes on elsewhere.',
    input: z.object({ label: z.string().min(1) }),
    destructive: true,
    run: async (bridge, { label }) => {
      await bridge.call(routePaths.removeServer, { label })
      return json({ removed: label })
    },
  }),

  // ---- workflows
  convert_workflow: tool({
    title: 'Convert a UI workflow',
    description:
      "Turn a UI workflow (as saved from the page) into the API prompt ComfyUI runs, as the page's frontend does; a workflow that cannot be converted (unknown nodes, bad links) is refused with the reason.",
    input: z.object({ workflow: WorkflowArg }),
    readOnly: true,
    run: async (bridge, { workflow }, call) => {
      const [w] = await loadWorkflows([workflow], call)
      return json(await bridge.call<unknown>(routePaths.convert, {}, { workflow: w!.workflow, name: w!.name }))
    },
  }),
} satisfies Record<string, Tool>

async function waitForRun(bridge: BridgeCalls, id: string, timeoutS: number | undefined, call: ToolCall) {
  const waited = await waitUntil(
    async () => {
      const view = await bridge.call<RunView>(routePaths.run, { id })
      return { done: !runIsOpen(view.status), value: view, progress: runProgress(view) }
    },
    { timeoutMs: (timeoutS ?? DEFAULT_WAIT_S) * 1000, report: call.report, signal: call.signal },
  )
  return { ...waited.value, timedOut: waited.timedOut, waitedS: waited.waitedMs / 1000 }
}
