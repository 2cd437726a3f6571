/**
 * Files a user names as inputs (`--input image=@photo.png`, `{ file: 'photo.png' }`
 * in a script) are read here, by the client, and travel as bytes: the bridge
 * never reads a path a client sends, and it may run on another machine.
 */
import { readFile } from 'node:fs/promises'
import { BridgeError } from './bridgeHttp.js'
import { isFileInput } from '../values/inputs.js'

/** The value, or its bytes when it is a `{file: path}`. */
export async function withFilesRead<T>(value: T, what: string): Promise<T> {
  if (isFileInput(value)) {
    try {
      return new Uint8Array(await readFile(value.file)) as T
    } catch (e) {
      throw new BridgeError(
        `${what}: cannot read "${value.file}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
        400,
        'unreadable_file',
      )
    }
  }
  return value
}

/** Each value of a record of inputs, files read. */
export async function inputsWithFilesRead<T extends Record<string, unknown>>(inputs: T, what: string): Promise<T> {
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(inputs)) out[key] = await withFilesRead(v, `${what}["${key}"]`)
  return out as T
}
