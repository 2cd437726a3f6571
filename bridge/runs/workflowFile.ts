/** Reading a workflow file (UI or API format) with errors that name the file. */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { DiscomfortError } from '../../shared/errors.js'
import type { NamedWorkflow } from '../../shared/protocol/index.js'

export async function readWorkflowFile(path: string): Promise<NamedWorkflow> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new DiscomfortError(`Cannot read workflow "${path}": ${(e as Error).message}`)
  }
  try {
    return { name: basename(path), workflow: JSON.parse(text) as Record<string, unknown> }
  } catch (e) {
    throw new DiscomfortError(`Workflow "${path}" is not valid JSON: ${(e as Error).message}`)
  }
}
