/**
 * ComfyUI `.latent` files: safetensors with `latent_tensor` ([B, C, H, W],
 * F32) and an empty `latent_format_version_0` marker. Files without the
 * marker are legacy and ComfyUI scales them by 1/0.18215 when loading.
 */
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors.js'

export interface Latent {
  shape: number[]
  data: Float32Array
}

export function encodeLatent(latent: Latent, metadata?: Record<string, string>): Uint8Array {
  const data = new Uint8Array(latent.data.buffer, latent.data.byteOffset, latent.data.byteLength)
  return encodeSafetensors(
    {
      latent_tensor: { dtype: 'F32', shape: latent.shape, data },
      latent_format_version_0: { dtype: 'F32', shape: [0], data: new Uint8Array(0) },
    },
    metadata,
  )
}

/** Decode a `.latent` file; legacy files are scaled like ComfyUI's LoadLatent does. */
export function decodeLatent(bytes: Uint8Array): Latent & { legacy: boolean; metadata: Record<string, string> } {
  const { tensors, metadata } = decodeSafetensors(bytes)
  const t = tensors.latent_tensor
  if (!t) throw new SafetensorsError('not a ComfyUI latent: no "latent_tensor" tensor')
  let data: Float32Array
  if (t.dtype === 'F32') {
    data = new Float32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength))
  } else if (t.dtype === 'F16') {
    const halves = new Uint16Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength))
    data = Float32Array.from(halves, halfToFloat)
  } else {
    throw new SafetensorsError(`latent_tensor has dtype ${t.dtype}; F32 and F16 are supported`)
  }
  const legacy = !('latent_format_version_0' in tensors)
  if (legacy) for (let i = 0; i < data.length; i++) data[i] = data[i]! * (1 / 0.18215)
  return { shape: t.shape, data, legacy, metadata }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >> 10) & 0x1f
  const frac = h & 0x3ff
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024)
  if (exp === 31) return frac ? NaN : sign * Infinity
  return sign * 2 ** (exp - 15) * (1 + frac / 1024)
}
