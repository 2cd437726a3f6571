/**
 * MCP over streamable HTTP, mounted on the bridge at `/mcp` (behind the same
 * token and origin checks as `/api`). Stateless: each POST gets its own
 * server and transport, answering as an event stream so progress
 * notifications reach the client before the result; nothing is kept between
 * requests but what the bridge keeps (runs, sweeps and contexts have ids).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

export const MCP_PATH = '/mcp'

/** Where the bridge answers (once it listens), and its token: the tools call its API there. */
export interface SelfAddress {
  url(): string | undefined
  token?: string
}

export function mcpHandler(self: SelfAddress): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    // Stateless: every message is a POST; there is no session stream to open (GET) or end (DELETE).
    if (req.method !== 'POST') {
      req.resume()
      res.writeHead(405, { allow: 'POST', 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          jsonrpc: '2.0',
          error: { code: -32000, message: 'Method not allowed: this MCP endpoint takes POST.' },
          id: null,
        }),
      )
      return
    }
    // Loaded at the first MCP request: a bridge nobody asks over MCP loads none of the SDK (nor the client).
    const [{ StreamableHTTPServerTransport }, { createMcpServer }, { bridgeCalls }, { BridgeHttp }] = await Promise.all(
      [
        import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
        import('./server.js'),
        import('./bridgeCalls.js'),
        import('../client/bridgeHttp.js'),
      ],
    )
    const url = self.url()
    if (!url) throw new Error('The bridge is not listening yet.')
    const server = createMcpServer(bridgeCalls(new BridgeHttp(url, self.token)), { localFiles: false })
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
    res.on('close', () => {
      void transport.close()
      void server.close()
    })
    await server.connect(transport)
    await transport.handleRequest(req, res)
  }
}
