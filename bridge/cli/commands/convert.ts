import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { toApiPrompt } from '../../../shared/index.js'
import type { ObjectInfo } from '../../../shared/index.js'
import type { ConvertArgs } from '../args.js'

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new Error(`Cannot read ${what} "${path}": ${(e as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new Error(`${what} "${path}" is not valid JSON: ${(e as Error).message}`)
  }
}

async function fetchObjectInfo(base: string): Promise<ObjectInfo> {
  const url = new URL('/object_info', base)
  let response: Response
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) })
  } catch (e) {
    throw new Error(
      `Cannot reach ComfyUI at ${base} (${(e as Error).message}). Start ComfyUI, pass --comfy <url>, or use --object-info <file>.`,
    )
  }
  if (!response.ok) throw new Error(`ComfyUI at ${base} answered ${response.status} for /object_info.`)
  return (await response.json()) as ObjectInfo
}

export async function convertCommand(args: ConvertArgs, out: (text: string) => void): Promise<void> {
  const workflow = await readJsonFile(args.workflow, 'workflow')
  const objectInfo = args.objectInfo
    ? ((await readJsonFile(args.objectInfo, 'object_info file')) as ObjectInfo)
    : await fetchObjectInfo(args.comfy)
  const prompt = toApiPrompt(workflow as Parameters<typeof toApiPrompt>[0], objectInfo, { name: basename(args.workflow) })
  out(JSON.stringify(prompt, null, 2) + '\n')
}
