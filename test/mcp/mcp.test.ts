/** MCP against a bridge process over two stand-in ComfyUI processes, and `discomfort mcp` with no bridge. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN } from '../helpers/cli.js'
import { mcpScenario } from '../helpers/mcpScenario.js'
import { freePort } from '../helpers/net.js'
import { killAll, standIn } from '../helpers/processes.js'

mcpScenario(
  'two stand-in ComfyUIs',
  async () => ({ urls: await Promise.all([standIn(150), standIn(150)]), close: async () => {} }),
  60_000,
)

describe('discomfort mcp with no bridge running', () => {
  it('starts a bridge of its own, says so on stderr, and keeps stdout for the protocol alone', async () => {
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js')
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js')
    const comfy = await standIn(0)
    const home = mkdtempSync(join(tmpdir(), 'mcp-own-'))
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--bridge', `http://127.0.0.1:${await freePort()}`],
      env: { ...(process.env as Record<string, string>), DISCOMFORT_COMFY_URL: comfy, DISCOMFORT_HOME: home },
      stderr: 'pipe',
    })
    const said: string[] = []
    transport.stderr?.on('data', (d) => said.push(String(d)))
    const client = new Client({ name: 'own-bridge', version: '1.0.0' })
    // A stray line on stdout is a message the client cannot parse: it reports each as an error.
    const unparsed: Error[] = []
    client.onerror = (e) => unparsed.push(e)
    await client.connect(transport)
    try {
      const info = (await client.callTool({ name: 'server_info', arguments: {} })) as {
        structuredContent?: { servers?: Array<{ url: string; up: boolean }> }
      }
      expect(info.structuredContent?.servers).toEqual([expect.objectContaining({ url: comfy, up: true })])
      expect(said.join('')).toMatch(/No Discomfort bridge answers at .*: running one inside this process/)
      expect(unparsed).toEqual([])
    } finally {
      await client.close()
      killAll()
    }
  }, 60_000)
})
