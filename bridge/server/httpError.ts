/** The error the bridge's HTTP layer raises itself. */
import { DiscomfortError } from '../../shared/errors.js'

/** An error the HTTP layer raises itself (a bad body, an unknown route): its status and code are given. */
export class BridgeHttpError extends DiscomfortError {
  override name = 'BridgeHttpError'
  constructor(
    status: number,
    message: string,
    code = 'bad_request',
    readonly extra?: Record<string, unknown>,
  ) {
    super(message, { status, code })
  }
}
