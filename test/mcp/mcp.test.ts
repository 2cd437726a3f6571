/** MCP against a bridge process over two stand-in ComfyUI processes. */
import { mcpScenario } from '../helpers/mcpScenario.js'
import { standIn } from '../helpers/processes.js'

mcpScenario(
  'two stand-in ComfyUIs',
  async () => ({ urls: await Promise.all([standIn(150), standIn(150)]), close: async () => {} }),
  60_000,
)
