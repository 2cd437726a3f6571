/** blake3 of bytes, as the Comfy API v2 names content: hashed a slice at a time, yielding between slices. */
import { setImmediate as yieldNow } from 'node:timers/promises'
import { blake3 } from '@noble/hashes/blake3.js'
import { bytesToHex } from '@noble/hashes/utils.js'

/** Bytes hashed between two turns of the event loop (about 40 ms here). */
const SLICE = 1024 * 1024

export async function blake3Hex(bytes: Uint8Array): Promise<string> {
  const h = blake3.create()
  for (let at = 0; at < bytes.byteLength; at += SLICE) {
    h.update(bytes.subarray(at, Math.min(at + SLICE, bytes.byteLength)))
    if (at + SLICE < bytes.byteLength) await yieldNow()
  }
  return bytesToHex(h.digest())
}
