/** Paths to, and loaders for, the captured fixtures in test/fixtures (see its README for where each came from). */
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'

const here = dirname(fileURLToPath(import.meta.url))
const FIXTURES = resolve(here, '../fixtures')
export const COMFY_FIXTURES = join(FIXTURES, 'comfyui-0.3.54')
export const GRAPH_TO_PROMPT = join(FIXTURES, 'frontend-graphToPrompt')
export const ORIGINAL_WORKFLOWS = join(FIXTURES, 'original-discomfort-workflows')

export const readJson = <T = unknown>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T

let objectInfo: ObjectInfo | undefined
export const loadObjectInfo = (): ObjectInfo =>
  (objectInfo ??= readJson<ObjectInfo>(join(COMFY_FIXTURES, 'object_info.json')))

export type GraphToPromptExpectation =
  | { expect: 'prompt'; output: Record<string, unknown> }
  | { expect: 'error'; unknown_types: string[] }

export const graphToPromptCases = (): string[] =>
  readdirSync(join(GRAPH_TO_PROMPT, 'cases'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort()

export const graphToPromptExpected = (): Record<string, GraphToPromptExpectation> =>
  readJson(join(GRAPH_TO_PROMPT, 'expected.json'))

export const loadCase = (name: string): unknown => readJson(join(GRAPH_TO_PROMPT, 'cases', `${name}.json`))
