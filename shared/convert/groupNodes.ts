import type { ObjectInfo } from '../workflow/objectInfo.js'
import type { UiWorkflow } from '../workflow/uiWorkflow.js'

export function expandGroupNodes(workflow: UiWorkflow, _objectInfo: ObjectInfo, _name: string): UiWorkflow {
  return workflow
}
