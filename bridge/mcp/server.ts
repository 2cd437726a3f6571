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

export function createMcpServer(bridge: BridgeCalls): McpServer {
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
          const answer: ToolAnswer = await t.run(bridge, args as never, { report, signal: extra.signal })
          return answer as CallToolResult
        } catch (e) {
          return failure(e)
        }
      },
    )
  }

  server.registerResource(
    'context',
    new ResourceTemplate('discomfort://contexts/{id}', {
      list: async () => ({
        resources: (await bridge.call<ContextSummary[]>(routePaths.listContexts, {})).map((c) => ({
          uri: `discomfort://contexts/${encodeURIComponent(c.id)}`,
          name: c.name ?? c.id,
          mimeType: 'application/json',
        })),
      }),
    }),
    { title: 'Context', description: 'A context: its keys and what each holds.', mimeType: 'application/json' },
    async (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(
            await bridge.call<ContextDetail>(routePaths.context, { id: decodeURIComponent(String(id)) }),
            null,
            2,
          ),
        },
      ],
    }),
  )
  server.registerResource(
    'run',
    new ResourceTemplate('discomfort://runs/{id}', {
      list: async () => ({
        resources: (await bridge.call<RunView[]>(routePaths.listRuns, {}, undefined, { limit: 50 })).map((r) => ({
          uri: `discomfort://runs/${encodeURIComponent(r.id)}`,
          name: `${r.workflows.join(' → ')} (${r.status})`,
          mimeType: 'application/json',
        })),
      }),
    }),
    { title: 'Run', description: 'A run: status, progress, events and outputs.', mimeType: 'application/json' },
    async (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(
            await bridge.call<RunView>(routePaths.run, { id: decodeURIComponent(String(id)) }, undefined, {
              events: 1,
            }),
            null,
            2,
          ),
        },
      ],
    }),
  )
  return server
}
