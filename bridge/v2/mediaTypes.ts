/** What a ComfyUI output is, from the key its node's `ui` lists it under and from its file name. */
import { extname } from 'node:path'
import type { StoredOutput } from './store.js'

/** ComfyUI's `ui` keys → the contract's output kinds (other keys, such as `animated`, are not files). */
const KINDS: Record<string, StoredOutput['type']> = {
  images: 'image',
  gifs: 'video',
  video: 'video',
  videos: 'video',
  audio: 'audio',
  text: 'text',
  files: 'file',
  latents: 'latent',
  '3d': 'file',
}

export const kindOfOutput = (uiKey: string): StoredOutput['type'] | undefined => KINDS[uiKey]

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.latent': 'application/octet-stream',
  '.glb': 'model/gltf-binary',
}

export const contentTypeOf = (name: string): string => TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream'
