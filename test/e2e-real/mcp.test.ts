/** MCP against a bridge process over two real ComfyUI servers. */
import { mcpScenario } from '../helpers/mcpScenario.js'
import { startRealComfy } from './startRealComfy.js'

mcpScenario(
  'two real ComfyUIs',
  async () => {
    const servers = await Promise.all([startRealComfy(), startRealComfy()])
    return {
      urls: servers.map((s) => s.url),
      close: async () => void (await Promise.all(servers.map((s) => s.close()))),
    }
  },
  300_000,
)
