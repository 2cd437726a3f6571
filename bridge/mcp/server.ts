/**
 * The MCP server: the tools of `tools.ts` and two resources (contexts and
 * runs, by id), over any transport. Long calls report progress when the
 * client asked for it (a progress token), and every failure answers as a
 * tool error with the bridge's stable code instead of ending the session.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { routePaths } from '../../shared/protocol/paths.js'
import type { ContextDetail, ContextSummary, RunView } from '../../shared/protocol/index.js'
import { VERSION } from '../version.js'
import type { BridgeCalls } from './bridgeCalls.js'
import { type Tool, type ToolAnswer, tools } from './tools.js'

const INSTRUCTIONS = `Discomfort drives a pool of ComfyUI servers. A context is a store of values that runs read and
write through DiscomfortPort nodes; run_workflow runs workflows (a chain of partial workflows, a loop with
iterations) against a context; submit_batch runs one workflow over many inputs across the pool, each item
committed exactly once, and its id survives restarts. Wait with wait_for_job / wait_for_batch (they answer
timedOut rather than hang), read images with get_job_outputs / get_batch_outputs / get_context_value, and
feed one run's output to the next with use_previous_output.`

function failure(e: unknown): CallToolResult {
  const err = e as { message?: string; code?: unknown; status?: number }
  // A stable code (the bridge's, lower-case); anything else (a runtime's ENOENT, say) is not one to promise.
  const code = typeof err.code === 'string' && /^[a-z][a-z0-9_]*$/.test(err.code) ? err.code : 'internal'
  return {
    content: [{ type: 'text', text: `${code}: ${err.message ?? String(e)}` }],
    structuredContent: { error: { code, message: err.message ?? String(e), status: err.status ?? 0 } },
    isError: true,
  }
}

/**
 * An MCP server for a bridge. `localFiles`: whether tools may read paths on
 * this machine (true for stdio, whose client is here; false over HTTP).
 */
export function createMcpServer(bridge: BridgeCalls, options: { localFiles: boolean }): McpServer {
  const server = new McpServer({ name: 'discomfort', version: VERSION }, { instructions: INSTRUCTIONS })
  for (const [name, t] of Object.entries(tools) as [string, Tool][]) {
    server.registerTool(
      name,
      {
        title: t.title,
        description: t.description,
        inputSchema: t.input,
        annotations: {
          title: t.title,
          readOnlyHint: t.readOnly === true,
          destructiveHint: t.destructive === true,
          openWorldHint: false,
        },
      },
      async (args: unknown, extra): Promise<CallToolResult> => {
        const token = extra._meta?.progressToken
        const report = async (p: { progress: number; total?: number; message: string }) => {
          if (token === undefined) return
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, ...p },
          })
        }
        try {
          const answer: ToolAnswer = await t.run(bridge, args as never, {
            report,
            signal: extra.signal,
            localFiles: options.localFiles,
          })
          return answer as CallToolResult
        } catch (e) {
          return failure(e)
        }
      },
    )
  }

  jsonResource(server, {
    name: 'context',
    folder: 'contexts',
    title: 'Context',
    description: 'A context: its keys and what each holds.',
    list: async () =>
      (await bridge.call<ContextSummary[]>(routePaths.listContexts, {})).map((c) => ({
        id: c.id,
        name: c.name ?? c.id,
      })),
    read: (id) => bridge.call<ContextDetail>(routePaths.context, { id }),
  })
  jsonResource(server, {
    name: 'run',
    folder: 'runs',
    title: 'Run',
    description: 'A run: status, progress, events and outputs.',
    list: async () =>
      (await bridge.call<RunView[]>(routePaths.listRuns, {}, undefined, { limit: 50 })).map((r) => ({
        id: r.id,
        name: `${r.workflows.join(' → ')} (${r.status})`,
      })),
    read: (id) => bridge.call<RunView>(routePaths.run, { id }, undefined, { events: 1 }),
  })
  return server
}

/** A kind of bridge object as MCP resources: `discomfort://<folder>/{id}`, listed, each read as JSON. */
function jsonResource(
  server: McpServer,
  r: {
    name: string
    folder: string
    title: string
    description: string
    list: () => Promise<Array<{ id: string; name: string }>>
    read: (id: string) => Promise<unknown>
  },
): void {
  const uriOf = (id: string) => `discomfort://${r.folder}/${encodeURIComponent(id)}`
  server.registerResource(
    r.name,
    new ResourceTemplate(`discomfort://${r.folder}/{id}`, {
      list: async () => ({
        resources: (await r.list()).map((x) => ({ uri: uriOf(x.id), name: x.name, mimeType: 'application/json' })),
      }),
    }),
    { title: r.title, description: r.description, mimeType: 'application/json' },
    async (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(await r.read(decodeURIComponent(String(id))), null, 2),
        },
      ],
    }),
  )
}
