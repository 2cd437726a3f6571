/**
 * Errors raised by the core. Every error names what the user has to look at
 * (the workflow, node, link or port) and says what to do about it.
 *
 * Guards compare `name` rather than using `instanceof`, so they also work on
 * errors that crossed a realm (a worker, an iframe, a JSON round trip).
 */

export class DiscomfortError extends Error {
  override name = 'DiscomfortError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** A node type used by the workflow is not known to the ComfyUI server. */
export interface MissingNodeType {
  readonly nodeId: string
  readonly type: string
}

export class UnknownNodeTypesError extends DiscomfortError {
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
  override name = 'WorkflowFormatError'
}

/** Port discovery, stitching or compilation found a problem with DiscomfortPort nodes. */
export class PortError extends DiscomfortError {
  override name = 'PortError'
}

const hasName = (e: unknown, name: string): boolean =>
  typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name

export const isDiscomfortError = (e: unknown): e is DiscomfortError =>
  e instanceof DiscomfortError ||
  ['DiscomfortError', 'UnknownNodeTypesError', 'WorkflowFormatError', 'PortError'].some((n) => hasName(e, n))
export const isUnknownNodeTypesError = (e: unknown): e is UnknownNodeTypesError =>
  hasName(e, 'UnknownNodeTypesError')
export const isWorkflowFormatError = (e: unknown): e is WorkflowFormatError => hasName(e, 'WorkflowFormatError')
export const isPortError = (e: unknown): e is PortError => hasName(e, 'PortError')
