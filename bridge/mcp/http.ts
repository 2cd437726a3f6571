/**
 * MCP over streamable HTTP, mounted on the bridge at `/mcp` (behind the same
 * token and origin checks as `/api`). Stateless: each POST gets its own
 * server and transport, answering as an event stream so progress
 * notifications reach the client before the result; nothing is kept between
 * requests but what the bridge keeps (runs, sweeps and contexts have ids).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { BridgeCalls } from './bridgeCalls.js'

export const MCP_PATH = '/mcp'

export function mcpHandler(calls: () => BridgeCalls): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    // Loaded at the first MCP request: a bridge nobody asks over MCP loads none of the SDK.
    const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await Promise.all([
      import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
      import('./server.js'),
    ])
    const server = createMcpServer(calls())
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
    res.on('close', () => {
      void transport.close()
      void server.close()
    })
    await server.connect(transport)
    await transport.handleRequest(req, res)
  }
}
