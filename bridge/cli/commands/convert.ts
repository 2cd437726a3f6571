import { readFile } from 'node:fs/promises'
import type { ObjectInfo } from '../../../shared/index.js'
import { ComfyHttp } from '../../comfy/comfyHttp.js'
import { compileOnly } from '../../runs/compileOnly.js'
import { loadWorkflow } from '../../runs/runner.js'
import { parseInputs, type ConvertArgs } from '../args.js'

async function readObjectInfo(path: string): Promise<ObjectInfo> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new Error(`Cannot read the object_info file "${path}": ${(e as Error).message}`)
  }
  try {
    return JSON.parse(text) as ObjectInfo
  } catch (e) {
    throw new Error(`The object_info file "${path}" is not valid JSON: ${(e as Error).message}`)
  }
}

async function fromServer(base: string): Promise<{ objectInfo: ObjectInfo; frontend: string | undefined }> {
  const http = new ComfyHttp(base, { requestTimeoutMs: 30_000 })
  try {
    const [objectInfo, frontend] = await Promise.all([http.objectInfo(), http.frontendVersion()])
    return { objectInfo, frontend }
  } catch (e) {
    throw new Error(
      `Cannot reach ComfyUI at ${base} (${(e as Error).message}). Start ComfyUI, pass --comfy <url>, or use --object-info <file>.`,
    )
  }
}

/** `discomfort convert`: the API prompt of a workflow, with its ports as pseudo-nodes or (--compiled) compiled. */
export async function convertCommand(args: ConvertArgs, out: (text: string) => void): Promise<void> {
  const server = args.objectInfo
    ? { objectInfo: await readObjectInfo(args.objectInfo), frontend: undefined }
    : await fromServer(args.comfy)
  const objectInfo = server.objectInfo
  const workflow = await loadWorkflow(args.workflow, objectInfo, 0, args.frontend ?? server.frontend)
  const prompt = args.compiled ? await compileOnly(workflow, parseInputs(args.inputs), objectInfo) : workflow.prompt
  out(`${JSON.stringify(prompt, null, 2)}\n`)
}
