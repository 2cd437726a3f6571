/**
 * Compile DiscomfortPort pseudo-nodes into core ComfyUI nodes, as the
 * compile table of the design says:
 *
 * | port        | type                                   | becomes                                              |
 * |-------------|----------------------------------------|------------------------------------------------------|
 * | INPUT val   | STRING, INT, FLOAT, BOOLEAN, COMBO     | the literal, in every consumer input                 |
 * | INPUT val   | IMAGE                                  | uploaded PNG(s) + LoadImage (batches: + ImageBatch)  |
 * | INPUT val   | MASK                                   | uploaded PNG + LoadImageMask (red channel)           |
 * | INPUT val   | LATENT                                 | uploaded .latent + LoadLatent (lossless)             |
 * | INPUT ref   | any                                    | the recipe, stitched in under `ref:<key>:` ids       |
 * | OUTPUT val  | IMAGE / MASK                           | PreviewImage (MASK through MaskToImage)              |
 * | OUTPUT val  | LATENT                                 | SaveLatent                                           |
 * | OUTPUT val  | STRING, INT, FLOAT, BOOLEAN, LIST, DICT| PreviewAny, its text parsed back                     |
 * | OUTPUT ref  | any                                    | the prompt pruned to the port's ancestors (a recipe) |
 * | PASSTHRU    | any                                    | removed, links joined                                |
 */
import { DISCOMFORT_PORT } from '../../shared/convert/frontendNodes.js'
import { PortError } from '../../shared/errors.js'
import { consumersOf, discoverPorts, type Port } from '../../shared/ports/discover.js'
import { pruneToPort, removePassthru } from '../../shared/ports/graphOps.js'
import { findLoops, loopHolding, type Loop } from '../../shared/ports/loops.js'
import { cloneJson } from '../../shared/util/cloneJson.js'
import { isApiLink, type ApiLink, type ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import { passByFor, type PassByRules } from '../store/config.js'
import type { WorkerReceipt } from '../store/workerReceipt.js'
import type { ContextValue, PassBy, Recipe } from '../values/values.js'

type CaptureHow = 'image' | 'mask' | 'latent' | 'text'

/** An OUTPUT port captured by value: which node's ui holds it and how to read it. */
export interface Capture {
  uniqueId: string
  type: string
  nodeId: string
  how: CaptureHow
  portNodeId: string
}

export interface CompiledWorkflow {
  prompt: ApiPrompt
  ports: Port[]
  captures: Capture[]
  /** OUTPUT ports by reference: the recipes to stage. */
  references: Array<{ uniqueId: string; recipe: Recipe }>
  /** OUTPUT ports fed straight by an INPUT port's literal. */
  directValues: Array<{ uniqueId: string; value: string | number | boolean }>
  /** Output nodes the run needs (the workflow's own and the captures). */
  requiredOutputs: string[]
  /** Keys read from the context. */
  inputsRead: string[]
}

/** Uploads bytes for a loader node and returns the value its file input takes. */
type Uploader = (bytes: Uint8Array, extension: 'png' | 'latent') => Promise<string>

export interface CompileOptions {
  workflow: string
  objectInfo: ObjectInfo
  receipt: WorkerReceipt
  rules: PassByRules
  upload: Uploader
  /** Keys that hold a stored pass-by for OUTPUT ports (the master context's current entries). */
  storedPassBy?: (key: string) => PassBy | undefined
}

const PRIMITIVES = new Set(['STRING', 'INT', 'FLOAT', 'BOOLEAN', 'COMBO'])
const TEXT_CAPTURE = new Set(['STRING', 'INT', 'FLOAT', 'BOOLEAN', 'LIST', 'DICT', 'TUPLE', 'ANY', '*'])

const where = (workflow: string, port: Port) =>
  `${workflow}: ${port.mode} port "${port.uniqueId}" (node ${port.nodeId})`

/** Node ids the compiler adds, namespaced so they cannot clash with the workflow's. */
const portNodeId = (key: string, part: string) => `port:${key}:${part}`
const refNodeId = (key: string, id: string) => `ref:${key}:${id}`

/** Stitch a recipe into a prompt under namespaced ids; returns the link to its output. */
function stitchRecipe(prompt: ApiPrompt, key: string, recipe: Recipe): ApiLink {
  for (const [id, node] of Object.entries(recipe.prompt)) {
    const copy = cloneJson(node)
    for (const [name, v] of Object.entries(copy.inputs))
      if (isApiLink(v)) copy.inputs[name] = [refNodeId(key, v[0]), v[1]]
    prompt[refNodeId(key, id)] = copy
  }
  return [refNodeId(key, recipe.output[0]), recipe.output[1]]
}

function literalOf(value: ContextValue, port: Port, workflow: string): string | number | boolean {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return value.value
    default:
      throw new PortError(
        `${where(workflow, port)} feeds ${port.type} inputs, but the context holds ${value.kind === 'json' ? 'JSON (a list or dict)' : `a ${value.kind}`} there. ` +
          `Save a ${port.type === 'COMBO' ? 'string' : port.type.toLowerCase()} under "${port.uniqueId}".`,
        { nodeId: port.nodeId },
      )
  }
}

type LoadableValue = Extract<ContextValue, { kind: 'image' | 'mask' | 'latent' }>

/** INPUT by value, per binary kind: the loader nodes that bring the value in; returns the link consumers take. */
const LOADERS: {
  [K in LoadableValue['kind']]: (
    value: Extract<LoadableValue, { kind: K }>,
    key: string,
    prompt: ApiPrompt,
    upload: Uploader,
  ) => Promise<ApiLink>
} = {
  async image(value, key, prompt, upload) {
    const ids: string[] = []
    for (let i = 0; i < value.frames.length; i++) {
      const id = portNodeId(key, `image${i}`)
      prompt[id] = {
        class_type: 'LoadImage',
        inputs: { image: await upload(value.frames[i]!, 'png') },
        _meta: { title: `Context: ${key}` },
      }
      ids.push(id)
    }
    // A batch: one LoadImage per frame, joined with ImageBatch.
    let link: ApiLink = [ids[0]!, 0]
    for (let i = 1; i < ids.length; i++) {
      const id = portNodeId(key, `batch${i}`)
      prompt[id] = { class_type: 'ImageBatch', inputs: { image1: link, image2: [ids[i]!, 0] } }
      link = [id, 0]
    }
    return link
  },
  async mask(value, key, prompt, upload) {
    const id = portNodeId(key, 'mask')
    prompt[id] = {
      class_type: 'LoadImageMask',
      inputs: { image: await upload(value.png, 'png'), channel: 'red' },
      _meta: { title: `Context: ${key}` },
    }
    return [id, 0]
  },
  async latent(value, key, prompt, upload) {
    const id = portNodeId(key, 'latent')
    prompt[id] = {
      class_type: 'LoadLatent',
      inputs: { latent: await upload(value.bytes, 'latent') },
      _meta: { title: `Context: ${key}` },
    }
    return [id, 0]
  },
}

const isLoadable = (v: ContextValue): v is LoadableValue =>
  v.kind === 'image' || v.kind === 'mask' || v.kind === 'latent'

/** OUTPUT by value, per way of reading it back: the capture node(s); returns the node whose ui holds the value. */
const CAPTURERS: Record<CaptureHow, (key: string, source: ApiLink, prompt: ApiPrompt) => string> = {
  image(key, source, prompt) {
    const id = portNodeId(key, 'preview')
    prompt[id] = { class_type: 'PreviewImage', inputs: { images: source }, _meta: { title: `Capture: ${key}` } }
    return id
  },
  mask(key, source, prompt) {
    const toImage = portNodeId(key, 'mask2image')
    const id = portNodeId(key, 'preview')
    prompt[toImage] = { class_type: 'MaskToImage', inputs: { mask: source } }
    prompt[id] = { class_type: 'PreviewImage', inputs: { images: [toImage, 0] }, _meta: { title: `Capture: ${key}` } }
    return id
  },
  latent(key, source, prompt) {
    const id = portNodeId(key, 'save')
    const prefix = `discomfort/latents/${key.replace(/[^A-Za-z0-9_.-]/g, '_')}`
    prompt[id] = {
      class_type: 'SaveLatent',
      inputs: { samples: source, filename_prefix: prefix },
      _meta: { title: `Capture: ${key}` },
    }
    return id
  },
  text(key, source, prompt) {
    const id = portNodeId(key, 'text')
    prompt[id] = { class_type: 'PreviewAny', inputs: { source }, _meta: { title: `Capture: ${key}` } }
    return id
  },
}

/** How an OUTPUT of this ComfyUI type is read back by value, if it can be. */
function captureHow(type: string): CaptureHow | undefined {
  if (type === 'IMAGE') return 'image'
  if (type === 'MASK') return 'mask'
  if (type === 'LATENT') return 'latent'
  if (TEXT_CAPTURE.has(type) || PRIMITIVES.has(type)) return 'text'
  return undefined
}

/** The INPUT ports whose keys the context does not hold, with every way to give them a value. */
function missingInputs(workflow: string, ports: Port[], held: string[]): PortError {
  const has = held.length ? ` (the context has: ${held.join(', ')}).` : ' (the context is empty).'
  const cli = ports.map((p) => `-i ${p.uniqueId}=…`).join(' ')
  const script = ports.map((p) => `"${p.uniqueId}": ...`).join(', ')
  const ways = `from a script, inputs: { ${script} }; on the ComfyUI page, "set value" on the port or the Discomfort panel; on the command line, ${cli}`
  const atFault = ports.map((p) => ({
    nodeId: p.nodeId,
    problem: `"${p.uniqueId}" is not in the context`,
    remedy: 'give it a value with "set value" on this port or in the Discomfort panel',
  }))
  if (ports.length === 1) {
    const port = ports[0]!
    return new PortError(
      `${where(workflow, port)} needs "${port.uniqueId}", which the context does not hold. Give it a value: ${ways}${has}`,
      { nodeId: port.nodeId, ports: atFault },
    )
  }
  const list = ports.map((p) => `"${p.uniqueId}" (node ${p.nodeId})`).join(', ')
  return new PortError(
    `${workflow}: ${ports.length} INPUT ports need values the context does not hold: ${list}. Give them values: ${ways}${has}`,
    { nodeId: ports[0]!.nodeId, ports: atFault },
  )
}

/** One INPUT port: its value written into its consumers as a literal, loader nodes, or a stitched recipe. */
async function compileInput(
  port: Port,
  targets: Array<{ nodeId: string; input: string }>,
  prompt: ApiPrompt,
  options: CompileOptions,
): Promise<void> {
  const { workflow, receipt } = options
  if (!receipt.has(port.uniqueId)) {
    throw missingInputs(workflow, [port], receipt.keys())
  }
  const meta = receipt.meta(port.uniqueId)!
  const value = await receipt.load(port.uniqueId)
  let link: ApiLink | undefined
  if (value.kind === 'ref') link = stitchRecipe(prompt, port.uniqueId, value.recipe)
  else if (isLoadable(value))
    link = await (LOADERS[value.kind] as (v: LoadableValue, k: string, p: ApiPrompt, u: Uploader) => Promise<ApiLink>)(
      value,
      port.uniqueId,
      prompt,
      options.upload,
    )
  if (link) {
    for (const t of targets) prompt[t.nodeId]!.inputs[t.input] = link
    return
  }
  // A plain value: a literal in every consumer that takes one.
  if (!PRIMITIVES.has(port.type) && port.type !== '*') {
    throw new PortError(
      `${where(workflow, port)} feeds ${port.type} inputs, which no core ComfyUI node can load from a ${meta.comfyType} value. ` +
        `Pass a ${port.type} (an image, mask, latent, or a reference from another workflow).`,
      { nodeId: port.nodeId },
    )
  }
  const literal = literalOf(value, port, workflow)
  for (const t of targets) prompt[t.nodeId]!.inputs[t.input] = literal
}

export async function compileWorkflow(source: ApiPrompt, options: CompileOptions): Promise<CompiledWorkflow> {
  const { workflow, objectInfo, rules } = options
  const ports = discoverPorts(source, objectInfo, workflow)
  let prompt = removePassthru(source)
  const consumers = consumersOf(prompt)
  const captures: Capture[] = []
  const references: CompiledWorkflow['references'] = []
  const inputsRead: string[] = []
  const directValues: CompiledWorkflow['directValues'] = []

  // Every INPUT the context cannot fill, said at once (not one run per missing key).
  const missing = ports.filter(
    (p) => p.mode === 'INPUT' && (consumers.get(p.nodeId) ?? []).length > 0 && !options.receipt.has(p.uniqueId),
  )
  if (missing.length > 1) throw missingInputs(workflow, missing, options.receipt.keys())

  for (const port of ports.filter((p) => p.mode === 'INPUT')) {
    const targets = consumers.get(port.nodeId) ?? []
    delete prompt[port.nodeId]
    if (targets.length === 0) continue // an unconnected port reads nothing
    inputsRead.push(port.uniqueId)
    await compileInput(port, targets, prompt, options)
  }

  // OUTPUT ports: capture nodes, or recipes (pruned from the prompt as compiled so far).
  const compiledForRecipes = prompt
  const loops = findLoops(prompt)
  for (const found of ports.filter((p) => p.mode === 'OUTPUT')) {
    const source = prompt[found.nodeId]?.inputs.input_data
    // An OUTPUT fed straight by an INPUT port learns its type from the loader compiled in its place.
    const port: Port =
      found.type === '*' && isApiLink(source)
        ? { ...found, type: objectInfo[prompt[source[0]]?.class_type ?? '']?.output[source[1]] ?? '*' }
        : found
    if (source === undefined) continue
    if (!isApiLink(source)) {
      // An INPUT wired straight to an OUTPUT: the value is copied, nothing runs.
      directValues.push({ uniqueId: port.uniqueId, value: source as string | number | boolean })
      continue
    }
    const byRef = (options.storedPassBy?.(port.uniqueId) ?? passByFor(port.type, rules)) === 'ref'
    const loop = loopHolding(loops, source[0])
    if (loop) throw insideLoop(workflow, port, loop, byRef)
    if (byRef) {
      const recipe = pruneToPort(compiledForRecipes, port.nodeId, workflow)
      references.push({
        uniqueId: port.uniqueId,
        recipe: { prompt: recipe.prompt, output: recipe.output, type: port.type },
      })
      continue
    }
    const how = captureHow(port.type)
    if (!how) {
      throw new PortError(
        `${where(workflow, port)} carries ${port.type}, which cannot be captured by value (no core node saves it). ` +
          `Pass it by reference: set "${port.type}": "ref" in pass_by_rules.json, or save "${port.uniqueId}" with passBy "ref".`,
        { nodeId: port.nodeId },
      )
    }
    const nodeId = CAPTURERS[how](port.uniqueId, source, prompt)
    captures.push({ uniqueId: port.uniqueId, type: port.type, nodeId, how, portNodeId: port.nodeId })
  }
  for (const port of ports) if (port.mode === 'OUTPUT') delete prompt[port.nodeId]
  for (const [id, node] of Object.entries(prompt)) {
    if (node.class_type === DISCOMFORT_PORT) {
      throw new PortError(
        `${workflow}: DiscomfortPort node ${id} could not be compiled (it has neither consumers nor a source).`,
      )
    }
  }
  prompt = dropDanglingLinks(prompt)
  const requiredOutputs = Object.keys(prompt).filter((id) => objectInfo[prompt[id]!.class_type]?.output_node === true)
  return { prompt, ports, captures, references, directValues, requiredOutputs, inputsRead }
}

/**
 * An OUTPUT port fed from inside a native loop body cannot be compiled: a
 * capture node there is an output inside the body, which ComfyUI refuses
 * (`loop_escape`: savers have no output to close the loop with), and a recipe
 * would hold the StartLoop without its EndLoop. The loop's own value leaves
 * through its EndLoop, and is captured there.
 */
function insideLoop(workflow: string, port: Port, loop: Loop, byRef: boolean): PortError {
  const what = byRef
    ? 'a reference taken there would hold the StartLoop without its EndLoop'
    : 'a capture node there would be an output inside the loop body, which ComfyUI refuses (loop_escape)'
  return new PortError(
    `${where(workflow, port)} reads a value inside the loop of StartLoop ${loop.start} and EndLoop ${loop.end}: ${what}. ` +
      `Wire that value into the EndLoop's output_value (with accumulate for every iteration's) and put the port after the EndLoop.`,
    { nodeId: port.nodeId },
  )
}

/** Unconnected INPUT ports leave no links behind; anything else pointing nowhere is a bug, caught here. */
function dropDanglingLinks(prompt: ApiPrompt): ApiPrompt {
  for (const [id, node] of Object.entries(prompt)) {
    for (const [name, v] of Object.entries(node.inputs)) {
      if (isApiLink(v) && !(v[0] in prompt)) {
        throw new PortError(`Compiled prompt: node ${id} input "${name}" links to missing node ${v[0]}.`)
      }
    }
  }
  return prompt
}
