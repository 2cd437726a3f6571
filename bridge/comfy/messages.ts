/** The messages ComfyUI sends over its WebSocket, as captured from 0.3.54. */

export interface UiFile {
  filename: string
  subfolder: string
  type: 'output' | 'temp' | 'input'
}

/** A node's `ui` dict: what `executed` carries and `/history` keeps. */
export interface NodeUi {
  images?: UiFile[]
  latents?: UiFile[]
  text?: string[]
  animated?: boolean[]
  [key: string]: unknown
}

interface ProgressNodeState {
  value: number
  max: number
  state: 'running' | 'finished' | 'error'
  node_id: string
  prompt_id: string
  display_node_id: string
  parent_node_id: string | null
  real_node_id: string
}

export type ComfyWsMessage =
  | { type: 'status'; data: { status: { exec_info?: { queue_remaining?: unknown } }; sid?: string } }
  | { type: 'execution_start'; data: { prompt_id: string; timestamp: number } }
  | { type: 'execution_cached'; data: { nodes: string[]; prompt_id: string; timestamp: number } }
  | { type: 'executing'; data: { node: string | null; display_node?: string; prompt_id?: string } }
  | { type: 'progress'; data: { value: number; max: number; prompt_id: string; node: string } }
  | { type: 'progress_state'; data: { prompt_id: string; nodes: Record<string, ProgressNodeState> } }
  | { type: 'executed'; data: { node: string; display_node: string; output: NodeUi | null; prompt_id: string } }
  | { type: 'execution_success'; data: { prompt_id: string; timestamp: number } }
  | {
      type: 'execution_error'
      data: {
        prompt_id: string
        node_id: string
        node_type: string
        executed: string[]
        exception_message: string
        exception_type: string
        traceback: string[]
        current_inputs: Record<string, unknown>
        current_outputs: string[]
        timestamp?: number
      }
    }
  | {
      type: 'execution_interrupted'
      data: { prompt_id: string; node_id: string; node_type: string; executed: string[]; timestamp: number }
    }
  | { type: 'feature_flags'; data: Record<string, unknown> }

type HistoryMessage = [string, Record<string, unknown>]

export interface HistoryEntry {
  prompt: [number, string, Record<string, unknown>, Record<string, unknown>, string[]]
  outputs: Record<string, NodeUi>
  status: { status_str: 'success' | 'error'; completed: boolean; messages: HistoryMessage[] }
  meta?: Record<string, unknown>
}

/** A binary WebSocket frame, decoded. */
export type BinaryFrame =
  | { kind: 'preview'; format: 'jpeg' | 'png'; image: Uint8Array; nodeId?: string; promptId?: string }
  | { kind: 'text'; nodeId: string; text: string }
  | { kind: 'unknown'; eventType: number }

type Fields = Record<string, unknown>
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString)
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/**
 * What each message the bridge acts on must carry, checked before it is used:
 * ComfyUI relays whatever its custom nodes send (`send_sync("my-event", None)`
 * is a message with `data: null`), so a frame is untrusted input.
 */
const SHAPES: Record<string, (d: Fields) => boolean> = {
  status: (d) => isObject(d.status),
  execution_start: (d) => isString(d.prompt_id),
  execution_cached: (d) => isString(d.prompt_id) && isStrings(d.nodes),
  executing: (d) => (d.node === null || isString(d.node)) && (d.prompt_id === undefined || isString(d.prompt_id)),
  progress: (d) => isString(d.prompt_id) && isString(d.node) && isNumber(d.value) && isNumber(d.max),
  executed: (d) => isString(d.prompt_id) && isString(d.node) && (d.output === null || isObject(d.output)),
  execution_success: (d) => isString(d.prompt_id),
  execution_error: (d) => isString(d.prompt_id),
  execution_interrupted: (d) => isString(d.prompt_id),
}

/**
 * A text frame as a message the bridge can act on, or undefined: not JSON,
 * not an object with a string `type` and an object `data`, or a known type
 * whose fields are not what ComfyUI sends. Unknown types pass (as custom
 * nodes' events) but nothing acts on them.
 */
export function parseWsMessage(text: string): ComfyWsMessage | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isObject(parsed) || !isString(parsed.type) || !isObject(parsed.data)) return undefined
  const shape = SHAPES[parsed.type]
  if (shape && !shape(parsed.data)) return undefined
  return parsed as unknown as ComfyWsMessage
}

/** A history entry as ComfyUI writes one (`status` and `outputs` readable), or undefined. */
export function checkedHistoryEntry(entry: unknown): HistoryEntry | undefined {
  if (!isObject(entry) || !isObject(entry.status) || !isObject(entry.outputs)) return undefined
  const { status } = entry
  if (status.status_str !== 'success' && status.status_str !== 'error') return undefined
  if (!Array.isArray(status.messages)) return undefined
  for (const m of status.messages) if (!Array.isArray(m) || !isString(m[0]) || !isObject(m[1])) return undefined
  for (const ui of Object.values(entry.outputs)) if (!isObject(ui)) return undefined
  return entry as unknown as HistoryEntry
}

/** The prompt ids of a `/queue` answer's running and pending rows, or undefined when it is not one. */
export function queuedPromptIds(answer: unknown): { running: string[]; pending: string[] } | undefined {
  if (!isObject(answer)) return undefined
  const ids = (rows: unknown): string[] | undefined => {
    if (!Array.isArray(rows)) return undefined
    const out: string[] = []
    for (const row of rows) {
      if (!Array.isArray(row) || !isString(row[1])) return undefined
      out.push(row[1])
    }
    return out
  }
  const running = ids(answer.queue_running)
  const pending = ids(answer.queue_pending)
  return running && pending ? { running, pending } : undefined
}

/** Decode a binary frame: 1 preview image, 3 progress text, 4 preview image with metadata. Never throws. */
export function decodeBinaryFrame(bytes: Uint8Array): BinaryFrame {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.byteLength < 8) return { kind: 'unknown', eventType: bytes.byteLength < 4 ? -1 : view.getUint32(0) }
  const type = view.getUint32(0)
  if (type === 1) {
    const format = view.getUint32(4) === 2 ? 'png' : 'jpeg'
    return { kind: 'preview', format, image: bytes.subarray(8) }
  }
  const n = view.getUint32(4)
  if ((type !== 3 && type !== 4) || n > bytes.byteLength - 8) return { kind: 'unknown', eventType: type }
  const decoder = new TextDecoder()
  if (type === 3) {
    return {
      kind: 'text',
      nodeId: decoder.decode(bytes.subarray(8, 8 + n)),
      text: decoder.decode(bytes.subarray(8 + n)),
    }
  }
  let meta: unknown
  try {
    meta = JSON.parse(decoder.decode(bytes.subarray(8, 8 + n)))
  } catch {
    return { kind: 'unknown', eventType: type }
  }
  if (!isObject(meta)) return { kind: 'unknown', eventType: type }
  const frame: BinaryFrame = {
    kind: 'preview',
    format: meta.image_type === 'image/png' ? 'png' : 'jpeg',
    image: bytes.subarray(8 + n),
  }
  if (isString(meta.node_id)) frame.nodeId = meta.node_id
  if (isString(meta.prompt_id)) frame.promptId = meta.prompt_id
  return frame
}
