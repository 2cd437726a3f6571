/** Small builders shared by the run and end-to-end tests. */
import { encodePng } from '../../bridge/codec/png.js'
import type { ApiNode, ApiPrompt } from '../../shared/workflow/apiPrompt.js'

/** A DiscomfortPort pseudo-node: INPUT without `input_data`, OUTPUT or PASSTHRU with it. */
export const port = (unique_id: string, input_data?: [string, number]): ApiNode => ({
  class_type: 'DiscomfortPort',
  inputs: input_data ? { unique_id, input_data } : { unique_id },
})

/** A one-colour PNG. */
export const solidPng = (w: number, h: number, rgb: [number, number, number]): Uint8Array => {
  const rgba = new Uint8Array(w * h * 4)
  for (let i = 0; i < w * h; i++) rgba.set([...rgb, 255], i * 4)
  return encodePng({ width: w, height: h, rgba })
}

/** The error a promise rejects with (fails when it resolves). */
export async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a rejection')
}

/** The workflow most sweep and cluster tests run: INPUT "text" → text + "!" → OUTPUT "out". */
export const CONCAT = {
  name: 'concat.json',
  workflow: {
    '1': port('text'),
    '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
    '3': port('out', ['2', 0]),
  } satisfies ApiPrompt,
}

/** A workflow that takes `steps` × 10 ms on the stand-in (its test-only sleep node) and writes OUTPUT "out". */
export const SLOW = (steps: number) => ({
  name: 'slow.json',
  workflow: {
    '1': { class_type: 'PrimitiveString', inputs: { value: 'x' } },
    '2': { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps, step_ms: 10 } },
    '3': port('out', ['2', 0]),
  } satisfies ApiPrompt,
})
