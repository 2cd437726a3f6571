/** What the runs room refuses, each with its stable code and the HTTP status the server answers with. */
import { DiscomfortError } from '../../shared/errors.js'

/** No run of that id in this bridge's process or its history. */
export class RunNotFoundError extends DiscomfortError {
  static override code = 'not_found'
  static override status = 404
  override name = 'RunNotFoundError'
}

/** The run's workflows are no longer kept, or it ran in a context made for it alone. */
export class NotRerunnableError extends DiscomfortError {
  static override code = 'not_rerunnable'
  static override status = 409
  override name = 'NotRerunnableError'
}

/** The context a run ran in is gone, so it cannot run there again. */
export class ContextGoneError extends DiscomfortError {
  static override code = 'context_gone'
  static override status = 409
  override name = 'ContextGoneError'
}
