/** The README's shell blocks as typed, on two real ComfyUIs (at the README's :8188 and :8190). */
import { readmeBlocksSuite } from '../helpers/readmeBlocks.js'
import { startRealComfy } from './startRealComfy.js'

readmeBlocksSuite('real ComfyUIs', startRealComfy, 300_000)
