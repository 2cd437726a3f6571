import { startComfyStandIn } from '../comfyStandIn/server.js'
import { endToEndSuite } from './suite.js'

endToEndSuite('the ComfyUI stand-in', async () => {
  const comfy = await startComfyStandIn()
  return { url: comfy.url, close: () => comfy.close() }
})
