/** What the real frontend loads at start-up (users, settings, user data, extension list), so browser tests can run it against the stand-in. */
import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import express, { type Router } from 'express'
import { MAX_UPLOAD, type StandInState } from '../state.js'

export function frontendRoutes(api: Router, state: StandInState): void {
  const { settings, userdata, extensionDirs } = state
  api.get('/users', (_req, res) => {
    res.json({ storage: 'server', migrated: true })
  })
  api.get('/i18n', (_req, res) => {
    res.json({})
  })
  api.get('/settings', (_req, res) => {
    res.json(settings)
  })
  api.post('/settings', express.json(), (req, res) => {
    Object.assign(settings, req.body)
    res.end()
  })
  api.get('/settings/:id', (req, res) => {
    res.json(settings[String(req.params.id)] ?? null)
  })
  api.post('/settings/:id', express.json({ strict: false }), (req, res) => {
    settings[String(req.params.id)] = req.body
    res.end()
  })
  api.get('/userdata', (req, res) => {
    const dir = String(req.query.dir ?? '')
    const files = [...userdata.keys()].filter((k) => k.startsWith(`${dir}/`))
    if (files.length === 0) {
      res.status(404).type('text/plain').send('Not Found')
      return
    }
    res.json(files.map((f) => f.slice(dir.length + 1)))
  })
  api.get('/userdata/:file', (req, res) => {
    const data = userdata.get(decodeURIComponent(String(req.params.file)))
    if (!data) {
      res.status(404).end()
      return
    }
    res.send(data)
  })
  api.post('/userdata/:file', express.raw({ type: () => true, limit: MAX_UPLOAD }), (req, res) => {
    const file = decodeURIComponent(String(req.params.file))
    userdata.set(file, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))
    res.json(file)
  })
  api.delete('/userdata/:file', (req, res) => {
    const file = decodeURIComponent(String(req.params.file))
    if (!userdata.delete(file)) {
      res.status(404).end()
      return
    }
    res.status(204).end()
  })
  // What the real frontend loads at start-up, so browser tests can run it against the stand-in.
  api.get('/extensions', (_req, res) => {
    const list: string[] = []
    for (const [name, dir] of Object.entries(extensionDirs)) {
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name)
          if (e.isDirectory()) walk(p)
          else if (e.name.endsWith('.js'))
            list.push(`/extensions/${encodeURIComponent(name)}/${relative(dir, p).split('\\').join('/')}`)
        }
      }
      if (existsSync(dir)) walk(dir)
    }
    res.json(list)
  })
}
