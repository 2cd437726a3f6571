/** Runs on the wire: the submit body, the events a run emits, and how a run is shown. */
import { z } from 'zod/v4'
import { PassBySchema } from './context.js'

import { MAX_ITERATIONS } from './limits.js'

/** Why a run failed: the error's class name, its stable code and its message. */
export const RunFailureSchema = z.object({
  name: z.string(),
  code: z.string(),
  message: z.string(),
  /** What went wrong underneath, when the failure wraps it (e.g. `comfy_validation`, `comfy_lost`): its class and stable code. */
  cause: z.object({ name: z.string(), code: z.string() }).optional(),
})
export type RunFailure = z.infer<typeof RunFailureSchema>

export { CANCELLED_CODES, isCancellation } from './cancelled.js'

const base = { runId: z.string() }
const at = { ...base, workflow: z.string(), iteration: z.number(), step: z.number() }

export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run-started'),
    ...base,
    contextId: z.string(),
    workflows: z.array(z.string()),
    iterations: z.number(),
    totalSteps: z.number(),
  }),
  z.object({
    type: z.literal('workflow-started'),
    ...at,
    index: z.number(),
    totalSteps: z.number(),
    nodes: z.number(),
    /** The pool's server it went to. */
    server: z.string().optional(),
  }),
  /** A node started; `title` is what a person recognises it by (its title, else its class). */
  z.object({
    type: z.literal('node'),
    ...at,
    node: z.string(),
    title: z.string(),
    done: z.number(),
    total: z.number(),
  }),
  z.object({
    type: z.literal('progress'),
    ...at,
    node: z.string(),
    title: z.string(),
    value: z.number(),
    max: z.number(),
  }),
  z.object({
    type: z.literal('workflow-finished'),
    ...at,
    index: z.number(),
    totalSteps: z.number(),
    executed: z.number(),
    cached: z.number(),
    wrote: z.array(z.string()),
    /**
     * What ComfyUI's own output nodes wrote (SaveImage's files...), as its history gives them
     * (node id → its `ui`), on which server and for which prompt: the v2 jobs' outputs come from here.
     */
    comfy: z
      .object({
        server: z.string(),
        promptId: z.string(),
        outputs: z.record(z.string(), z.record(z.string(), z.unknown())),
      })
      .optional(),
  }),
  /** ComfyUI lost the workflow's prompt (it restarted before saying it was done): submitted again, nothing committed twice. */
  z.object({
    type: z.literal('workflow-resubmitted'),
    ...at,
    index: z.number(),
    attempt: z.number(),
    reason: z.string(),
  }),
  z.object({ type: z.literal('run-finished'), ...base, outputs: z.array(z.string()) }),
  z.object({ type: z.literal('run-failed'), ...base, error: RunFailureSchema }),
])
export type RunEvent = z.infer<typeof RunEventSchema>

export const RunStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled'])
export type RunStatus = z.infer<typeof RunStatusSchema>
/** A run that is queued or running: it has not ended yet. */
export const runIsOpen = (status: RunStatus): boolean => status === 'queued' || status === 'running'

export const RunProgressSchema = z.object({
  step: z.number(),
  totalSteps: z.number(),
  workflow: z.string().optional(),
  iteration: z.number().optional(),
})
export type RunProgress = z.infer<typeof RunProgressSchema>

/** A run as `/api/runs` and the WebSocket hub show it. */
export const RunViewSchema = z.object({
  id: z.string(),
  status: RunStatusSchema,
  source: z.enum(['script', 'page']),
  contextId: z.string(),
  workflows: z.array(z.string()),
  iterations: z.number(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  error: RunFailureSchema.optional(),
  /** The OUTPUT keys the run wrote. */
  outputs: z.array(z.string()).optional(),
  progress: RunProgressSchema,
  events: z.array(RunEventSchema).optional(),
  /** The bridge still has what it takes to run it again (`POST /api/runs/:id/rerun`). */
  rerunnable: z.boolean().optional(),
  /** How many times a prompt of it was submitted again after ComfyUI lost it (a restart). */
  resubmitted: z.number().optional(),
})
export type RunView = z.infer<typeof RunViewSchema>

/** A workflow sent over HTTP: its name and its content (UI or API format); never a path. */
export const NamedWorkflowSchema = z.object(
  { name: z.string().min(1).max(500), workflow: z.record(z.string(), z.unknown()) },
  {
    error:
      'a workflow is {"name": ..., "workflow": {...}} with its content, never a path (the bridge does not read files named by HTTP clients)',
  },
)
export type NamedWorkflow = z.infer<typeof NamedWorkflowSchema>

/**
 * What a run is asked to do: the one declaration of a run. Every edge
 * (HTTP, CLI, TypeScript client, page rerun, the Redis queue between
 * bridges) builds one and hands it on whole to the runner; adding an option
 * is one line here plus its use.
 */
export const RunSpecSchema = z.strictObject({
  workflows: z.array(NamedWorkflowSchema).min(1, 'give at least one workflow').max(100),
  /** The context to run in; a new one (removed afterwards) when absent. */
  context: z.string().optional(),
  /** Values for INPUT ports, saved before the first workflow runs (bytes as {"$bytes": base64}, or raw in the envelope). */
  inputs: z.record(z.string(), z.unknown()).optional(),
  /** Run the whole list this many times, each iteration reading what the last one wrote. */
  iterations: z
    .number()
    .int()
    .min(1)
    .max(MAX_ITERATIONS, `at most ${MAX_ITERATIONS}; for more, submit several runs`)
    .optional(),
  /** Join the workflows into one prompt (INPUTs linked to earlier OUTPUTs of the same key). */
  stitch: z.boolean().optional(),
  /** Pass-by for OUTPUT keys, over the rules (e.g. {"base": "ref"} keeps a costly image as a recipe). */
  passBy: z.record(z.string(), PassBySchema).optional(),
  /** OUTPUT keys the caller will read: a run whose workflows lack one fails before anything runs. */
  expectOutputs: z.array(z.string()).max(1000).optional(),
  /** Queue for this ComfyUI client id, so its page shows the progress. */
  clientId: z.string().max(200).optional(),
  /**
   * How many times a workflow whose prompt ComfyUI lost (it restarted before
   * saying it was done) is submitted again (default 2; 0: the run fails).
   * Nothing is committed until ComfyUI says a prompt is done, so nothing is committed twice.
   */
  resubmitLost: z.number().int().min(0).max(10).optional(),
})
export type RunSpec = z.infer<typeof RunSpecSchema>
/** A run's options: its spec without the workflows. */
export type RunSettings = Omit<RunSpec, 'workflows'>

/** `POST /api/runs/:id/rerun`: the same workflows in the same context, with its values as they are now. */
/** `GET /api/runs?limit=&before=`: a page of the history, oldest first; page back with its first run's createdAt. */
export const RunListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  before: z.iso.datetime({ error: "before is a run's createdAt, e.g. 2026-11-29T06:52:51.000Z" }).optional(),
})
export type RunListQuery = z.infer<typeof RunListQuerySchema>

export const RerunBodySchema = z.strictObject({
  /** A page's ComfyUI client id, so that page shows the progress. */
  clientId: RunSpecSchema.shape.clientId,
})
export type RerunBody = z.infer<typeof RerunBodySchema>

/** `POST /api/queue`: what the extension sends when the page queues a graph with ports. */
export const QueueBodySchema = z.object({
  prompt: z.record(z.string(), z.unknown()),
  contextId: z.string().optional(),
  clientId: z.string().optional(),
  /** ComfyUI's `extra_data` of the page's queue request (the workflow for its history), passed on as is. */
  extraData: z.record(z.string(), z.unknown()).optional(),
  front: z.boolean().optional(),
  /** The name of the page's workflow (its tab), which the run is listed under. */
  name: z.string().trim().min(1).max(500).optional(),
})
export type QueueBody = z.infer<typeof QueueBodySchema>

/**
 * What `/api/queue` answers: ComfyUI's own `/prompt` answer, field for field
 * (so the page shows errors its usual way; the one place the wire speaks
 * ComfyUI's snake_case), and the run under `discomfort`.
 */
export const QueueAnswerSchema = z.object({
  prompt_id: z.string().optional(),
  number: z.number().optional(),
  node_errors: z.record(z.string(), z.unknown()).optional(),
  error: z
    .object({
      type: z.string(),
      message: z.string(),
      details: z.string(),
      extra_info: z.record(z.string(), z.unknown()),
    })
    .optional(),
  discomfort: z.object({ runId: z.string(), contextId: z.string() }).optional(),
})
export type QueueAnswer = z.infer<typeof QueueAnswerSchema>

/**
 * `GET /api/runs/:id/workflows`: what a run ran, to open again — the page's
 * graph for a page run (the UI workflow it queued, or its API prompt when the
 * page sent none), each workflow as given for a script's run.
 */
export const RunWorkflowsSchema = z.object({
  runId: z.string(),
  workflows: z.array(
    z.object({
      name: z.string(),
      format: z.enum(['ui', 'api']),
      workflow: z.record(z.string(), z.unknown()),
    }),
  ),
})
export type RunWorkflows = z.infer<typeof RunWorkflowsSchema>

/** `POST /api/convert`. */
export const ConvertBodySchema = z.object({ workflow: z.record(z.string(), z.unknown()), name: z.string().optional() })
export type ConvertBody = z.infer<typeof ConvertBodySchema>
