/** Reading a workflow file (UI or API format) with errors that name the file. */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { DiscomfortError } from '../../shared/errors.js'

export async function readWorkflowFile(path: string): Promise<{ name: string; workflow: object }> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new DiscomfortError(`Cannot read workflow "${path}": ${(e as Error).message}`)
  }
  try {
    return { name: basename(path), workflow: JSON.parse(text) as object }
  } catch (e) {
    throw new DiscomfortError(`Workflow "${path}" is not valid JSON: ${(e as Error).message}`)
  }
}
