/**
 * What a run loads, as affinity keys: the files its loader nodes name
 * (checkpoints, LoRAs, VAEs…), whether written in the workflow or given to
 * an INPUT port that feeds the loader. Servers whose last prompt loaded the
 * same keys keep them in ComfyUI's cache.
 */
import type { ApiPrompt } from '../../shared/workflow/apiPrompt.js'
import { isApiLink } from '../../shared/workflow/apiPrompt.js'
import { DISCOMFORT_PORT } from '../../shared/convert/frontendNodes.js'

const isLoader = (classType: string) => /loader/i.test(classType)

export function affinityKeys(prompts: readonly ApiPrompt[], inputs: Record<string, unknown>): string[] {
  const keys = new Set<string>()
  for (const prompt of prompts) {
    for (const node of Object.values(prompt)) {
      if (!isLoader(node.class_type)) continue
      for (const [name, v] of Object.entries(node.inputs)) {
        let value: unknown = v
        if (isApiLink(v)) {
          const source = prompt[v[0]]
          if (source?.class_type !== DISCOMFORT_PORT) continue
          value = inputs[String(source.inputs.unique_id)]
        }
        if (typeof value === 'string' && value !== '') keys.add(`${node.class_type}.${name}=${value}`)
      }
    }
  }
  return [...keys].sort()
}
