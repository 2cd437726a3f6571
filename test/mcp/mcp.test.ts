/** MCP against a bridge process over two stand-in ComfyUI processes. */
import { mcpScenario } from '../helpers/mcpScenario.js'
import { standIn } from '../helpers/processes.js'

mcpScenario('two stand-in ComfyUIs', () => Promise.all([standIn(150), standIn(150)]), 60_000)
