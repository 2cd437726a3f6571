/**
 * The current server's jobs API and cancel routes. Their paths already start
 * with `/api` (server.py registers `/api/jobs`), so mounted bare and under
 * `/api` they answer at `/api/jobs…` and `/api/api/jobs…`, never at `/jobs`.
 * Where a profile has no such route, `methodNotAllowedOnJobs` answers what
 * aiohttp's static route does: 405 to a non-GET (a GET gets Express's 404).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import type { Executor } from '../executor.js'
import { findJob, isCanonicalUuid, listJobs, parseJobQuery } from '../jobs.js'
import { pyRepr } from '../python.js'

/** Cancel one job whatever its state (jobs.py cancel_job); whether a cancel was dispatched. */
function cancelJob(executor: Executor, id: string): boolean {
  if (executor.runningPromptId === id) return executor.interruptIfRunning(id)
  if (executor.pendingItems.some((i) => i.promptId === id)) {
    // If it left the queue in between, it may be running now: interrupt that one only.
    return executor.dequeue(id) || executor.interruptIfRunning(id)
  }
  // Finished (in history) or unknown: nothing to do.
  return false
}

export function jobRoutes(router: Router, executor: Executor): void {
  router.get('/api/jobs', (req, res) => {
    const query = parseJobQuery(new URL(req.originalUrl, 'http://stand-in').searchParams)
    if ('error' in query) {
      res.status(400).json({ error: query.error })
      return
    }
    const { jobs, total } = listJobs(executor, query)
    res.json({
      jobs,
      pagination: {
        offset: query.offset,
        limit: query.limit ?? null,
        total,
        has_more: query.offset + jobs.length < total,
      },
    })
  })
  // Before /api/jobs/:id, which would otherwise never see a POST anyway.
  router.post('/api/jobs/cancel', express.raw({ type: () => true }), (req, res) => {
    let body: unknown
    try {
      body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '')
    } catch {
      res.status(400).json({ error: 'Request body must be valid JSON' })
      return
    }
    const ids =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as { job_ids?: unknown }).job_ids
        : undefined
    if (!Array.isArray(ids)) {
      res.status(400).json({ error: 'job_ids must be a list' })
      return
    }
    const invalid = ids.filter((id) => !isCanonicalUuid(id)).map((id) => (typeof id === 'string' ? id : pyRepr(id)))
    if (invalid.length > 0) {
      res.status(400).json({ error: 'job_ids contains invalid id(s)', invalid_ids: invalid })
      return
    }
    let cancelled = false
    for (const id of ids as string[]) if (cancelJob(executor, id)) cancelled = true
    res.json({ cancelled })
  })
  router.get('/api/jobs/:id', (req, res) => {
    const job = findJob(executor, String(req.params.id))
    if (job) res.json(job)
    else res.status(404).json({ error: 'Job not found' })
  })
  // No body is read and the id is not checked: any string is looked up.
  router.post('/api/jobs/:id/cancel', (req, res) => {
    res.json({ cancelled: cancelJob(executor, String(req.params.id)) })
  })
}

const JOBS_PATH = /^\/(api\/)*jobs(\/|$)/

/** What aiohttp's static route answers to a non-GET request on a path it does not serve. */
export function methodNotAllowedOnJobs(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD' || !JOBS_PATH.test(req.path)) {
    next()
    return
  }
  res.status(405).set('Allow', 'GET,HEAD').type('text/plain').send('405: Method Not Allowed')
}
