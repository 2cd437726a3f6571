/** Why a bridge cannot start: its settings, or its port taken (kept apart so clients can tell without loading the bridge). */
import { DiscomfortError } from '../shared/errors.js'

export class BridgeConfigError extends DiscomfortError {
  static override code = 'bad_config'
  override name = 'BridgeConfigError'
}

/** The port is taken: by a Discomfort bridge (then say how to use it) or by something else (then how to pick another). */
export class PortInUseError extends BridgeConfigError {
  static override code = 'port_in_use'
  static override status = 409
  override name = 'PortInUseError'
  constructor(
    message: string,
    /** The URL of the Discomfort bridge already there, if it is one. */
    readonly bridgeUrl?: string,
  ) {
    super(message)
  }
}

/** On a Redis, another live bridge already has this bridge's name. */
export class BridgeNameTakenError extends BridgeConfigError {
  static override code = 'bridge_name_taken'
  static override status = 409
  override name = 'BridgeNameTakenError'
}
