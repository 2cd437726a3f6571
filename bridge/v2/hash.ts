/**
 * blake3 of bytes, as the Comfy API v2 names content (WebAssembly, about
 * 350 MB/s here), a slice at a time with a turn of the event loop between
 * slices, so a 100 MB upload never holds the bridge for more than a few ms.
 */
import { setImmediate as yieldNow } from 'node:timers/promises'
import { createBLAKE3 } from 'hash-wasm'

const SLICE = 4 * 1024 * 1024

export async function blake3Hex(bytes: Uint8Array): Promise<string> {
  const h = await createBLAKE3()
  h.init()
  for (let at = 0; at < bytes.byteLength; at += SLICE) {
    h.update(bytes.subarray(at, Math.min(at + SLICE, bytes.byteLength)))
    if (at + SLICE < bytes.byteLength) await yieldNow()
  }
  return h.digest('hex')
}
