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
  | { type: 'status'; data: { status: { exec_info: { queue_remaining: number } }; sid?: string } }
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

/** Decode a binary frame: 1 preview image, 3 progress text, 4 preview image with metadata. */
export function decodeBinaryFrame(bytes: Uint8Array): BinaryFrame {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.byteLength < 4) return { kind: 'unknown', eventType: -1 }
  const type = view.getUint32(0)
  if (type === 1 && bytes.byteLength >= 8) {
    const format = view.getUint32(4) === 2 ? 'png' : 'jpeg'
    return { kind: 'preview', format, image: bytes.subarray(8) }
  }
  if (type === 3 && bytes.byteLength >= 8) {
    const n = view.getUint32(4)
    const decoder = new TextDecoder()
    return {
      kind: 'text',
      nodeId: decoder.decode(bytes.subarray(8, 8 + n)),
      text: decoder.decode(bytes.subarray(8 + n)),
    }
  }
  if (type === 4 && bytes.byteLength >= 8) {
    const n = view.getUint32(4)
    const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as {
      node_id?: string
      prompt_id?: string
      image_type?: string
    }
    const frame: BinaryFrame = {
      kind: 'preview',
      format: meta.image_type === 'image/png' ? 'png' : 'jpeg',
      image: bytes.subarray(8 + n),
    }
    if (meta.node_id) frame.nodeId = meta.node_id
    if (meta.prompt_id) frame.promptId = meta.prompt_id
    return frame
  }
  return { kind: 'unknown', eventType: type }
}
