/** The end-to-end suite on the stand-in as each ComfyUI server generation it plays (0.3.75, and the current one). */
import { startComfyStandIn, type ComfyProfile } from '../comfyStandIn/server.js'
import { endToEndSuite } from './suite.js'

for (const profile of ['0.3.75', 'current'] satisfies ComfyProfile[])
  endToEndSuite(`the ComfyUI stand-in (${profile})`, async () => {
    const comfy = await startComfyStandIn({ profile })
    return { url: comfy.url, close: () => comfy.close() }
  })
