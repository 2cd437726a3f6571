/**
 * Test helper run as a separate process: opens a store, writes a durable and
 * an ephemeral context, says "ready", then waits to be killed.
 */
import { readFileSync } from 'node:fs'
import { ContextStore } from '../../bridge/store/contextStore.js'
import { fromJs, imageFromPngs } from '../../bridge/values/valueFrom.js'

const [root, png] = process.argv.slice(2) as [string, string]
const store = new ContextStore({ root, ramCapacityBytes: 1024 * 1024 })
await store.init()
const durable = await store.create({ id: 'keep-me', durable: true })
await durable.save('seed', fromJs(42))
await durable.save('prompt', fromJs('a cat'))
await durable.save('image', imageFromPngs([readFileSync(png)]))
const receipt = await durable.beginRun('run-1')
receipt.stage('seed', fromJs(43))
await receipt.commit()
const ephemeral = await store.create({ id: 'scratch' })
await ephemeral.save('tmp', fromJs([1, 2, 3]))
// Larger than its RAM tier: on disk (an ephemeral context has files only for what spills).
await ephemeral.save('big', fromJs('x'.repeat(2 * 1024 * 1024)))
process.stdout.write('ready\n')
setInterval(() => {}, 1000)
