/**
 * The root of every Discomfort error, and the core's own errors. Every error
 * names what the user has to look at (the workflow, node, link or port) and
 * says what to do about it.
 *
 * Each class declares a stable `code` (the HTTP API's `error.type`) and the
 * HTTP `status` the bridge answers with, as static fields that every instance
 * carries too: renaming a class changes neither. Guards compare `code`, so
 * they also work on errors that crossed a realm (a worker, a JSON round trip).
 */

export interface DiscomfortErrorOptions {
  cause?: unknown
  /** Overrides the class's code (for errors that carry one from elsewhere, e.g. an HTTP answer). */
  code?: string
  /** Overrides the class's HTTP status. */
  status?: number
}

export class DiscomfortError extends Error {
  static code = 'bad_request'
  static status = 400
  override name = 'DiscomfortError'
  /** Stable, machine-readable: the HTTP API's `error.type`. */
  readonly code: string
  /** The HTTP status the bridge answers with. */
  readonly status: number
  constructor(message: string, options: DiscomfortErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    const kind = new.target as typeof DiscomfortError
    this.code = options.code ?? kind.code
    this.status = options.status ?? kind.status
  }
}

/** Whether `e` is a Discomfort error with this code (works across realms). */
export const hasCode = (e: unknown, code: string): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code

/** The first of an error and the errors it wraps (its `cause` chain) that `test` accepts. */
export function findCause(e: unknown, test: (cause: { code?: unknown }) => boolean): unknown {
  for (let cur: unknown = e, depth = 0; typeof cur === 'object' && cur !== null && depth < 10; depth++) {
    if (test(cur as { code?: unknown })) return cur
    cur = (cur as { cause?: unknown }).cause
  }
  return undefined
}

/** A node type used by the workflow is not known to the ComfyUI server. */
export interface MissingNodeType {
  readonly nodeId: string
  readonly type: string
}

export class UnknownNodeTypesError extends DiscomfortError {
  static override code = 'unknown_node_types'
  override name = 'UnknownNodeTypesError'
  readonly missing: readonly MissingNodeType[]
  constructor(workflow: string, missing: readonly MissingNodeType[]) {
    const lines = missing.map((m) => `  - "${m.type}" (node ${m.nodeId})`).join('\n')
    super(
      `${workflow} uses node types this ComfyUI server does not know:\n${lines}\n` +
        'Install the custom nodes that provide them (or remove those nodes), then refresh object_info.',
    )
    this.missing = missing
  }
  /** The distinct missing types, in the order they were first met. */
  get types(): string[] {
    return [...new Set(this.missing.map((m) => m.type))]
  }
}

/** The workflow file is not a well-formed ComfyUI workflow (bad shape, dangling link, cycle...). */
export class WorkflowFormatError extends DiscomfortError {
  static override code = 'bad_workflow'
  override name = 'WorkflowFormatError'
}

/** Port discovery, stitching or compilation found a problem with DiscomfortPort nodes. */
export class PortError extends DiscomfortError {
  static override code = 'port_error'
  override name = 'PortError'
  /** The port node at fault, when there is one (the ComfyUI page marks it). */
  readonly nodeId: string | undefined
  /** Every port at fault, each with what is wrong with it, when there are several (the page marks each). */
  readonly ports: ReadonlyArray<{ nodeId: string; problem: string; remedy?: string }>
  constructor(
    message: string,
    options: ErrorOptions & {
      nodeId?: string
      ports?: ReadonlyArray<{ nodeId: string; problem: string; remedy?: string }>
    } = {},
  ) {
    super(message, options)
    this.nodeId = options.nodeId
    this.ports = options.ports ?? []
  }
}

export const isDiscomfortError = (e: unknown): e is DiscomfortError =>
  e instanceof DiscomfortError ||
  (e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { status?: unknown }).status === 'number')
export const isUnknownNodeTypesError = (e: unknown): e is UnknownNodeTypesError =>
  hasCode(e, UnknownNodeTypesError.code)
export const isWorkflowFormatError = (e: unknown): e is WorkflowFormatError => hasCode(e, WorkflowFormatError.code)
export const isPortError = (e: unknown): e is PortError => hasCode(e, PortError.code)
