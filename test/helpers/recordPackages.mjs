// `node --import <this> …`: prints "packages: a b c" on stderr at exit, the npm packages the process loaded.
import { register } from 'node:module'
import { MessageChannel } from 'node:worker_threads'

const { port1, port2 } = new MessageChannel()
const seen = new Set()
port1.on('message', (name) => seen.add(name))
port1.unref()
register('./packageHooks.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] })
process.on('exit', () => process.stderr.write(`packages: ${[...seen].sort().join(' ')}\n`))
