/**
 * Errors from talking to ComfyUI. Each names the server and, where there is
 * one, the prompt, node (id, class and title) and input, and says what to do.
 * Guards compare the stable `code`, so they work across realms and after serialisation.
 */
import { DiscomfortError, hasCode } from '../../shared/errors.js'
import { CANCELLED_CODES } from '../../shared/protocol/runs.js'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'

export class ComfyError extends DiscomfortError {
  static override code = 'comfy_error'
  static override status = 502
  override name = 'ComfyError'
}

/** ComfyUI could not be reached at all (refused, DNS, reset). */
export class ComfyUnreachableError extends ComfyError {
  static override code = 'comfy_unreachable'
  static override status = 502
  override name = 'ComfyUnreachableError'
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(
      `ComfyUI is not reachable at ${url} (${(cause as Error)?.message ?? String(cause)}). Is it running? Check the URL, or start it.`,
      { cause },
    )
  }
}

/** An HTTP answer that is not what the route promises. */
export class ComfyHttpError extends ComfyError {
  static override code = 'comfy_http'
  static override status = 502
  override name = 'ComfyHttpError'
  constructor(
    readonly method: string,
    readonly url: string,
    /** What ComfyUI answered (the bridge itself answers 502). */
    readonly httpStatus: number,
    readonly body: string,
  ) {
    super(`ComfyUI answered ${httpStatus} to ${method} ${url}${body ? `: ${body.slice(0, 300)}` : ''}`)
  }
}

/** A request or a job took longer than its configured limit. */
export class ComfyTimeoutError extends ComfyError {
  static override code = 'comfy_timeout'
  static override status = 504
  override name = 'ComfyTimeoutError'
}

export interface ComfyNodeError {
  type: string
  message: string
  details: string
  extra_info?: Record<string, unknown>
}

export interface NodeErrorEntry {
  errors: ComfyNodeError[]
  dependent_outputs: string[]
  class_type: string
}

/** One problem, made readable: which node (id, class, title), which input, what. */
export interface NodeProblem {
  nodeId: string
  classType: string
  title?: string
  input?: string
  type: string
  message: string
  details: string
}

export function describeNodeErrors(nodeErrors: Record<string, NodeErrorEntry>, prompt?: ApiPrompt): NodeProblem[] {
  const problems: NodeProblem[] = []
  for (const [nodeId, entry] of Object.entries(nodeErrors)) {
    for (const e of entry.errors) {
      const p: NodeProblem = {
        nodeId,
        classType: entry.class_type,
        type: e.type,
        message: e.message,
        details: e.details,
      }
      const title = prompt?.[nodeId]?._meta?.title
      if (title) p.title = title
      const input = e.extra_info?.input_name
      if (typeof input === 'string') p.input = input
      problems.push(p)
    }
  }
  return problems
}

const line = (p: NodeProblem): string =>
  `  - node ${p.nodeId} (${p.classType}${p.title && p.title !== p.classType ? ` "${p.title}"` : ''})` +
  `${p.input ? `, input "${p.input}"` : ''}: ${p.message}${p.details && p.details !== p.input ? ` — ${p.details}` : ''}`

/** ComfyUI refused the prompt (HTTP 400): the graph or some nodes are invalid. */
export class ComfyValidationError extends ComfyError {
  static override code = 'comfy_validation'
  static override status = 400
  override name = 'ComfyValidationError'
  readonly problems: NodeProblem[]
  constructor(
    readonly workflow: string,
    readonly error: ComfyNodeError,
    readonly nodeErrors: Record<string, NodeErrorEntry>,
    prompt?: ApiPrompt,
  ) {
    const problems = describeNodeErrors(nodeErrors, prompt)
    super(
      `ComfyUI rejected ${workflow}: ${error.message}${error.details ? ` (${error.details})` : ''}` +
        (problems.length ? `\n${problems.map(line).join('\n')}` : ''),
    )
    this.problems = problems
  }
}

/** ComfyUI accepted the prompt but dropped output nodes that were needed, because they failed validation. */
export class ComfyMissingOutputsError extends ComfyError {
  static override code = 'comfy_missing_outputs'
  static override status = 400
  override name = 'ComfyMissingOutputsError'
  readonly problems: NodeProblem[]
  constructor(
    readonly workflow: string,
    readonly missingOutputs: string[],
    readonly nodeErrors: Record<string, NodeErrorEntry>,
    prompt?: ApiPrompt,
  ) {
    const problems = describeNodeErrors(nodeErrors, prompt)
    super(
      `ComfyUI would run ${workflow} without output node(s) ${missingOutputs.join(', ')}, which failed validation; ` +
        `nothing was kept.\n${problems.map(line).join('\n')}`,
    )
    this.problems = problems
  }
}

/** A node raised while the prompt ran (`execution_error`). */
export class ComfyExecutionError extends ComfyError {
  static override code = 'comfy_execution'
  static override status = 422
  override name = 'ComfyExecutionError'
  constructor(
    readonly workflow: string,
    readonly promptId: string,
    readonly nodeId: string,
    readonly nodeType: string,
    readonly exceptionType: string,
    readonly exceptionMessage: string,
    readonly traceback: string[],
    title?: string,
  ) {
    super(
      `${workflow} failed in node ${nodeId} (${nodeType}${title && title !== nodeType ? ` "${title}"` : ''}): ` +
        `${exceptionType}: ${exceptionMessage.trim()}`,
    )
  }
}

/**
 * The prompt was interrupted or removed from the queue before it finished:
 * by the bridge when asked to cancel, or by someone else on ComfyUI (the
 * page's Cancel or Clear queue, another client), which `reason` then says.
 */
export class ComfyCancelledError extends ComfyError {
  static override code = CANCELLED_CODES.comfy
  static override status = 409
  override name = 'ComfyCancelledError'
  constructor(
    readonly workflow: string,
    readonly promptId: string,
    readonly nodeId?: string,
    readonly reason?: string,
  ) {
    super(`${workflow} was ${reason ?? 'cancelled'}${nodeId ? ` at node ${nodeId}` : ''} (prompt ${promptId}).`)
  }
}

/** ComfyUI kept a prompt without any news of it for longer than the bridge's stall bound: interrupted and failed. */
export class ComfyStalledError extends ComfyError {
  static override code = 'comfy_stalled'
  static override status = 504
  override name = 'ComfyStalledError'
  constructor(
    readonly workflow: string,
    readonly promptId: string,
    readonly url: string,
    readonly stallMs: number,
    readonly where: 'running' | 'waiting',
  ) {
    super(
      `ComfyUI at ${url} made no progress on ${workflow} (prompt ${promptId}) for ${Math.round(stallMs / 1000)} s while it was ${where === 'running' ? 'running it' : 'waiting in its queue'}; the bridge asked ComfyUI to drop it and ended the run. ` +
        'A node that runs longer without reporting progress needs a larger bound (discomfort bridge --stall-timeout SECONDS).',
    )
  }
}

/** ComfyUI stopped answering while a prompt was queued or running. */
export class ComfyStoppedError extends ComfyError {
  static override code = 'comfy_stopped'
  static override status = 502
  override name = 'ComfyStoppedError'
  constructor(
    readonly workflow: string,
    readonly promptId: string,
    readonly url: string,
    readonly silentMs: number,
    /** What it answered instead, when it answered something unusable. */
    readonly detail?: string,
  ) {
    super(
      detail
        ? `ComfyUI at ${url} gave no usable answer about ${workflow} (prompt ${promptId}) for ${Math.round(silentMs / 1000)} s (${detail.slice(0, 200)}). The run was ended; check that server.`
        : `ComfyUI at ${url} stopped answering while running ${workflow} (prompt ${promptId}; no answer for ${Math.round(silentMs / 1000)} s). Is it still running? Start it again and re-run.`,
    )
  }
}

/** The prompt vanished from ComfyUI's queue and history after the connection dropped: the server restarted or dropped it. */
export class ComfyLostError extends ComfyError {
  static override code = 'comfy_lost'
  static override status = 502
  override name = 'ComfyLostError'
  constructor(
    readonly workflow: string,
    readonly promptId: string,
    readonly url: string,
  ) {
    super(
      `ComfyUI at ${url} lost ${workflow} (prompt ${promptId}): the connection dropped and the prompt is in neither its queue nor its history, so the server most likely restarted. Re-run it.`,
    )
  }
}

export const isComfyError = (e: unknown): e is ComfyError =>
  e instanceof ComfyError ||
  (typeof e === 'object' && e !== null && String((e as { code?: unknown }).code).startsWith('comfy_'))
export const isComfyUnreachableError = (e: unknown): e is ComfyUnreachableError =>
  hasCode(e, ComfyUnreachableError.code)
export const isComfyHttpError = (e: unknown): e is ComfyHttpError => hasCode(e, ComfyHttpError.code)
export const isComfyTimeoutError = (e: unknown): e is ComfyTimeoutError => hasCode(e, ComfyTimeoutError.code)
export const isComfyValidationError = (e: unknown): e is ComfyValidationError => hasCode(e, ComfyValidationError.code)
export const isComfyMissingOutputsError = (e: unknown): e is ComfyMissingOutputsError =>
  hasCode(e, ComfyMissingOutputsError.code)
export const isComfyExecutionError = (e: unknown): e is ComfyExecutionError => hasCode(e, ComfyExecutionError.code)
export const isComfyCancelledError = (e: unknown): e is ComfyCancelledError => hasCode(e, ComfyCancelledError.code)
export const isComfyStoppedError = (e: unknown): e is ComfyStoppedError => hasCode(e, ComfyStoppedError.code)
export const isComfyLostError = (e: unknown): e is ComfyLostError => hasCode(e, ComfyLostError.code)
