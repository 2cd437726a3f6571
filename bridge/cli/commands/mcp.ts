import { Discomfort, type DiscomfortOptions } from '../../client/discomfort.js'
import { BridgeHttp } from '../../client/bridgeHttp.js'
import { env } from '../../env.js'
import { bridgeCalls } from '../../mcp/bridgeCalls.js'
import type { McpArgs } from '../args.js'

/**
 * `discomfort mcp`: an MCP server on stdin/stdout for the bridge at --bridge,
 * or for one started in this process when none answers there. Runs until the
 * client closes stdin (or SIGINT / SIGTERM); a bridge it started stops with it.
 */
export async function mcpCommand(args: McpArgs, log: (line: string) => void): Promise<void> {
  const options: DiscomfortOptions = { bridge: { log } }
  if (args.bridge) options.bridgeUrl = args.bridge
  if (args.token) options.token = args.token
  if (args.comfy) options.comfyUrl = args.comfy
  const d = await Discomfort.create(options)
  const token = args.token ?? env('DISCOMFORT_TOKEN')
  const [{ StdioServerTransport }, { createMcpServer }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('../../mcp/server.js'),
  ])
  const server = createMcpServer(bridgeCalls(new BridgeHttp(d.url, token)), { localFiles: true })
  const transport = new StdioServerTransport()
  log(`Discomfort MCP server on stdio, for the bridge at ${d.url}${d.bridge ? ' (started here)' : ''}.`)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    transport.onclose = stop
    process.stdin.once('end', stop)
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    void server.connect(transport)
  })
  await server.close().catch(() => {})
  await d.shutdown()
}
