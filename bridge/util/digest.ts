/**
 * The SHA-256 of a byte buffer, computed once per buffer: a PNG frame is
 * hashed when its value is saved (its version's hash) and again when it is
 * uploaded to ComfyUI (its content-addressed name); both ask here, and the
 * second time costs nothing. Stored values are never changed in place (a
 * new value is a new buffer), so a buffer's digest stays true.
 */
import { createHash } from 'node:crypto'

const digests = new WeakMap<Uint8Array, string>()

export function digestOf(bytes: Uint8Array): string {
  let digest = digests.get(bytes)
  if (digest === undefined) {
    digest = createHash('sha256').update(bytes).digest('hex')
    digests.set(bytes, digest)
  }
  return digest
}
