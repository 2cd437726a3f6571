/**
 * The stand-in's `current` profile (ComfyUI 0.46, docs/comfyui-server-generations.md)
 * as a client sees it over HTTP and WebSocket: version and feature flags, the jobs
 * API, atomic cancel, canonical-UUID prompt ids, missing_node_type, node
 * replacements and restarts; and that the default 0.3.75 profile has none of it.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ObjectInfo } from '../../shared/workflow/objectInfo.js'
import { loadObjectInfo } from '../helpers/fixtures.js'
import { applyReplacements } from './nodeReplacements.js'
import { startComfyStandIn, type ComfyStandIn } from './server.js'

type Json = Record<string, unknown>

interface Answer {
  status: number
  body: Json
}

async function request(comfy: ComfyStandIn, path: string, init?: { method?: string; body?: unknown; raw?: string }) {
  const res = await fetch(`${comfy.url}${path}`, {
    method: init?.method ?? (init?.body !== undefined || init?.raw !== undefined ? 'POST' : 'GET'),
    ...(init?.raw !== undefined ? { body: init.raw } : {}),
    ...(init?.body !== undefined
      ? { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }
      : {}),
  })
  const text = await res.text()
  let body: Json
  try {
    body = JSON.parse(text) as Json
  } catch {
    body = { text }
  }
  return { status: res.status, body }
}

const post = (comfy: ComfyStandIn, path: string, body?: unknown): Promise<Answer> =>
  request(comfy, path, body === undefined ? { method: 'POST' } : { body })

let seq = 0
/** A prompt that previews a unique text, after sleeping `steps` × `stepMs` when asked. */
function textPrompt(steps = 0, stepMs = 20): Json {
  seq += 1
  const prompt: Json = { '1': { class_type: 'PrimitiveString', inputs: { value: `text ${seq} ${Math.random()}` } } }
  if (steps > 0) {
    prompt['2'] = { class_type: 'DiscomfortTestSleep', inputs: { value: ['1', 0], steps, step_ms: stepMs } }
    prompt['3'] = { class_type: 'PreviewAny', inputs: { source: ['2', 0] } }
  } else {
    prompt['3'] = { class_type: 'PreviewAny', inputs: { source: ['1', 0] } }
  }
  return prompt
}

async function queue(comfy: ComfyStandIn, body: Json): Promise<string> {
  const res = await post(comfy, '/prompt', body)
  expect(res.status).toBe(200)
  return String(res.body.prompt_id)
}

async function job(comfy: ComfyStandIn, id: string): Promise<Answer> {
  return request(comfy, `/api/jobs/${id}`)
}

async function until<T>(what: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await what()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** The job once it reached `status` (one of them, when a list). */
async function jobWhen(comfy: ComfyStandIn, id: string, status: string | string[]): Promise<Json> {
  const wanted = Array.isArray(status) ? status : [status]
  return until(async () => {
    const res = await job(comfy, id)
    return res.status === 200 && wanted.includes(String(res.body.status)) ? res.body : undefined
  })
}

const finished = ['completed', 'failed', 'cancelled']

describe("profile 'current': identity and feature flags", () => {
  let comfy: ComfyStandIn
  beforeAll(async () => {
    comfy = await startComfyStandIn({ profile: 'current' })
  })
  afterAll(() => comfy.close())

  const flags = {
    supports_preview_metadata: true,
    supports_model_type_tags: true,
    max_upload_size: 100 * 1024 * 1024,
    extension: { manager: { supports_v4: true } },
    node_replacements: true,
    assets: false,
  }

  it('says which profile it plays', () => {
    expect(comfy.profile).toBe('current')
  })

  it('/system_stats reports ComfyUI 0.46.0 on linux with frontend 1.58.1', async () => {
    for (const path of ['/system_stats', '/api/system_stats']) {
      const { status, body } = await request(comfy, path)
      expect(status).toBe(200)
      const system = body.system as Json
      expect(system.comfyui_version).toBe('0.46.0')
      expect(system.required_frontend_version).toBe('1.58.1')
      expect(system.os).toBe('linux')
      expect(system.comfy_package_versions).toEqual({})
      expect(typeof system.deploy_environment).toBe('string')
      expect(typeof system.installed_templates_version).toBe('string')
      expect(typeof system.required_templates_version).toBe('string')
      expect(Array.isArray(body.devices)).toBe(true)
    }
  })

  it('/features and the WebSocket feature_flags answer give the current flags', async () => {
    expect((await request(comfy, '/features')).body).toEqual(flags)
    expect((await request(comfy, '/api/features')).body).toEqual(flags)
    const ws = new WebSocket(`${comfy.url.replace('http', 'ws')}/ws?clientId=flags`)
    const messages: Json[] = []
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Json))
    await new Promise((resolve) => ws.on('open', resolve))
    ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }))
    // Only the first text message is read: a second one gets no answer.
    ws.send(JSON.stringify({ type: 'feature_flags', data: {} }))
    const reply = await until(async () => messages.find((m) => m.type === 'feature_flags'))
    expect(reply.data).toEqual(flags)
    await new Promise((r) => setTimeout(r, 50))
    expect(messages.filter((m) => m.type === 'feature_flags')).toHaveLength(1)
    ws.close()
  })
})

describe("profile 'current': node replacements", () => {
  let comfy: ComfyStandIn
  beforeAll(async () => {
    comfy = await startComfyStandIn({ profile: 'current' })
  })
  afterAll(() => comfy.close())

  it('GET /node_replacements and /api/node_replacements list the built-in map in NodeReplace form', async () => {
    for (const path of ['/node_replacements', '/api/node_replacements']) {
      const { status, body } = await request(comfy, path)
      expect(status).toBe(200)
      expect(body.ImageBatch).toEqual([
        {
          new_node_id: 'BatchImagesNode',
          old_node_id: 'ImageBatch',
          old_widget_ids: null,
          input_mapping: [
            { new_id: 'images.image0', old_id: 'image1' },
            { new_id: 'images.image1', old_id: 'image2' },
          ],
          output_mapping: null,
        },
      ])
      expect(Object.keys(body)).toContain('ConditioningAverage ')
    }
  })

  it('a missing class with a loaded target is replaced before validation (errors name the new class)', async () => {
    const info = (await request(comfy, '/object_info')).body
    expect(info).not.toHaveProperty('Preview3DAnimation')
    expect(info).toHaveProperty('ImageBatch')
    expect(info.Preview3D).toMatchObject({ is_input_list: false, has_intermediate_output: false, search_aliases: [] })
    const { status, body } = await post(comfy, '/prompt', {
      prompt: {
        '1': { class_type: 'Preview3DAnimation', inputs: { model_file: 'a.glb' }, _meta: { title: 'Old preview' } },
      },
    })
    // Preview3D is rebuilt from input_mapping only (none here), so its required input is missing.
    expect(status).toBe(400)
    expect((body.error as Json).type).toBe('prompt_outputs_failed_validation')
    const errors = body.node_errors as Record<string, { class_type: string; errors: Json[] }>
    expect(errors['1']!.class_type).toBe('Preview3D')
    expect(errors['1']!.errors[0]!.type).toBe('required_input_missing')
  })

  it('the queued prompt carries the new class', async () => {
    const res = await post(comfy, '/prompt', {
      prompt: {
        '1': { class_type: 'Preview3DAnimation', inputs: {}, _meta: { title: 'Old preview' } },
        '2': { class_type: 'PreviewAny', inputs: { source: 'still runs' } },
      },
    })
    expect(res.status).toBe(200)
    expect((res.body.node_errors as Record<string, Json>)['1']!.class_type).toBe('Preview3D')
    const detail = await jobWhen(comfy, String(res.body.prompt_id), finished)
    expect(((detail.workflow as Json).prompt as Json)['1']).toEqual({
      class_type: 'Preview3D',
      inputs: {},
      _meta: { title: 'Old preview' },
    })
    expect(detail.outputs).toEqual({ '2': { text: ['still runs'] } })
  })

  it('a loaded class is left alone; a missing one is rebuilt through input_mapping and output_mapping', () => {
    const info: ObjectInfo = loadObjectInfo()
    const prompt: Json = {
      '1': { class_type: 'ImageBatch', inputs: { image1: ['5', 0], image2: ['6', 0] } },
      last_node_id: 7,
    }
    applyReplacements(prompt, info)
    expect((prompt['1'] as Json).class_type).toBe('ImageBatch')

    const withoutBatch: ObjectInfo = { ...info, BatchImagesNode: info.ImageBatch! }
    delete withoutBatch.ImageBatch
    applyReplacements(prompt, withoutBatch)
    expect(prompt['1']).toEqual({
      class_type: 'BatchImagesNode',
      inputs: { 'images.image0': ['5', 0], 'images.image1': ['6', 0] },
      _meta: {},
    })

    const withMaxDimension: ObjectInfo = { ...info, ImageScaleToMaxDimension: info.ImageScale! }
    const resize: Json = {
      '2': { class_type: 'ResizeImagesByLongerEdge', inputs: { images: ['1', 0], longer_edge: 64 } },
      '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
    }
    applyReplacements(resize, withMaxDimension)
    expect((resize['2'] as Json).inputs).toEqual({ image: ['1', 0], largest_size: 64, upscale_method: 'lanczos' })
    expect(((resize['3'] as Json).inputs as Json).images).toEqual(['2', 0])
    // Without the target, nothing changes.
    const kept: Json = {
      '2': { class_type: 'ResizeImagesByLongerEdge', inputs: { images: ['1', 0], longer_edge: 64 } },
    }
    applyReplacements(kept, info)
    expect((kept['2'] as Json).class_type).toBe('ResizeImagesByLongerEdge')
  })
})

describe("profile 'current': POST /prompt", () => {
  let comfy: ComfyStandIn
  beforeAll(async () => {
    comfy = await startComfyStandIn({ profile: 'current' })
  })
  afterAll(() => comfy.close())

  const invalidId = {
    error: {
      type: 'invalid_prompt_id',
      message: 'prompt_id must be a valid UUID',
      details:
        'prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the server generate one',
      extra_info: {},
    },
    node_errors: {},
  }
  const canonical = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

  it('mints a canonical UUID when prompt_id is absent or null, and keeps a canonical one', async () => {
    const minted = await post(comfy, '/prompt', { prompt: textPrompt() })
    expect(String(minted.body.prompt_id)).toMatch(canonical)
    const fromNull = await post(comfy, '/prompt', { prompt: textPrompt(), prompt_id: null })
    expect(String(fromNull.body.prompt_id)).toMatch(canonical)
    const mine = randomUUID()
    expect((await post(comfy, '/prompt', { prompt: textPrompt(), prompt_id: mine })).body.prompt_id).toBe(mine)
    const nil = '00000000-0000-0000-0000-000000000000'
    expect((await post(comfy, '/prompt', { prompt: textPrompt(), prompt_id: nil })).body.prompt_id).toBe(nil)
  })

  it('refuses any other prompt_id with 400 invalid_prompt_id', async () => {
    const id = randomUUID()
    for (const bad of [
      'run-1',
      id.toUpperCase(),
      `{${id}}`,
      `urn:uuid:${id}`,
      id.replace(/-/g, ''),
      '',
      42,
      true,
      [id],
      { id },
    ]) {
      const res = await post(comfy, '/prompt', { prompt: textPrompt(), prompt_id: bad })
      expect(res, String(bad)).toEqual({ status: 400, body: invalidId })
    }
  })

  it('checks no_prompt before the id, and the number advances even for refused requests', async () => {
    const first = await post(comfy, '/prompt', { prompt: textPrompt() })
    const n = Number(first.body.number)
    const noPrompt = await post(comfy, '/prompt', { prompt_id: 'not-a-uuid' })
    expect(noPrompt.status).toBe(400)
    expect((noPrompt.body.error as Json).type).toBe('no_prompt')
    expect((await post(comfy, '/prompt', { prompt: textPrompt(), prompt_id: 'x' })).status).toBe(400)
    expect((await post(comfy, '/prompt', { prompt: { '1': { class_type: 'Nope', inputs: {} } } })).status).toBe(400)
    const next = await post(comfy, '/prompt', { prompt: textPrompt() })
    expect(next.body.number).toBe(n + 4)
  })

  it('answers missing_node_type for an unknown class or a node without class_type', async () => {
    const unknown = await post(comfy, '/prompt', {
      prompt: { '7': { class_type: 'NotANode', inputs: {}, _meta: { title: 'My node' } } },
    })
    expect(unknown).toEqual({
      status: 400,
      body: {
        error: {
          type: 'missing_node_type',
          message: "Node 'My node' not found. The custom node may not be installed.",
          details: "Node ID '#7'",
          extra_info: { node_id: '7', class_type: 'NotANode', node_title: 'My node' },
        },
        node_errors: {},
      },
    })
    const untitled = await post(comfy, '/prompt', { prompt: { '7': { class_type: 'NotANode', inputs: {} } } })
    expect((untitled.body.error as Json).message).toBe(
      "Node 'NotANode' not found. The custom node may not be installed.",
    )
    const noClass = await post(comfy, '/prompt', { prompt: { '4': { inputs: {} } } })
    expect(noClass.body.error).toEqual({
      type: 'missing_node_type',
      message: "Node 'ID #4' has no class_type. The workflow may be corrupted or a custom node is missing.",
      details: "Node ID '#4'",
      extra_info: { node_id: '4', class_type: null, node_title: null },
    })
  })

  it('a prompt that is not an object is a 500', async () => {
    expect((await post(comfy, '/prompt', { prompt: [] })).status).toBe(500)
  })

  it('stores create_time in extra_data, keeps credentials out of it and copies Comfy-Usage-Source', async () => {
    const before = Date.now()
    const res = await fetch(`${comfy.url}/prompt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Comfy-Usage-Source': 'test-suite' },
      body: JSON.stringify({
        prompt: textPrompt(),
        client_id: 'cid',
        extra_data: {
          auth_token_comfy_org: 'secret',
          api_key_comfy_org: 'key',
          extra_pnginfo: { workflow: { id: 'wf' } },
        },
      }),
    })
    const id = String(((await res.json()) as Json).prompt_id)
    const done = await jobWhen(comfy, id, finished)
    const detail = (await job(comfy, id)).body
    const extra = (detail.workflow as Json).extra_data as Json
    expect(extra.create_time).toBeGreaterThanOrEqual(before)
    expect(extra.client_id).toBe('cid')
    expect(extra.comfy_usage_source).toBe('test-suite')
    expect(extra).not.toHaveProperty('auth_token_comfy_org')
    expect(extra).not.toHaveProperty('api_key_comfy_org')
    expect(done.create_time).toBe(extra.create_time)
    const history = (await request(comfy, `/history/${id}`)).body[id] as { prompt: unknown[] }
    expect(history.prompt[3]).toEqual(extra)
  })
})

describe("profile 'current': GET /api/jobs and /api/jobs/{id}", () => {
  let comfy: ComfyStandIn
  beforeAll(async () => {
    comfy = await startComfyStandIn({ profile: 'current' })
  })
  afterAll(() => comfy.close())

  it('lives under /api only', async () => {
    expect((await request(comfy, '/jobs')).status).toBe(404)
    expect((await request(comfy, `/jobs/${randomUUID()}`)).status).toBe(404)
    expect((await request(comfy, '/api/jobs')).status).toBe(200)
    expect((await request(comfy, '/api/api/jobs')).status).toBe(200)
  })

  it('refuses bad query parameters in order, with a bare error string', async () => {
    const cases: Array<[string, string]> = [
      [
        'status=done,Pending, ,bogus',
        'Invalid status value(s): done, bogus. Valid values: pending, in_progress, completed, failed, cancelled',
      ],
      [
        'status=bogus&sort_by=x',
        'Invalid status value(s): bogus. Valid values: pending, in_progress, completed, failed, cancelled',
      ],
      ['sort_by=name&sort_order=up', "sort_by must be 'created_at' or 'execution_duration'"],
      ['sort_order=up&limit=0', "sort_order must be 'asc' or 'desc'"],
      ['limit=0&offset=x', 'limit must be a positive integer'],
      ['limit=-2', 'limit must be a positive integer'],
      ['limit=1.5', 'limit must be an integer'],
      ['limit=ten', 'limit must be an integer'],
      ['offset=1.5', 'offset must be an integer'],
    ]
    for (const [query, error] of cases) {
      expect(await request(comfy, `/api/jobs?${query}`), query).toEqual({ status: 400, body: { error } })
    }
    const ok = await request(
      comfy,
      '/api/jobs?status=%20COMPLETED%20,,failed&sort_by=EXECUTION_DURATION&sort_order=ASC&offset=-3',
    )
    expect(ok.status).toBe(200)
    expect((ok.body.pagination as Json).offset).toBe(0)
  })

  it('lists jobs of a workflow, sorted stably by create_time, paged, with null keys left out', async () => {
    const wf = `wf-${randomUUID()}`
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      ids.push(await queue(comfy, { prompt: textPrompt(), extra_data: { extra_pnginfo: { workflow: { id: wf } } } }))
      await new Promise((r) => setTimeout(r, 5))
    }
    for (const id of ids) await jobWhen(comfy, id, 'completed')
    const other = await queue(comfy, { prompt: textPrompt() })
    await jobWhen(comfy, other, 'completed')

    const all = await request(comfy, `/api/jobs?workflow_id=${wf}`)
    expect(all.status).toBe(200)
    expect((all.body.jobs as Json[]).map((j) => j.id)).toEqual([...ids].reverse())
    expect(all.body.pagination).toEqual({ offset: 0, limit: null, total: 3, has_more: false })
    const asc = await request(comfy, `/api/jobs?workflow_id=${wf}&sort_order=asc`)
    expect((asc.body.jobs as Json[]).map((j) => j.id)).toEqual(ids)
    const page = await request(comfy, `/api/jobs?workflow_id=${wf}&sort_order=asc&limit=1&offset=1`)
    expect((page.body.jobs as Json[]).map((j) => j.id)).toEqual([ids[1]])
    expect(page.body.pagination).toEqual({ offset: 1, limit: 1, total: 3, has_more: true })
    const last = await request(comfy, `/api/jobs?workflow_id=${wf}&sort_order=asc&limit=5&offset=2`)
    expect(last.body.pagination).toEqual({ offset: 2, limit: 5, total: 3, has_more: false })
    expect((await request(comfy, `/api/jobs?workflow_id=${wf}&status=failed`)).body.pagination).toEqual({
      offset: 0,
      limit: null,
      total: 0,
      has_more: false,
    })

    const listed = (all.body.jobs as Json[])[0]!
    expect(listed.workflow_id).toBe(wf)
    expect(listed).not.toHaveProperty('outputs')
    expect(listed).not.toHaveProperty('workflow')
    expect(listed).not.toHaveProperty('execution_error')
    const anonymous = (await request(comfy, '/api/jobs?limit=100')).body.jobs as Json[]
    const plain = anonymous.find((j) => j.id === other)!
    expect(plain).not.toHaveProperty('workflow_id')
    expect(Object.values(plain)).not.toContain(null)
  })

  it('a completed text job: detail with outputs, times, text preview; text is not counted', async () => {
    const long = 'x'.repeat(1500)
    const id = await queue(comfy, {
      prompt: { '1': { class_type: 'PreviewAny', inputs: { source: long } } },
      client_id: 'someone',
    })
    const detail = await jobWhen(comfy, id, 'completed')
    expect(detail.id).toBe(id)
    expect(detail.outputs_count).toBe(0)
    expect(detail.previewable_outputs_count).toBe(0)
    expect(detail.preview_output).toEqual({
      content: 'x'.repeat(1024),
      truncated: true,
      nodeId: '1',
      mediaType: 'text',
    })
    expect(detail.outputs).toEqual({ '1': { text: [long] } })
    expect(detail.execution_status).toMatchObject({ status_str: 'success', completed: true })
    expect(typeof detail.priority).toBe('number')
    expect(detail.create_time).toEqual(expect.any(Number))
    const start = Number(detail.execution_start_time)
    const end = Number(detail.execution_end_time)
    expect(start).toBeGreaterThanOrEqual(Number(detail.create_time))
    expect(end).toBeGreaterThanOrEqual(start)
    const messages = (detail.execution_status as { messages: Array<[string, Json]> }).messages
    expect(messages.find(([t]) => t === 'execution_start')![1].timestamp).toBe(start)
    expect(messages.find(([t]) => t === 'execution_success')![1].timestamp).toBe(end)
    expect((detail.workflow as Json).prompt).toEqual({ '1': { class_type: 'PreviewAny', inputs: { source: long } } })
  })

  it('a completed image job: counted, previewable, the saved image as preview', async () => {
    const id = await queue(comfy, {
      prompt: {
        '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 2, color: 0 } },
        '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
        '3': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'jobs' } },
      },
    })
    const detail = await jobWhen(comfy, id, 'completed')
    expect(detail.outputs_count).toBe(4)
    expect(detail.previewable_outputs_count).toBe(4)
    expect(detail.preview_output).toMatchObject({ type: 'output', nodeId: '3', mediaType: 'images', subfolder: '' })
    expect(String((detail.preview_output as Json).filename)).toMatch(/^jobs_\d+_\.png$/)
  })

  it('a failed job carries execution_error; pending and running jobs show their workflow', async () => {
    const slow = await queue(comfy, { prompt: textPrompt(100, 10) })
    const failing = await queue(comfy, {
      prompt: {
        '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
        '2': {
          class_type: 'ImageScale',
          inputs: { image: ['1', 0], upscale_method: 'nearest-exact', width: 4, height: 4, crop: 'disabled' },
        },
        '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
      },
    })
    const running = await jobWhen(comfy, slow, 'in_progress')
    expect(running).toMatchObject({ status: 'in_progress', outputs_count: 0, previewable_outputs_count: 0 })
    expect((running.workflow as Json).prompt).toBeDefined()
    const pending = (await job(comfy, failing)).body
    expect(pending).toMatchObject({ id: failing, status: 'pending', outputs_count: 0 })
    expect((pending.workflow as Json).extra_data).toHaveProperty('create_time')
    const listed = await request(comfy, '/api/jobs?status=pending,in_progress&sort_order=asc')
    expect((listed.body.jobs as Json[]).map((j) => [j.id, j.status])).toEqual([
      [slow, 'in_progress'],
      [failing, 'pending'],
    ])
    expect((await post(comfy, `/api/jobs/${slow}/cancel`)).body).toEqual({ cancelled: true })
    const failed = await jobWhen(comfy, failing, finished)
    expect(failed.status).toBe('failed')
    expect(failed.execution_error).toMatchObject({
      prompt_id: failing,
      node_id: '2',
      node_type: 'ImageScale',
    })
    expect(failed.execution_end_time).toBe((failed.execution_error as Json).timestamp)
  })

  it('/view marks files nosniff and knows no blake3: names (assets off)', async () => {
    const id = await queue(comfy, {
      prompt: {
        '1': { class_type: 'EmptyImage', inputs: { width: 4, height: 4, batch_size: 1, color: 0 } },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'viewed' } },
      },
    })
    const image = (await jobWhen(comfy, id, 'completed')).preview_output as Json
    const res = await fetch(`${comfy.url}/view?filename=${String(image.filename)}&type=output&subfolder=`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-disposition')).toBe(`filename="${String(image.filename)}"`)
    expect((await fetch(`${comfy.url}/view?filename=blake3:${'0'.repeat(64)}`)).status).toBe(404)
  })

  it('an unknown id is 404 {"error": "Job not found"}, whatever its form', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      expect(await job(comfy, id)).toEqual({ status: 404, body: { error: 'Job not found' } })
    }
  })
})

describe("profile 'current': cancel", () => {
  let comfy: ComfyStandIn
  beforeAll(async () => {
    comfy = await startComfyStandIn({ profile: 'current' })
  })
  afterAll(() => comfy.close())

  it('a running job is interrupted (cancelled), and the next prompt still runs to completion', async () => {
    const running = await queue(comfy, { prompt: textPrompt(200, 10) })
    const next = await queue(comfy, { prompt: textPrompt(3, 5) })
    await jobWhen(comfy, running, 'in_progress')
    expect(await post(comfy, `/api/jobs/${running}/cancel`)).toEqual({ status: 200, body: { cancelled: true } })
    const cancelled = await jobWhen(comfy, running, finished)
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled).not.toHaveProperty('execution_error')
    expect(cancelled.execution_end_time).toEqual(expect.any(Number))
    expect((await jobWhen(comfy, next, finished)).status).toBe('completed')
    // Finished jobs, and ids never seen, are not cancelled.
    expect((await post(comfy, `/api/jobs/${next}/cancel`)).body).toEqual({ cancelled: false })
    expect((await post(comfy, `/api/jobs/${randomUUID()}/cancel`)).body).toEqual({ cancelled: false })
    expect((await post(comfy, '/api/jobs/whatever/cancel')).body).toEqual({ cancelled: false })
    expect((await post(comfy, '/api/api/jobs/whatever/cancel')).body).toEqual({ cancelled: false })
  })

  it('a pending job vanishes: 404 in jobs, {} in history, gone from /queue; the running one goes on', async () => {
    const running = await queue(comfy, { prompt: textPrompt(40, 10) })
    const pending = await queue(comfy, { prompt: textPrompt() })
    await jobWhen(comfy, running, 'in_progress')
    expect((await post(comfy, `/api/jobs/${pending}/cancel`)).body).toEqual({ cancelled: true })
    expect((await job(comfy, pending)).status).toBe(404)
    const q = (await request(comfy, '/queue')).body as { queue_pending: unknown[][]; queue_running: unknown[][] }
    expect(q.queue_pending.map((i) => i[1])).not.toContain(pending)
    expect((await jobWhen(comfy, running, finished)).status).toBe('completed')
    expect((await request(comfy, `/history/${pending}`)).body).toEqual({})
    expect((await job(comfy, pending)).status).toBe(404)
  })

  it('cancelling a finished id while another prompt runs leaves that prompt alone', async () => {
    const first = await queue(comfy, { prompt: textPrompt() })
    await jobWhen(comfy, first, 'completed')
    const running = await queue(comfy, { prompt: textPrompt(20, 10) })
    await jobWhen(comfy, running, 'in_progress')
    expect((await post(comfy, `/api/jobs/${first}/cancel`)).body).toEqual({ cancelled: false })
    expect((await jobWhen(comfy, running, finished)).status).toBe('completed')
  })

  it('POST /api/jobs/cancel: 400s for a bad body, then cancels every listed id it can', async () => {
    const bad = async (raw: string | undefined, body: Json) =>
      expect(await request(comfy, '/api/jobs/cancel', raw === undefined ? { method: 'POST' } : { raw })).toEqual({
        status: 400,
        body,
      })
    await bad(undefined, { error: 'Request body must be valid JSON' })
    await bad('{not json', { error: 'Request body must be valid JSON' })
    await bad('[]', { error: 'job_ids must be a list' })
    await bad('{}', { error: 'job_ids must be a list' })
    await bad('{"job_ids": "abc"}', { error: 'job_ids must be a list' })

    const running = await queue(comfy, { prompt: textPrompt(100, 10) })
    const pending = await queue(comfy, { prompt: textPrompt() })
    await jobWhen(comfy, running, 'in_progress')
    await bad(JSON.stringify({ job_ids: [pending, 'nope', 5, null, pending.toUpperCase()] }), {
      error: 'job_ids contains invalid id(s)',
      invalid_ids: ['nope', '5', 'None', pending.toUpperCase()],
    })
    // Nothing was cancelled by the refused request.
    expect((await job(comfy, pending)).body.status).toBe('pending')
    expect((await post(comfy, '/api/jobs/cancel', { job_ids: [] })).body).toEqual({ cancelled: false })
    expect((await post(comfy, '/api/jobs/cancel', { job_ids: [randomUUID()] })).body).toEqual({ cancelled: false })
    expect((await post(comfy, '/api/jobs/cancel', { job_ids: [pending, running, randomUUID()] })).body).toEqual({
      cancelled: true,
    })
    expect((await job(comfy, pending)).status).toBe(404)
    expect((await jobWhen(comfy, running, finished)).status).toBe('cancelled')
  })

  it('/interrupt still works, and an interrupted job reads cancelled', async () => {
    const running = await queue(comfy, { prompt: textPrompt(100, 10) })
    await jobWhen(comfy, running, 'in_progress')
    expect((await post(comfy, '/interrupt', { prompt_id: running })).status).toBe(200)
    expect((await jobWhen(comfy, running, finished)).status).toBe('cancelled')
  })
})

describe('restart: nothing survives', () => {
  for (const profile of ['current', '0.3.75'] as const) {
    it(`${profile}: queue, running prompt, history and the queue counter are gone`, async () => {
      const comfy = await startComfyStandIn({ profile })
      try {
        const done = await queue(comfy, { prompt: textPrompt(), prompt_id: randomUUID() })
        await until(async () => {
          const h = (await request(comfy, `/history/${done}`)).body
          return Object.keys(h).length > 0 ? true : undefined
        })
        const running = await queue(comfy, { prompt: textPrompt(200, 10), prompt_id: randomUUID() })
        const pending = await queue(comfy, { prompt: textPrompt(), prompt_id: randomUUID() })
        await until(async () => {
          const q = (await request(comfy, '/queue')).body as { queue_running: unknown[][] }
          return q.queue_running[0]?.[1] === running ? true : undefined
        })
        comfy.restart()
        expect((await request(comfy, '/queue')).body).toEqual({ queue_running: [], queue_pending: [] })
        expect((await request(comfy, '/history')).body).toEqual({})
        expect((await request(comfy, '/prompt')).body).toEqual({ exec_info: { queue_remaining: 0 } })
        for (const id of [done, running, pending]) {
          expect((await request(comfy, `/history/${id}`)).body).toEqual({})
          if (profile === 'current')
            expect(await job(comfy, id)).toEqual({ status: 404, body: { error: 'Job not found' } })
        }
        if (profile === 'current') expect((await request(comfy, '/api/jobs')).body.jobs).toEqual([])
        const after = await post(comfy, '/prompt', { prompt: textPrompt() })
        expect(after.body.number).toBe(0)
        const id = String(after.body.prompt_id)
        await until(async () => {
          const h = (await request(comfy, `/history/${id}`)).body[id] as { status: { status_str: string } } | undefined
          return h?.status.status_str === 'success' ? true : undefined
        })
      } finally {
        await comfy.close()
      }
    })
  }
})

describe("profile '0.3.75' (the default) keeps the old server's answers", () => {
  let comfy: ComfyStandIn
  beforeAll(async () => {
    comfy = await startComfyStandIn()
  })
  afterAll(() => comfy.close())

  it('is the default profile', () => {
    expect(comfy.profile).toBe('0.3.75')
  })

  it('has no jobs API: GET 404, POST 405', async () => {
    expect((await request(comfy, '/api/jobs')).status).toBe(404)
    expect((await request(comfy, `/api/jobs/${randomUUID()}`)).status).toBe(404)
    expect((await post(comfy, `/api/jobs/${randomUUID()}/cancel`)).status).toBe(405)
    expect((await post(comfy, '/api/jobs/cancel', { job_ids: [] })).status).toBe(405)
  })

  it('has no node replacements and its old feature flags', async () => {
    expect((await request(comfy, '/node_replacements')).status).toBe(404)
    expect((await request(comfy, '/api/node_replacements')).status).toBe(404)
    expect((await request(comfy, '/features')).body).toEqual({
      supports_preview_metadata: true,
      max_upload_size: 100 * 1024 * 1024,
    })
    const system = (await request(comfy, '/system_stats')).body.system as Json
    expect(system.comfyui_version).not.toBe('0.46.0')
    expect(system.os).toBe('posix')
  })

  it('accepts any prompt_id and says invalid_prompt for an unknown class', async () => {
    const res = await post(comfy, '/prompt', { prompt: textPrompt(), prompt_id: 'my-run-1' })
    expect(res.status).toBe(200)
    expect(res.body.prompt_id).toBe('my-run-1')
    const numeric = await post(comfy, '/prompt', { prompt: textPrompt(), prompt_id: 7 })
    expect(numeric.body.prompt_id).toBe('7')
    const unknown = await post(comfy, '/prompt', { prompt: { '1': { class_type: 'NotANode', inputs: {} } } })
    expect((unknown.body.error as Json).type).toBe('invalid_prompt')
    const created = (await request(comfy, '/queue')).body
    expect(JSON.stringify(created)).not.toContain('create_time')
  })
})

describe("profile 'current': cache, progress_state and /history paging", () => {
  /** The node ids execution_cached lists for a run. */
  async function cachedNodes(comfy: ComfyStandIn, prompt: Json): Promise<string[]> {
    const sid = `cache-${randomUUID()}`
    const ws = new WebSocket(`${comfy.url.replace('http', 'ws')}/ws?clientId=${sid}`)
    const messages: Json[] = []
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Json))
    await new Promise((resolve) => ws.on('open', resolve))
    const id = await queue(comfy, { prompt, client_id: sid })
    const cached = await until(async () => {
      const m = messages.find((x) => x.type === 'execution_cached' && (x.data as Json).prompt_id === id)
      return m ? ((m.data as Json).nodes as string[]) : undefined
    })
    await until(async () =>
      messages.some(
        (x) => x.type === 'executing' && (x.data as Json).node === null && (x.data as Json).prompt_id === id,
      )
        ? true
        : undefined,
    )
    ws.close()
    return cached
  }

  for (const [profile, keeps] of [
    ['current', true],
    ['0.3.75', false],
  ] as const) {
    it(`${profile}: a prompt run again after another one is ${keeps ? '' : 'not '}served from the cache`, async () => {
      const comfy = await startComfyStandIn({ profile })
      try {
        const a = textPrompt()
        await cachedNodes(comfy, a)
        await cachedNodes(comfy, textPrompt())
        expect((await cachedNodes(comfy, a)).sort()).toEqual(keeps ? ['1', '3'] : [])
      } finally {
        await comfy.close()
      }
    })
  }

  it('current: progress_state goes to the prompt’s client only', async () => {
    const comfy = await startComfyStandIn({ profile: 'current' })
    try {
      const other = new WebSocket(`${comfy.url.replace('http', 'ws')}/ws?clientId=bystander`)
      const seen: string[] = []
      other.on('message', (data) => seen.push(String((JSON.parse(String(data)) as Json).type)))
      await new Promise((resolve) => other.on('open', resolve))
      await cachedNodes(comfy, textPrompt(2, 5))
      expect(seen).toContain('status')
      expect(seen).not.toContain('progress_state')
      other.close()
    } finally {
      await comfy.close()
    }
  })

  it('current: /history honours max_items and offset; a non-integer is a 500', async () => {
    const comfy = await startComfyStandIn({ profile: 'current' })
    try {
      const ids: string[] = []
      for (let i = 0; i < 4; i++) {
        const id = await queue(comfy, { prompt: textPrompt() })
        await jobWhen(comfy, id, 'completed')
        ids.push(id)
      }
      const keys = async (query: string) => Object.keys((await request(comfy, `/history?${query}`)).body)
      expect(await keys('')).toEqual(ids)
      expect(await keys('max_items=2')).toEqual(ids.slice(2))
      expect(await keys('max_items=2&offset=1')).toEqual(ids.slice(1, 3))
      expect(await keys('offset=3')).toEqual(ids.slice(3))
      expect(await keys('max_items=2&offset=-1')).toEqual(ids.slice(2))
      expect((await request(comfy, '/history?max_items=two')).status).toBe(500)
      expect((await request(comfy, '/history?offset=1.5')).status).toBe(500)
    } finally {
      await comfy.close()
    }
  })
})
