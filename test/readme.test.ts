/** The README's shell blocks as typed, on stand-in ComfyUIs (the same blocks run on the real ComfyUI in test/e2e-real). */
import { readmeBlocksSuite } from './helpers/readmeBlocks.js'
import { standIn } from './helpers/processes.js'

// The stand-ins are processes the suite's killAll() stops with the bridge.
readmeBlocksSuite('stand-in ComfyUIs', async () => ({ url: await standIn(0), close: async () => {} }))
