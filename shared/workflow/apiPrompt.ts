/** The API ("prompt") format that ComfyUI's `POST /prompt` accepts. */

/** A link to another node's output: `[source node id, output index]`. */
export type ApiLink = [nodeId: string, outputIndex: number]

/** A literal list must be wrapped, since a bare array means a link. */
export interface WrappedList {
  __value__: unknown[]
}

export type ApiInputValue = string | number | boolean | null | ApiLink | WrappedList | { [key: string]: unknown }

export interface ApiNode {
  class_type: string
  inputs: Record<string, ApiInputValue>
  /** Not executed: the node's title, and (newer frontends) where its node pack came from. */
  _meta?: { title?: string; cnr_id?: string; aux_id?: string; ver?: string }
}

/** An API prompt: node id → node. Ids are opaque strings (`"3"`, `"12:5"`, `"ref:img:1"`). */
export type ApiPrompt = Record<string, ApiNode>

export const isApiLink = (v: unknown): v is ApiLink =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number'

/** An object whose every value is `{class_type: string, inputs: object}`. */
export function isApiPrompt(value: unknown): value is ApiPrompt {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return Object.values(value).every(
    (n) =>
      typeof n === 'object' &&
      n !== null &&
      typeof (n as { class_type?: unknown }).class_type === 'string' &&
      typeof (n as { inputs?: unknown }).inputs === 'object',
  )
}
