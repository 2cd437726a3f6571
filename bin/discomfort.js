#!/usr/bin/env node
// Runs the compiled CLI (npm install builds it into dist/).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const compiled = new URL('../dist/bridge/cli/main.js', import.meta.url)
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write(
    'discomfort: not built yet. Run `npm install` (or `npm run build`) in the package folder first.\n',
  )
  process.exit(1)
}
const { main } = await import(compiled.href)
process.exitCode = await main(process.argv.slice(2))
