/** The end-to-end suite against a real ComfyUI, started for it and stopped afterwards. */
import { endToEndSuite } from '../e2e/suite.js'
import { startRealComfy } from './startRealComfy.js'

endToEndSuite('a real ComfyUI', startRealComfy, 180_000)
