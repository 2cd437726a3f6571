/** Values from HTTP clients, as the bridge may use them. */
import { isFileInput, type InputValue } from '../values/inputs.js'
import { BridgeHttpError } from './httpError.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../values/valueFrom.js'
import { fromWire } from '../values/wireJson.js'

/**
 * A value sent by an HTTP client, as the bridge may use it: bytes or JSON,
 * never a path. Files are read only for callers in this process (the CLI and
 * the in-process client), for the caller's own files.
 */
export function inputFromClient(raw: unknown, where: string): InputValue {
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH + 2))
    throw new BridgeHttpError(400, `${where}: JSON nested deeper than ${MAX_JSON_DEPTH} levels is not stored.`)
  const value = fromWire(raw)
  if (isFileInput(value)) {
    throw new BridgeHttpError(
      400,
      `${where}: the bridge does not read files named by HTTP clients. Send the file's bytes instead ({"$bytes": "<base64>"}, or PUT the raw PNG / .latent).`,
    )
  }
  return value as InputValue
}
