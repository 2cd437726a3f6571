/** Files: uploads (images and masks, multipart like the real server) and /view. */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import express, { type Request, type Response, type Router } from 'express'
import { decodePng, encodePng } from '../../../bridge/codec/png.js'
import type { FolderType } from '../files.js'
import { MAX_UPLOAD, type StandInState } from '../state.js'

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.json': 'application/json',
  '.txt': 'text/plain',
}
const FORCED_DOWNLOAD = new Set(['.html', '.htm', '.js', '.mjs', '.css'])

export function fileRoutes(api: Router, state: StandInState): void {
  const { folders } = state
  const upload = async (req: Request, res: Response, mask: boolean) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    let form: FormData
    try {
      form = await new globalThis.Request('http://stand-in/upload', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        body: new Uint8Array(raw),
      }).formData()
    } catch {
      res.status(400).end()
      return
    }
    const file = form.get('image')
    if (!file || typeof file === 'string' || !file.name) {
      res.status(400).end()
      return
    }
    const typeField = String(form.get('type') ?? 'input')
    if (!['input', 'temp', 'output'].includes(typeField)) {
      res.status(500).type('text/plain').send('500 Internal Server Error\n\nServer got itself in trouble')
      return
    }
    const type = typeField as FolderType
    const subfolder = String(form.get('subfolder') ?? '')
    const overwrite = ['true', '1'].includes(String(form.get('overwrite') ?? ''))
    let bytes: Uint8Array = new Uint8Array(await file.arrayBuffer())
    if (mask) {
      // /upload/mask: the original image with the uploaded image's alpha; nothing is written if the original is missing.
      let ref: { filename?: string; subfolder?: string; type?: string }
      try {
        ref = JSON.parse(String(form.get('original_ref') ?? '')) as typeof ref
      } catch {
        res.status(400).end()
        return
      }
      const refType = (ref.type ?? 'output') as FolderType
      const originalPath = join(folders.dir(refType), ref.subfolder ?? '', basename(String(ref.filename ?? '')))
      if (!existsSync(originalPath)) {
        res.json({ name: basename(file.name), subfolder, type })
        return
      }
      try {
        const original = decodePng(readFileSync(originalPath))
        const alpha = decodePng(bytes)
        const rgba = new Uint8Array(original.rgba)
        for (let p = 0; p < original.width * original.height; p++) {
          const x = p % original.width
          const y = Math.floor(p / original.width)
          const inside = x < alpha.width && y < alpha.height
          rgba[p * 4 + 3] = inside ? alpha.rgba[(y * alpha.width + x) * 4 + 3]! : 255
        }
        bytes = encodePng({ width: original.width, height: original.height, rgba }, { alpha: true })
      } catch {
        res.status(500).type('text/plain').send('500 Internal Server Error\n\nServer got itself in trouble')
        return
      }
    }
    let name: string
    try {
      name = folders.upload(type, subfolder, basename(file.name), bytes, overwrite)
    } catch {
      res.status(400).end()
      return
    }
    res.json({ name, subfolder, type })
  }
  api.post('/upload/image', express.raw({ type: 'multipart/form-data', limit: MAX_UPLOAD }), (req, res) =>
    upload(req, res, false),
  )
  api.post('/upload/mask', express.raw({ type: 'multipart/form-data', limit: MAX_UPLOAD }), (req, res) =>
    upload(req, res, true),
  )

  api.get('/view', (req, res) => {
    let filename = req.query.filename
    if (typeof filename !== 'string') {
      res.status(404).end()
      return
    }
    // The current server resolves blake3:<hash> names through its asset system, which the stand-in keeps off.
    if (state.profile === 'current' && filename.startsWith('blake3:')) {
      res.status(404).end()
      return
    }
    let type = String(req.query.type ?? 'output')
    const m = /^(.*) \[(input|output|temp)\]$/.exec(filename)
    if (m) {
      filename = m[1]!
      type = m[2]!
    }
    if (filename.startsWith('/') || filename.includes('..')) {
      res.status(400).end()
      return
    }
    filename = basename(filename)
    if (!['input', 'output', 'temp'].includes(type)) {
      res.status(400).end()
      return
    }
    const base = folders.dir(type as FolderType)
    const dir = join(base, String(req.query.subfolder ?? ''))
    if (!folders.isInside(dir, base)) {
      res.status(403).end()
      return
    }
    const path = join(dir, filename)
    if (!existsSync(path) || !statSync(path).isFile()) {
      res.status(404).end()
      return
    }
    const ext = extname(filename).toLowerCase()
    const ctype = FORCED_DOWNLOAD.has(ext)
      ? 'application/octet-stream'
      : (CONTENT_TYPES[ext] ?? 'application/octet-stream')
    res.setHeader('Content-Type', ctype)
    if (state.profile === 'current') {
      res.setHeader('X-Content-Type-Options', 'nosniff')
      res.setHeader('Content-Disposition', `filename="${filename.replace(/"/g, '\\"')}"`)
    } else {
      res.setHeader('Content-Disposition', `filename="${filename}"`)
    }
    res.send(readFileSync(path))
  })
  api.post('/upload/image', express.raw({ type: 'multipart/form-data', limit: MAX_UPLOAD }), (req, res) =>
    upload(req, res, false),
  )
  api.post('/upload/mask', express.raw({ type: 'multipart/form-data', limit: MAX_UPLOAD }), (req, res) =>
    upload(req, res, true),
  )
}
