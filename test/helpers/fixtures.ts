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

/** ComfyUI 0.3.75's object_info and its workflow templates, with what real frontends made of them. */
export const COMFY_0375 = join(FIXTURES, 'comfyui-0.3.75')
export const TEMPLATES = join(FIXTURES, 'workflow-templates')

let objectInfo0375: ObjectInfo | undefined
export const loadObjectInfo0375 = (): ObjectInfo =>
  (objectInfo0375 ??= readJson<ObjectInfo>(join(COMFY_0375, 'object_info.json')))

/** `<package>/<name>` of every template, sorted. */
export const templateNames = (): string[] =>
  readdirSync(join(TEMPLATES, 'templates'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(TEMPLATES, 'templates', d.name))
        .filter((f) => f.endsWith('.json'))
        .map((f) => `${d.name}/${f.slice(0, -5)}`),
    )
    .sort()

export const loadTemplate = (name: string): unknown => readJson(join(TEMPLATES, 'templates', `${name}.json`))

export interface TemplateCapture {
  frontendVersion: string
  cases: Record<string, GraphToPromptExpectation>
}

/** Frontend versions whose graphToPrompt of every template was captured. */
export const templateCaptureVersions = (): string[] =>
  readdirSync(TEMPLATES)
    .map((f) => /^expected-frontend-(.+)\.json$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort()

export const templateCapture = (version: string): TemplateCapture =>
  readJson(join(TEMPLATES, `expected-frontend-${version}.json`))
