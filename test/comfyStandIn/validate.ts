/**
 * Prompt validation with ComfyUI 0.3.54's rules and message shapes
 * (execution.py validate_prompt / validate_inputs), as the transcripts show.
 */
import { isApiLink, type ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { orderedInputs, specType, type InputSpec, type ObjectInfo } from '../../shared/workflow/objectInfo.js'
import type { Folders } from './files.js'
import type { ComfyProfile } from './profile.js'
import { pyRepr, pyStr } from './python.js'

interface ValidationError {
  type: string
  message: string
  details: string
  extra_info: Record<string, unknown>
}

interface NodeErrors {
  errors: ValidationError[]
  dependent_outputs: string[]
  class_type: string
}

export type ValidationResult =
  | { ok: true; outputs: string[]; nodeErrors: Record<string, NodeErrors>; prompt: ApiPrompt }
  | { ok: false; error: ValidationError; nodeErrors: Record<string, NodeErrors> }

const graphError = (type: string, message: string, details = ''): ValidationError => ({
  type,
  message,
  details,
  extra_info: {},
})

/** Inputs whose class validates them itself (VALIDATE_INPUTS names them), skipping the combo check. */
const CUSTOM_VALIDATED: Record<string, { input: string; check: (v: string, f: Folders) => string | true }> = {
  LoadImage: { input: 'image', check: (v, f) => (f.existsAnnotated(v) ? true : `Invalid image file: ${v}`) },
  LoadImageMask: { input: 'image', check: (v, f) => (f.existsAnnotated(v) ? true : `Invalid image file: ${v}`) },
  LoadLatent: { input: 'latent', check: (v, f) => (f.existsAnnotated(v) ? true : `Invalid latent file: ${v}`) },
}

const typesMatch = (received: string, wanted: string): boolean => {
  if (received === wanted || received === '*' || wanted === '*') return true
  const a = new Set(received.split(',').map((t) => t.trim()))
  return wanted.split(',').some((t) => a.has(t.trim()))
}

/** Python's int() on a JSON value, or undefined when it would raise. */
function pyInt(v: unknown): number | undefined {
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number.parseInt(v, 10)
  return undefined
}

function pyFloatValue(v: unknown): number | undefined {
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v)
  return undefined
}

/** A node's `_meta.title`, if it has one. */
function nodeTitle(node: unknown): unknown {
  if (typeof node !== 'object' || node === null || !('_meta' in node)) return undefined
  const meta = node._meta
  return typeof meta === 'object' && meta !== null && 'title' in meta ? meta.title : undefined
}

/** The current server's error for a node without a class_type (`classType` null) or of an unknown class. */
function missingNodeType(id: string, classType: string | null, title: unknown): ValidationError {
  const message =
    classType === null
      ? `Node '${title ? pyStr(title) : `ID #${id}`}' has no class_type. The workflow may be corrupted or a custom node is missing.`
      : `Node '${pyStr(title)}' not found. The custom node may not be installed.`
  return {
    type: 'missing_node_type',
    message,
    details: `Node ID '#${id}'`,
    extra_info: { node_id: id, class_type: classType, node_title: title ?? null },
  }
}

const pyTruthy = (v: unknown): boolean =>
  !(v === false || v === 0 || v === '' || v === null || (Array.isArray(v) && v.length === 0))

export function validatePrompt(
  prompt: unknown,
  objectInfo: ObjectInfo,
  folders: Folders,
  partialTargets?: string[],
  profile: ComfyProfile = '0.3.75',
): ValidationResult {
  if (typeof prompt !== 'object' || prompt === null || Array.isArray(prompt)) {
    return {
      ok: false,
      error: graphError('invalid_prompt', 'Invalid prompt', 'prompt must be an object'),
      nodeErrors: {},
    }
  }
  const p = structuredClone(prompt) as ApiPrompt
  const outputs: string[] = []
  for (const [id, node] of Object.entries(p)) {
    if (typeof node !== 'object' || node === null || !('class_type' in node)) {
      return {
        ok: false,
        error:
          profile === 'current'
            ? missingNodeType(id, null, nodeTitle(node))
            : graphError(
                'invalid_prompt',
                'Cannot execute because a node is missing the class_type property.',
                `Node ID '#${id}'`,
              ),
        nodeErrors: {},
      }
    }
    const def = objectInfo[node.class_type]
    if (!def) {
      return {
        ok: false,
        error:
          profile === 'current'
            ? missingNodeType(id, node.class_type, nodeTitle(node) ?? node.class_type)
            : graphError(
                'invalid_prompt',
                `Cannot execute because node ${node.class_type} does not exist.`,
                `Node ID '#${id}'`,
              ),
        nodeErrors: {},
      }
    }
    if (def.output_node && (!partialTargets || partialTargets.includes(id))) outputs.push(id)
  }
  if (outputs.length === 0)
    return { ok: false, error: graphError('prompt_no_outputs', 'Prompt has no outputs'), nodeErrors: {} }

  const validated = new Map<string, boolean>()
  const errorsById = new Map<string, ValidationError[]>()

  const validateNode = (id: string, stack: Set<string>): boolean => {
    const cached = validated.get(id)
    if (cached !== undefined) return cached
    const node = p[id]!
    const def = objectInfo[node.class_type]!
    const errors: ValidationError[] = []
    let valid = true
    if (stack.has(id)) {
      errors.push({
        type: 'exception_during_inner_validation',
        message: 'Exception when validating inner node',
        details: 'maximum recursion depth exceeded',
        extra_info: {},
      })
      errorsById.set(id, errors)
      return false
    }
    stack.add(id)
    const custom = CUSTOM_VALIDATED[node.class_type]
    for (const [name, spec, optional] of orderedInputs(def)) {
      const value = node.inputs?.[name]
      // ComfyUI reports an input's config as [type, options], options always present.
      const config: InputSpec = [spec[0], spec[1] ?? {}]
      const type = specType(spec)
      if (value === undefined) {
        if (!optional) {
          errors.push({
            type: 'required_input_missing',
            message: 'Required input is missing',
            details: name,
            extra_info: { input_name: name },
          })
          valid = false
        }
        continue
      }
      if (Array.isArray(value)) {
        if (value.length !== 2) {
          errors.push({
            type: 'bad_linked_input',
            message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
            details: name,
            extra_info: { input_name: name, input_config: config, received_value: value },
          })
          valid = false
          continue
        }
        const [from, slot] = value as [unknown, unknown]
        const source = typeof from === 'string' ? p[from] : undefined
        if (!source) {
          errors.push({
            type: 'exception_during_inner_validation',
            message: 'Exception when validating inner node',
            details: `'${String(from)}'`,
            extra_info: {
              input_name: name,
              input_config: config,
              exception_message: `'${String(from)}'`,
              exception_type: 'KeyError',
              linked_node: value,
            },
          })
          valid = false
          continue
        }
        const received = objectInfo[source.class_type]!.output[Number(slot)]
        if (received === undefined) {
          errors.push({
            type: 'exception_during_inner_validation',
            message: 'Exception when validating inner node',
            details: 'tuple index out of range',
            extra_info: {
              input_name: name,
              input_config: config,
              exception_message: 'tuple index out of range',
              exception_type: 'IndexError',
              linked_node: value,
            },
          })
          valid = false
          continue
        }
        if (!typesMatch(received, type)) {
          errors.push({
            type: 'return_type_mismatch',
            message: 'Return type mismatch between linked nodes',
            details: `${name}, received_type(${received}) mismatch input_type(${type})`,
            extra_info: { input_name: name, input_config: config, received_type: received, linked_node: value },
          })
          valid = false
          continue
        }
        if (!validateNode(String(from), stack)) valid = false
        continue
      }
      // A literal.
      let v: unknown = value
      if (typeof v === 'object' && v !== null && '__value__' in v) v = (v as { __value__: unknown }).__value__
      if (['INT', 'FLOAT', 'STRING', 'BOOLEAN'].includes(type)) {
        let converted: unknown
        if (type === 'INT') converted = pyInt(v)
        else if (type === 'FLOAT') converted = pyFloatValue(v)
        else if (type === 'STRING') converted = pyStr(v)
        else converted = pyTruthy(v)
        if (converted === undefined) {
          errors.push({
            type: 'invalid_input_type',
            message: `Failed to convert an input value to a ${type} value`,
            details: `${name}, ${pyStr(v)}, invalid literal for ${type === 'INT' ? 'int() with base 10' : 'float()'}: ${pyRepr(v)}`,
            extra_info: {
              input_name: name,
              input_config: config,
              received_value: v,
              exception_message: `invalid literal: ${pyRepr(v)}`,
            },
          })
          valid = false
          continue
        }
        v = converted
        node.inputs[name] = v as string
      }
      const options = spec[1] ?? {}
      if (typeof v === 'number' && typeof options.min === 'number' && v < options.min) {
        errors.push({
          type: 'value_smaller_than_min',
          message: `Value ${pyStr(v, type === 'FLOAT')} smaller than min of ${pyStr(options.min, type === 'FLOAT' && !Number.isInteger(options.min))}`,
          details: name,
          extra_info: { input_name: name, input_config: config, received_value: v },
        })
        valid = false
        continue
      }
      if (typeof v === 'number' && typeof options.max === 'number' && v > options.max) {
        errors.push({
          type: 'value_bigger_than_max',
          message: `Value ${pyStr(v, type === 'FLOAT')} bigger than max of ${pyStr(options.max, type === 'FLOAT' && !Number.isInteger(options.max))}`,
          details: name,
          extra_info: { input_name: name, input_config: config, received_value: v },
        })
        valid = false
        continue
      }
      if (custom?.input === name) continue
      if (Array.isArray(spec[0]) && !spec[0].includes(v)) {
        const list = spec[0]
        const long = list.length > 20
        errors.push({
          type: 'value_not_in_list',
          message: 'Value not in list',
          details: `${name}: '${pyStr(v)}' not in ${long ? `(list of length ${list.length})` : pyRepr(list)}`,
          extra_info: { input_name: name, input_config: long ? null : config, received_value: v },
        })
        valid = false
      }
    }
    if (custom) {
      const v = node.inputs?.[custom.input]
      if (typeof v === 'string' || typeof v === 'number') {
        const result = custom.check(String(v), folders)
        if (result !== true) {
          errors.push({
            type: 'custom_validation_failed',
            message: 'Custom validation failed for node',
            details: `${custom.input} - ${result}`,
            extra_info: { input_name: custom.input },
          })
          valid = false
        }
      }
    }
    stack.delete(id)
    if (errors.length > 0) errorsById.set(id, errors)
    validated.set(id, valid)
    return valid
  }

  const good: string[] = []
  const dependents = new Map<string, string[]>()
  for (const out of outputs) {
    const before = new Set(errorsById.keys())
    const ok = validateNode(out, new Set())
    if (ok) {
      good.push(out)
      continue
    }
    // Every node with its own errors upstream of this output lists it as dependent.
    const upstream = new Set<string>()
    const walk = (id: string) => {
      if (upstream.has(id) || !p[id]) return
      upstream.add(id)
      for (const v of Object.values(p[id]!.inputs ?? {})) if (isApiLink(v)) walk(v[0])
    }
    walk(out)
    for (const id of errorsById.keys()) {
      if (upstream.has(id) || !before.has(id)) {
        const list = dependents.get(id) ?? []
        if (upstream.has(id) && !list.includes(out)) list.push(out)
        dependents.set(id, list)
      }
    }
  }
  const nodeErrors: Record<string, NodeErrors> = {}
  for (const [id, errors] of errorsById) {
    nodeErrors[id] = { errors, dependent_outputs: dependents.get(id) ?? [], class_type: p[id]!.class_type }
  }
  if (good.length === 0) {
    return {
      ok: false,
      error: graphError('prompt_outputs_failed_validation', 'Prompt outputs failed validation'),
      nodeErrors,
    }
  }
  return { ok: true, outputs: good, nodeErrors, prompt: p }
}
