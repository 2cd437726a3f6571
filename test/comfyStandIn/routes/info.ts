/** What a client asks first: node definitions (per request, as the real server computes them), system stats, features, models. */
import type { Router } from 'express'
import { replacementMap } from '../nodeReplacements.js'
import { serverFeatures } from '../profile.js'
import type { StandInState } from '../state.js'

export function infoRoutes(api: Router, state: StandInState): void {
  const { objectInfo, stats, profile } = state
  api.get('/object_info', (_req, res) => {
    res.json(objectInfo())
  })
  api.get('/object_info/:cls', (req, res) => {
    const def = objectInfo()[String(req.params.cls)]
    res.json(def ? { [String(req.params.cls)]: def } : {})
  })
  api.get('/system_stats', (_req, res) => {
    res.json(stats)
  })
  api.get('/features', (_req, res) => {
    res.json(serverFeatures(profile))
  })
  if (profile === 'current') {
    api.get('/node_replacements', (_req, res) => {
      res.json(replacementMap())
    })
  }
  api.get('/embeddings', (_req, res) => {
    res.json([])
  })
  api.get('/models', (_req, res) => {
    res.json([])
  })
  api.get('/experiment/models', (_req, res) => {
    res.json([])
  })
}
