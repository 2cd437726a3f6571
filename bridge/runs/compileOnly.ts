/**
 * Compile a workflow's ports without running it: the prompt ComfyUI would
 * run for given inputs, for `discomfort convert --compiled`. The inputs live
 * in a throw-away context; files for loader nodes are named as an upload
 * would name them (by content hash), but nothing is uploaded.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import { ComfyHttp } from '../comfy/comfyHttp.js'
import { loadPassByRules } from '../store/config.js'
import { ContextStore } from '../store/contextStore.js'
import { compileWorkflow } from './compile.js'
import type { InputValue } from '../values/inputs.js'
import { saveRunInputs, type LoadedWorkflow } from './runner.js'

export async function compileOnly(
  workflow: LoadedWorkflow,
  inputs: Record<string, InputValue>,
  objectInfo: ObjectInfo,
): Promise<ApiPrompt> {
  const root = await mkdtemp(join(tmpdir(), 'discomfort-compile-'))
  const store = new ContextStore({ root, ramCapacityBytes: 1024 ** 3 })
  try {
    await store.init()
    const context = await store.create({ name: 'convert --compiled' })
    await saveRunInputs([workflow], inputs, context, objectInfo)
    const receipt = await context.beginRun('convert')
    const compiled = await compileWorkflow(workflow.prompt, {
      workflow: workflow.name,
      objectInfo,
      receipt,
      rules: loadPassByRules(),
      upload: (bytes, ext) => {
        const { name, subfolder } = ComfyHttp.contentName(bytes, ext)
        return Promise.resolve(ComfyHttp.loaderPath({ name, subfolder, type: 'input' }))
      },
    })
    await receipt.discard()
    return compiled.prompt
  } finally {
    await store.shutdown()
    await rm(root, { recursive: true, force: true })
  }
}
