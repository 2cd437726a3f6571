/**
 * What an agent does over MCP, with the official SDK's client against a real
 * bridge process over two ComfyUI servers: list the tools, run a batch across
 * both servers, wait for it with progress, read its images; run and chain
 * jobs through a context; and the same tools over the bridge's `/mcp` behind
 * its token. Shared by the stand-in suite and the real-ComfyUI suite.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePng } from '../../bridge/codec/png.js'
import { BIN } from './cli.js'
import { freePort } from './net.js'
import { bridgeProcess, killAll } from './processes.js'

const CANVAS = resolve(import.meta.dirname, '../../examples/workflows/make_canvas.json')
const TOKEN = 'mcp-t0ken'

type Content = CallToolResult['content'][number]
const texts = (r: CallToolResult) => r.content.filter((c): c is Extract<Content, { type: 'text' }> => c.type === 'text')
const images = (r: CallToolResult) =>
  r.content.filter((c): c is Extract<Content, { type: 'image' }> => c.type === 'image')
const structured = <T>(r: CallToolResult): T => r.structuredContent as T
const red = (data: string) => decodePng(Buffer.from(data, 'base64')).rgba[0]

/** ComfyUIs for a scenario: their addresses, and how to stop them. */
export interface Comfys {
  urls: string[]
  close(): Promise<void>
}

export function mcpScenario(where: string, startComfys: () => Promise<Comfys>, timeoutMs: number): void {
  describe(`MCP on ${where}`, () => {
    let bridgeUrl = ''
    let client: Client
    const stderr: string[] = []
    let comfys: Comfys | undefined

    beforeAll(async () => {
      comfys = await startComfys()
      const port = await freePort()
      bridgeUrl = `http://127.0.0.1:${port}`
      await bridgeProcess(mkdtempSync(join(tmpdir(), 'mcp-')), comfys.urls, port, ['--token', TOKEN])
      // As an MCP client's configuration starts it: a command and its arguments, talking on stdio.
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--bridge', bridgeUrl, '--token', TOKEN],
        stderr: 'pipe',
      })
      transport.stderr?.on('data', (d) => stderr.push(String(d)))
      client = new Client({ name: 'discomfort-tests', version: '1.0.0' })
      await client.connect(transport)
    }, timeoutMs)
    afterAll(async () => {
      await client?.close()
      killAll()
      await comfys?.close()
    })

    const call = async (
      name: string,
      args: Record<string, unknown> = {},
      onProgress?: (p: { progress: number; total?: number }) => void,
    ) =>
      (await client.callTool({ name, arguments: args }, undefined, {
        timeout: timeoutMs,
        ...(onProgress ? { onprogress: onProgress, resetTimeoutOnProgress: true } : {}),
      })) as CallToolResult

    it('lists the job, batch, context, pool and workflow tools, each with its input schema', async () => {
      const { tools } = await client.listTools()
      const names = tools.map((t) => t.name)
      for (const name of [
        'run_workflow',
        'get_job_status',
        'wait_for_job',
        'get_job_outputs',
        'cancel_job',
        'rerun_job',
        'list_jobs',
        'submit_batch',
        'get_batch_status',
        'wait_for_batch',
        'get_batch_outputs',
        'cancel_batch',
        'use_previous_output',
        'list_contexts',
        'get_context_value',
        'set_context_value',
        'list_servers',
        'add_server',
        'remove_server',
        'convert_workflow',
        'server_info',
      ])
        expect(names).toContain(name)
      const submit = tools.find((t) => t.name === 'submit_batch')!
      expect(Object.keys(submit.inputSchema.properties ?? {})).toEqual(
        expect.arrayContaining(['workflows', 'vary', 'items']),
      )
      expect(stderr.join('')).toContain('Discomfort MCP server on stdio')
    })

    it('runs a batch across both servers, waits for it with progress, and reads its images', async () => {
      const colors = [0, 1, 2, 3, 4, 5].map((i) => (i * 40) << 16)
      const submitted = await call('submit_batch', {
        workflows: [CANVAS],
        base: { width: 64, height: 48 },
        vary: { color: colors },
        label: 'mcp batch',
      })
      expect(submitted.isError).toBeFalsy()
      const batch = structured<{ id: string; total: number }>(submitted)
      expect(batch.total).toBe(6)
      const progress: number[] = []
      const waited = await call('wait_for_batch', { batchId: batch.id, timeoutS: 600 }, (p) =>
        progress.push(p.progress),
      )
      expect(structured<{ status: string; done: number; timedOut: boolean }>(waited)).toMatchObject({
        status: 'finished',
        done: 6,
        timedOut: false,
      })
      // Progress went forward, never past the total (the SDK's client may drop the last one: it handles
      // notifications a turn after responses, and the answer already says where the batch ended).
      expect(progress.length).toBeGreaterThan(0)
      expect(
        progress.every((p, i) => p <= 6 && (i === 0 || p > progress[i - 1]!)),
        JSON.stringify(progress),
      ).toBe(true)
      const listed = structured<{ items: Array<{ index: number; server: string; inputs: { color: number } }> }>(
        await call('get_batch_outputs', { batchId: batch.id, images: false }),
      ).items
      expect(new Set(listed.map((i) => i.server)).size).toBe(2)
      const shown = await call('get_batch_outputs', { batchId: batch.id, limit: 6 })
      const pictures = images(shown)
      expect(pictures).toHaveLength(6)
      expect(pictures.map((p) => red(p.data))).toEqual(colors.map((c) => c >> 16))
      const png = decodePng(Buffer.from(pictures[0]!.data, 'base64'))
      expect([png.width, png.height]).toEqual([64, 48])
    })

    it('runs a job in a context, reads its output image, and chains it into another context', async () => {
      const context = structured<{ id: string }>(await call('create_context', { name: 'agent' })).id
      const run = await call('run_workflow', {
        workflows: [CANVAS],
        context,
        inputs: { width: 32, height: 16, color: 200 << 16 },
        wait: true,
        timeoutS: 600,
      })
      const view = structured<{ id: string; status: string; outputs: string[] }>(run)
      expect(view).toMatchObject({ status: 'succeeded', outputs: ['canvas'] })
      const outputs = await call('get_job_outputs', { runId: view.id })
      expect(images(outputs).map((i) => red(i.data))).toEqual([200])
      const next = structured<{ id: string }>(await call('create_context', { name: 'phase 2' })).id
      await call('use_previous_output', { runId: view.id, output: 'canvas', context: next, key: 'start' })
      const keys = structured<{ items: Array<{ key: string; kind: string }> }>(
        await call('list_context_keys', { context: next }),
      ).items
      expect(keys).toEqual([expect.objectContaining({ key: 'start', kind: 'image' })])
      const read = await call('get_context_value', { context: next, key: 'start' })
      expect(images(read).map((i) => red(i.data))).toEqual([200])
      const resource = await client.readResource({ uri: `discomfort://runs/${view.id}` })
      expect(JSON.parse(String((resource.contents[0] as { text: string }).text))).toMatchObject({
        id: view.id,
        status: 'succeeded',
      })
    })

    it('answers a bad call as a tool error with the stable code, and the session goes on', async () => {
      const missing = await call('get_job_status', { runId: 'no-such-run' })
      expect(missing.isError).toBe(true)
      expect(texts(missing)[0]!.text).toMatch(/^not_found: /)
      const bad = await call('submit_batch', { workflows: [CANVAS], vary: { color: [] } })
      expect(bad.isError).toBe(true)
      expect((await call('list_servers')).isError).toBeFalsy()
    })

    it('serves the same tools over HTTP at /mcp, and only with the token', async () => {
      const refused = new Client({ name: 'no-token', version: '1.0.0' })
      await expect(refused.connect(new StreamableHTTPClientTransport(new URL(`${bridgeUrl}/mcp`)))).rejects.toThrow(
        /unauthorized.*needs a token/,
      )
      const http = new Client({ name: 'with-token', version: '1.0.0' })
      await http.connect(
        new StreamableHTTPClientTransport(new URL(`${bridgeUrl}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
        }),
      )
      try {
        expect((await http.listTools()).tools.map((t) => t.name)).toContain('wait_for_batch')
        const servers = structured<{ items: Array<{ up: boolean }> }>(
          (await http.callTool({ name: 'list_servers', arguments: {} })) as CallToolResult,
        ).items
        expect(servers).toHaveLength(2)
        const progress: number[] = []
        // Over HTTP the bridge reads no file a client names: the workflow itself, or a coded refusal.
        const byPath = (await http.callTool({
          name: 'run_workflow',
          arguments: { workflows: [CANVAS] },
        })) as CallToolResult
        expect(byPath.isError).toBe(true)
        expect(texts(byPath)[0]!.text).toMatch(/^files_not_allowed: /)
        const workflow = { name: 'make_canvas.json', workflow: JSON.parse(readFileSync(CANVAS, 'utf8')) as unknown }
        const run = (await http.callTool(
          {
            name: 'run_workflow',
            arguments: { workflows: [workflow], inputs: { width: 8, height: 8, color: 0 }, wait: true },
          },
          undefined,
          { onprogress: (p) => progress.push(p.progress), timeout: timeoutMs },
        )) as CallToolResult
        expect(structured<{ status: string }>(run).status).toBe('succeeded')
        expect(progress.length).toBeGreaterThan(0)
        // Stateless: no session stream to open.
        const get = await fetch(`${bridgeUrl}/mcp`, { headers: { authorization: `Bearer ${TOKEN}` } })
        expect(get.status).toBe(405)
      } finally {
        await http.close()
      }
    })
  })
}
