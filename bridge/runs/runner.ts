/**
 * Runs lists of workflows against a context: for each iteration, each
 * workflow in order takes a worker receipt, compiles its ports, runs on
 * ComfyUI, reads back what its OUTPUT ports captured and commits it. An
 * OUTPUT and an INPUT with the same unique_id therefore form a loop across
 * iterations. A failed or cancelled workflow run commits nothing.
 */
import { randomUUID } from 'node:crypto'
import { toApiPrompt } from '../../shared/convert/toApiPrompt.js'
import { DiscomfortError, findCause } from '../../shared/errors.js'
import { discoverPorts } from '../../shared/ports/discover.js'
import { isApiPrompt, type ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import type { NodeReplacements } from '../../shared/workflow/nodeReplacements.js'
import type { ReplacedNode } from '../../shared/convert/replaceNodes.js'
import { isUiWorkflow, type UiWorkflow } from '../../shared/workflow/uiWorkflow.js'
import { ComfyHttp } from '../comfy/comfyHttp.js'
import type { ComfyClient, ComfyJob, JobEvent } from '../comfy/comfyClient.js'
import type { NodeUi } from '../comfy/messages.js'
import type { PassByRules } from '../store/config.js'
import type { EntryMeta } from '../../shared/protocol/index.js'
import type { SaveOptions, WorkerReceipt } from '../store/workerReceipt.js'
import { isServerFailure, type ComfyPool } from '../pool/serverPool.js'
import { fromJs, imageFromPngs, latentFromBytes, maskFromPng } from '../values/valueFrom.js'
import type { ContextValue } from '../values/values.js'
import { stitch } from '../../shared/ports/graphOps.js'
import { compileWorkflow, type Capture } from './compile.js'
import { toContextValue, type InputValue } from '../values/inputs.js'
import { readWorkflowFile } from './workflowFile.js'
import { MAX_ITERATIONS } from '../defaults.js'
import { assertNoCycle } from '../../shared/workflow/cycles.js'
import { CANCELLED_CODES, type RunEvent, type RunFailure, type RunSettings } from '../../shared/protocol/index.js'
import { ComfyCancelledError, ComfyLostError } from '../comfy/errors.js'

/** A workflow: a file path, a UI or API object, or one of those with a name. */
export type WorkflowSpec = string | UiWorkflow | ApiPrompt | { name: string; workflow: UiWorkflow | ApiPrompt }

export interface LoadedWorkflow {
  name: string
  prompt: ApiPrompt
  /** The UI workflow it was given as, if it was one: sent with its prompt so ComfyUI's queue shows it and can open it. */
  graph?: UiWorkflow
  /** Nodes of the UI workflow swapped for the class the server replaced theirs with (`toApiPrompt`'s report). */
  replaced?: ReplacedNode[]
}

export type { RunEvent, RunFailure }

export const runFailure = (e: unknown): RunFailure => {
  // The innermost error of ours it wraps says what went wrong underneath (a validation, a lost prompt...).
  let cause: DiscomfortError | undefined
  for (let c = (e as { cause?: unknown } | undefined)?.cause, depth = 0; c && depth < 10; depth++) {
    if (c instanceof DiscomfortError) cause = c
    c = (c as { cause?: unknown }).cause
  }
  return {
    name: e instanceof Error ? e.name : 'Error',
    code: e instanceof DiscomfortError ? e.code : 'internal',
    message: e instanceof Error ? e.message : String(e),
    ...(cause && cause.code !== (e as DiscomfortError).code ? { cause: { name: cause.name, code: cause.code } } : {}),
  }
}

/** What a run works in: a context, or a sweep item's layer over one. */
export interface RunTarget {
  readonly id: string
  beginRun(runId: string): Promise<WorkerReceipt>
  meta(key: string): EntryMeta | undefined
  load(key: string): Promise<ContextValue>
  save(key: string, value: ContextValue, options?: SaveOptions): Promise<unknown>
}

/** A run's settings (its RunSpec but the workflows), with what this process adds: where it runs, who hears it. */
export interface RunOptions extends Omit<RunSettings, 'context' | 'inputs'> {
  context: RunTarget
  /** Decoded: bytes and context values as they are, files read (for callers in this process). */
  inputs?: Record<string, InputValue>
  signal?: AbortSignal
  onEvent?: (event: RunEvent) => void
  runId?: string
  /** What the run loads (model files…): servers that hold it are preferred. */
  affinity?: readonly string[]
  /** Servers not to use. */
  exclude?: readonly string[]
  /** Only this server (label or URL). */
  only?: string
  /** Told which server each workflow went to, and why. */
  onLease?: (lease: { server: string; reason: string }) => void
}

export interface RunResult {
  runId: string
  contextId: string
  /** Each OUTPUT unique_id's value after the last iteration. */
  outputs: Record<string, ContextValue>
}

/** How many times a workflow ComfyUI lost is submitted again, unless the run says otherwise. */
const RESUBMIT_LOST = 2

interface StepOptions extends RunOptions {
  runId: string
  iteration: number
  index: number
  step: number
  totalSteps: number
  iterations: number
  emit: (e: RunEvent) => void
  extraData?: Record<string, unknown>
  front?: boolean
}

/** A workflow handed to ComfyUI: its prompt id, and the commit still to come. */
export interface StartedWorkflow {
  runId: string
  /** Absent when the workflow had nothing for ComfyUI to run (only references). */
  promptId?: string
  number?: number
  done: Promise<string[]>
  cancel?: () => Promise<void>
}

export class RunError extends DiscomfortError {
  static override code = 'run_failed'
  static override status = 422
  override name = 'RunError'
  constructor(
    message: string,
    readonly workflow: string,
    readonly iteration: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** A run stopped by the bridge itself says so (its signal's reason); one a user cancelled needs no more words. */
const whyAborted = (signal: AbortSignal | undefined): string =>
  typeof signal?.reason === 'string' ? `: ${signal.reason}` : ''

export class RunCancelledError extends DiscomfortError {
  static override code = CANCELLED_CODES.run
  static override status = 409
  override name = 'RunCancelledError'
}

/**
 * A workflow as an API prompt: UI workflows are converted as the given
 * frontend version's graphToPrompt would (default: the newest known), a node
 * whose class the server replaced swapped for its replacement when the
 * server's table (`nodeReplacements`) lists one.
 */
export async function loadWorkflow(
  spec: WorkflowSpec,
  objectInfo: ObjectInfo,
  index: number,
  frontendVersion?: string,
  nodeReplacements?: NodeReplacements,
): Promise<LoadedWorkflow> {
  let name: string
  let data: unknown
  if (typeof spec === 'string') {
    ;({ name, workflow: data } = await readWorkflowFile(spec))
  } else if (
    typeof spec === 'object' &&
    spec !== null &&
    'workflow' in spec &&
    'name' in spec &&
    typeof spec.name === 'string'
  ) {
    name = spec.name
    data = spec.workflow
  } else {
    name = `workflow ${index + 1}`
    data = spec
  }
  if (isUiWorkflow(data)) {
    const replaced: ReplacedNode[] = []
    const prompt = toApiPrompt(data, objectInfo, {
      name,
      ...(frontendVersion ? { frontendVersion } : {}),
      ...(nodeReplacements ? { nodeReplacements, onReplacedNode: (r: ReplacedNode) => replaced.push(r) } : {}),
    })
    return { name, prompt, graph: data, ...(replaced.length > 0 ? { replaced } : {}) }
  }
  if (isApiPrompt(data)) {
    assertNoCycle(data, name)
    return { name, prompt: data }
  }
  throw new DiscomfortError(`${name} is neither a ComfyUI workflow (UI format, with "nodes") nor an API prompt.`)
}

/** Save run inputs with the types their INPUT ports infer; every input is checked before any is saved. */
export async function saveRunInputs(
  workflows: LoadedWorkflow[],
  inputs: Record<string, InputValue>,
  context: RunTarget,
  info: ObjectInfo,
): Promise<void> {
  const types = new Map<string, string>()
  for (const w of workflows) {
    for (const p of discoverPorts(w.prompt, info, w.name))
      if (p.mode === 'INPUT' && p.type !== '*' && !types.has(p.uniqueId)) types.set(p.uniqueId, p.type)
  }
  const prepared: Array<[string, ContextValue, string | undefined]> = []
  for (const [key, raw] of Object.entries(inputs)) {
    const type = types.get(key)
    prepared.push([key, await toContextValue(raw, type, `input "${key}"`), type])
  }
  for (const [key, value, type] of prepared) {
    const comfyType = value.kind === 'ref' ? value.recipe.type : type
    await context.save(key, value, comfyType ? { comfyType, passBy: value.kind === 'ref' ? 'ref' : 'val' } : {})
  }
}

/** Parse a PreviewAny text back into the port's type. */
export function parseCapturedText(text: string, type: string, where: string): ContextValue {
  switch (type) {
    case 'STRING':
    case 'COMBO':
      return fromJs(text)
    case 'INT':
      if (!/^-?\d+$/.test(text.trim()))
        throw new DiscomfortError(`${where}: expected an INT, ComfyUI printed "${text.slice(0, 80)}".`)
      return fromJs(Number.parseInt(text, 10))
    case 'FLOAT': {
      const n = Number(text.trim())
      if (!Number.isFinite(n))
        throw new DiscomfortError(`${where}: expected a finite FLOAT, ComfyUI printed "${text.slice(0, 80)}".`)
      return { kind: 'number', value: n, integer: false }
    }
    case 'BOOLEAN':
      if (text === 'True' || text === 'False') return fromJs(text === 'True')
      throw new DiscomfortError(`${where}: expected a BOOLEAN, ComfyUI printed "${text.slice(0, 80)}".`)
    default:
      try {
        return fromJs(JSON.parse(text) as unknown)
      } catch {
        return fromJs(text)
      }
  }
}

export class Runner {
  constructor(
    private readonly pool: ComfyPool,
    private readonly rules: PassByRules,
    /** Convert UI workflows as this frontend version does, instead of the one the server serves. */
    private readonly frontendVersion?: string,
  ) {}

  /** The frontend version UI workflows are converted for: the configured one, else the server's. */
  private async targetFrontend(): Promise<string | undefined> {
    return this.frontendVersion ?? this.pool.ask((c) => c.http.frontendVersion())
  }

  /** Node definitions, from the first server that answers. */
  async objectInfo(): Promise<ObjectInfo> {
    return this.pool.ask((c) => c.http.objectInfo())
  }

  /**
   * The node replacements of the server object_info came from, where it has
   * them. Optional: when they cannot be read, workflows are converted without
   * (a replaced class then fails as an unknown type, saying which).
   */
  async nodeReplacements(): Promise<NodeReplacements> {
    return this.pool.ask((c) => c.http.nodeReplacements()).catch(() => ({}))
  }

  async loadWorkflows(specs: WorkflowSpec[]): Promise<LoadedWorkflow[]> {
    if (specs.length === 0) throw new DiscomfortError('Give at least one workflow to run.')
    const [info, frontend, replacements] = await Promise.all([
      this.objectInfo(),
      this.targetFrontend(),
      this.nodeReplacements(),
    ])
    return Promise.all(specs.map((s, i) => loadWorkflow(s, info, i, frontend, replacements)))
  }

  /** Fail, naming what is there, when a key the caller wants is no OUTPUT port of these workflows. */
  async checkOutputs(workflows: LoadedWorkflow[], keys: string[]): Promise<void> {
    const info = await this.objectInfo()
    const outputs = new Set(
      workflows.flatMap((w) =>
        discoverPorts(w.prompt, info, w.name)
          .filter((p) => p.mode === 'OUTPUT')
          .map((p) => p.uniqueId),
      ),
    )
    const missing = keys.filter((k) => !outputs.has(k))
    if (missing.length) {
      throw new DiscomfortError(
        `${missing.map((k) => `"${k}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not an OUTPUT port of ${workflows.map((w) => w.name).join(', ')} ` +
          `(OUTPUT ports: ${[...outputs].map((k) => `"${k}"`).join(', ') || 'none'}). Nothing was run.`,
      )
    }
  }

  /** Save inputs with the types their INPUT ports infer; every input is checked before any is saved. */
  async saveInputs(workflows: LoadedWorkflow[], inputs: Record<string, InputValue>, context: RunTarget): Promise<void> {
    await saveRunInputs(workflows, inputs, context, await this.objectInfo())
  }

  async run(specs: WorkflowSpec[], options: RunOptions): Promise<RunResult> {
    const runId = options.runId ?? randomUUID()
    const emit = (e: RunEvent) => options.onEvent?.(e)
    const iterations = options.iterations ?? 1
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new DiscomfortError(
        `iterations must be a whole number from 1 to ${MAX_ITERATIONS} (got ${iterations}); for more, submit several runs.`,
      )
    }
    try {
      let workflows = await this.loadWorkflows(specs)
      if (options.stitch && workflows.length > 1) {
        const joined = stitch(workflows, await this.objectInfo())
        workflows = [{ name: workflows.map((w) => w.name).join(' + '), prompt: joined.prompt }]
      }
      if (options.expectOutputs?.length) await this.checkOutputs(workflows, options.expectOutputs)
      if (options.inputs) await this.saveInputs(workflows, options.inputs, options.context)
      const totalSteps = workflows.length * iterations
      emit({
        type: 'run-started',
        runId,
        contextId: options.context.id,
        workflows: workflows.map((w) => w.name),
        iterations,
        totalSteps,
      })
      const outputKeys = new Set<string>()
      let step = 0
      for (let iteration = 1; iteration <= iterations; iteration++) {
        for (let index = 0; index < workflows.length; index++) {
          step += 1
          // Let the event loop breathe between workflow runs: a run whose workflows
          // need nothing from ComfyUI would otherwise never yield.
          await new Promise<void>((resolve) => setImmediate(resolve))
          if (options.signal?.aborted)
            throw new RunCancelledError(
              `Run ${runId} was cancelled before ${workflows[index]!.name} (iteration ${iteration})${whyAborted(options.signal)}.`,
            )
          const wrote = await this.runOne(workflows[index]!, {
            ...options,
            runId,
            iteration,
            index,
            step,
            totalSteps,
            iterations,
            emit,
          })
          for (const k of wrote) outputKeys.add(k)
        }
      }
      const outputs: Record<string, ContextValue> = {}
      for (const key of outputKeys) outputs[key] = await options.context.load(key)
      emit({ type: 'run-finished', runId, outputs: [...outputKeys] })
      return { runId, contextId: options.context.id, outputs }
    } catch (e) {
      const error = e as Error
      emit({ type: 'run-failed', runId, error: runFailure(error) })
      throw e
    }
  }

  /**
   * One workflow on one server. When that server fails before the prompt was
   * queued there (it stopped answering while the workflow was compiled,
   * uploaded or submitted), nothing ran and nothing was committed: it goes to
   * another server that is up, once per server. Once queued, a failure is the run's.
   */
  private async runOne(workflow: LoadedWorkflow, o: StepOptions): Promise<string[]> {
    const tried: string[] = []
    let resubmits = 0
    for (;;) {
      let server: string | undefined
      let started: StartedWorkflow
      try {
        started = await this.startOne(workflow, {
          ...o,
          exclude: [...(o.exclude ?? []), ...tried],
          onLease: (lease) => {
            server = lease.server
            o.onLease?.(lease)
          },
        })
      } catch (e) {
        const another =
          server !== undefined &&
          o.only === undefined &&
          !o.signal?.aborted &&
          isServerFailure(e) &&
          this.pool.hasOther([...(o.exclude ?? []), ...tried, server])
        if (!another) throw e
        tried.push(server!)
        continue
      }
      try {
        return await started.done
      } catch (e) {
        // Lost by ComfyUI (a restart forgot it): nothing of it was committed, so it is submitted again.
        const lost = findCause(e, (c) => c.code === ComfyLostError.code) as Error | undefined
        if (!lost || o.signal?.aborted || resubmits >= (o.resubmitLost ?? RESUBMIT_LOST)) throw e
        resubmits += 1
        o.emit({
          type: 'workflow-resubmitted',
          runId: o.runId,
          workflow: workflow.name,
          iteration: o.iteration,
          step: o.step,
          index: o.index,
          attempt: resubmits,
          reason: lost.message,
        })
      }
    }
  }

  /**
   * Queue one API prompt with ports from the ComfyUI page: compiled against
   * the context and queued for the page's client id, so the page shows the
   * progress; resolves once ComfyUI accepted it. `done` commits the outputs.
   */
  async queueFromPage(
    prompt: ApiPrompt,
    options: {
      context: RunTarget
      clientId: string
      extraData?: Record<string, unknown>
      runId?: string
      name?: string
      onEvent?: (e: RunEvent) => void
      front?: boolean
    },
  ): Promise<StartedWorkflow> {
    const runId = options.runId ?? randomUUID()
    const name = options.name ?? 'workflow from the ComfyUI page'
    const emit = (e: RunEvent) => options.onEvent?.(e)
    emit({ type: 'run-started', runId, contextId: options.context.id, workflows: [name], iterations: 1, totalSteps: 1 })
    const started = await this.startOne(
      { name, prompt },
      {
        context: options.context,
        runId,
        iteration: 1,
        index: 0,
        step: 1,
        totalSteps: 1,
        iterations: 1,
        emit,
        clientId: options.clientId,
        only: this.pool.primary().url,
        ...(options.extraData ? { extraData: options.extraData } : {}),
        ...(options.front ? { front: true } : {}),
      },
    ).catch((e: unknown) => {
      emit({ type: 'run-failed', runId, error: runFailure(e) })
      throw e
    })
    started.done.then(
      (wrote) => emit({ type: 'run-finished', runId, outputs: wrote }),
      (e: unknown) => emit({ type: 'run-failed', runId, error: runFailure(e) }),
    )
    return started
  }

  /** Compile and queue; `done` settles when the outputs are committed (or nothing is). */
  private async startOne(workflow: LoadedWorkflow, o: StepOptions): Promise<StartedWorkflow> {
    const lease = await this.pool
      .acquire({
        ...(o.affinity ? { affinity: o.affinity } : {}),
        ...(o.exclude ? { exclude: o.exclude } : {}),
        ...(o.only ? { only: o.only } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      })
      .catch((e: unknown) => {
        // Cancelled while it waited for a slot: a cancellation like any other, before anything ran.
        if (o.signal?.aborted)
          throw new RunCancelledError(
            `Run ${o.runId} was cancelled while it waited for a ComfyUI server${whyAborted(o.signal)}; nothing ran.`,
            { cause: e },
          )
        throw e
      })
    o.onLease?.({ server: lease.server, reason: lease.reason })
    const client = lease.client
    let receipt: WorkerReceipt
    let info: ObjectInfo
    try {
      info = await client.http.objectInfo()
      receipt = await o.context.beginRun(`${o.runId}:${o.iteration}:${o.index + 1}`)
    } catch (e) {
      lease.release(isServerFailure(e) ? 'server-down' : 'failed')
      throw e
    }
    const label = o.iterations > 1 ? `${workflow.name} (iteration ${o.iteration} of ${o.iterations})` : workflow.name
    const fail = async (e: unknown): Promise<never> => {
      lease.release(isServerFailure(e) ? 'server-down' : 'failed')
      await receipt.discard()
      if (e instanceof ComfyCancelledError || o.signal?.aborted) {
        // Cancelled by someone on ComfyUI rather than through the bridge: say who and where.
        const why = o.signal?.aborted
          ? whyAborted(o.signal)
          : e instanceof ComfyCancelledError && e.reason
            ? `: ${e.reason}`
            : ''
        throw new RunCancelledError(
          `Run ${o.runId} was cancelled during ${label}${why}; nothing from that workflow was kept.`,
          { cause: e },
        )
      }
      if (e instanceof RunError) throw e
      const message = (e as Error).message.startsWith(workflow.name)
        ? (e as Error).message
        : `${label}: ${(e as Error).message}`
      throw new RunError(
        `${message}\nThe context keeps what it had before this workflow ran.`,
        workflow.name,
        o.iteration,
        { cause: e },
      )
    }
    let compiled: Awaited<ReturnType<typeof compileWorkflow>>
    let job: ComfyJob | undefined
    let executed = 0
    let cached = 0
    try {
      compiled = await compileWorkflow(workflow.prompt, {
        workflow: workflow.name,
        objectInfo: info,
        receipt,
        rules: this.rules,
        upload: async (bytes, ext) => ComfyHttp.loaderPath(await client.http.uploadContent(bytes, ext)),
        storedPassBy: (key) => o.passBy?.[key] ?? o.context.meta(key)?.passBy,
      })
      const total = Object.keys(compiled.prompt).length
      const prompt = compiled.prompt
      /** What a person recognises a node by: its title, else its class. */
      const titleOf = (node: string) => prompt[node]?._meta?.title ?? prompt[node]?.class_type ?? node
      o.emit({
        type: 'workflow-started',
        runId: o.runId,
        workflow: workflow.name,
        index: o.index,
        iteration: o.iteration,
        step: o.step,
        totalSteps: o.totalSteps,
        nodes: total,
        server: lease.server,
      })
      if (compiled.requiredOutputs.length > 0) {
        const onEvent = (e: JobEvent) => {
          if (e.type === 'cached') cached = e.nodes.length
          if (e.type === 'executing') {
            executed += 1
            o.emit({
              type: 'node',
              runId: o.runId,
              workflow: workflow.name,
              iteration: o.iteration,
              step: o.step,
              node: e.node,
              title: titleOf(e.node),
              done: cached + executed,
              total,
            })
          }
          if (e.type === 'progress') {
            o.emit({
              type: 'progress',
              runId: o.runId,
              workflow: workflow.name,
              iteration: o.iteration,
              step: o.step,
              node: e.node,
              title: titleOf(e.node),
              value: e.value,
              max: e.max,
            })
          }
        }
        job = await client.submit(compiled.prompt, {
          workflow: label,
          requiredOutputs: compiled.requiredOutputs,
          onEvent,
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.clientId ? { clientId: o.clientId } : {}),
          // As the page sends it: ComfyUI's queue and assets panels then show the run's workflow and open it.
          ...(o.extraData
            ? { extraData: o.extraData }
            : workflow.graph
              ? { extraData: { extra_pnginfo: { workflow: workflow.graph } } }
              : {}),
          ...(o.front ? { front: true } : {}),
        })
      }
    } catch (e) {
      return fail(e)
    }
    const finish = async (): Promise<string[]> => {
      try {
        let outputs: Record<string, NodeUi> = {}
        if (job) {
          const result = await job.done
          outputs = result.outputs
          cached = result.cachedNodes.length
        }
        lease.release('ok')
        for (const capture of compiled.captures) {
          receipt.stage(capture.uniqueId, await this.readCapture(client, capture, outputs[capture.nodeId], label), {
            comfyType: capture.type,
          })
        }
        for (const ref of compiled.references)
          receipt.stage(
            ref.uniqueId,
            { kind: 'ref', recipe: ref.recipe },
            { comfyType: ref.recipe.type, passBy: 'ref' },
          )
        for (const d of compiled.directValues) receipt.stage(d.uniqueId, fromJs(d.value))
        const wrote = receipt.stagedKeys()
        await receipt.commit()
        o.emit({
          type: 'workflow-finished',
          runId: o.runId,
          workflow: workflow.name,
          index: o.index,
          iteration: o.iteration,
          step: o.step,
          totalSteps: o.totalSteps,
          executed,
          cached,
          wrote,
          ...(job ? { comfy: { server: lease.server, promptId: job.promptId, outputs } } : {}),
        })
        return wrote
      } catch (e) {
        return fail(e)
      }
    }
    const done = finish()
    done.catch(() => {})
    const started: StartedWorkflow = { runId: o.runId, done }
    if (job) {
      started.promptId = job.promptId
      started.number = job.number
      started.cancel = () => job!.cancel()
    }
    return started
  }

  private async readCapture(
    client: ComfyClient,
    capture: Capture,
    ui: NodeUi | undefined,
    label: string,
  ): Promise<ContextValue> {
    const where = `${label}: OUTPUT port "${capture.uniqueId}" (node ${capture.portNodeId})`
    if (!ui) throw new DiscomfortError(`${where}: ComfyUI reported no output for capture node ${capture.nodeId}.`)
    switch (capture.how) {
      case 'image': {
        const files = ui.images ?? []
        return imageFromPngs(await Promise.all(files.map((f) => client.http.view(f))), where)
      }
      case 'mask':
        return maskFromPng(await client.http.view(ui.images![0]!), where)
      case 'latent':
        return latentFromBytes(await client.http.view(ui.latents![0]!), where)
      case 'text':
        return parseCapturedText(ui.text?.[0] ?? '', capture.type, where)
    }
  }
}
