/**
 * Every MCP tool, called with arguments generated from its own input schema
 * (its fields with values of any JSON shape, some left out, some extra),
 * answers — a result, or a tool error whose text starts with a stable code —
 * within a bound; the session stays up and the bridge healthy. A new tool
 * is fuzzed as it lands (the list comes from `tools/list`).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { BridgeHttp } from '../../bridge/client/bridgeHttp.js'
import { bridgeCalls } from '../../bridge/mcp/bridgeCalls.js'
import { createMcpServer } from '../../bridge/mcp/server.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'

const RUNS = Number(process.env.FAULTS_RUNS ?? 150) >= 1000 ? 300 : 60
const SEED = process.env.FAULTS_SEED === undefined ? 27 : Number(process.env.FAULTS_SEED)

let comfy: ComfyStandIn
let bridge: Bridge
let client: Client
let tools: Tool[] = []

beforeAll(async () => {
  comfy = await startComfyStandIn()
  bridge = await startBridge({
    port: 0,
    comfyUrl: comfy.url,
    root: mkdtempSync(join(tmpdir(), 'mcp-fuzz-')),
    log: () => {},
  })
  const [a, b] = InMemoryTransport.createLinkedPair()
  await createMcpServer(bridgeCalls(new BridgeHttp(bridge.url)), { localFiles: true }).connect(a)
  client = new Client({ name: 'fuzz', version: '1.0.0' })
  await client.connect(b)
  tools = (await client.listTools()).tools
})
afterAll(async () => {
  await client?.close()
  await bridge?.close()
  await comfy?.close()
})

const json = fc.jsonValue({ maxDepth: 3 })

/** A value of the JSON Schema type a field declares (so calls get past the schema to the tool), or of any shape. */
const valueFor = (schema: unknown): fc.Arbitrary<unknown> => {
  const options = (schema as { anyOf?: unknown[] } | undefined)?.anyOf
  if (options?.length) return fc.oneof(...options.map(valueFor))
  const type = (schema as { type?: unknown } | undefined)?.type
  const format = (schema as { format?: unknown } | undefined)?.format
  const typed =
    type === 'string' && format === 'uri'
      ? fc.constantFrom('http://127.0.0.1:9', 'not a url')
      : type === 'string'
        ? fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('no-such-id', 'width', 'canvas'))
        : type === 'integer'
          ? fc.integer({ min: -5, max: 200 })
          : type === 'number'
            ? fc.double({ min: -5, max: 200, noNaN: true })
            : type === 'boolean'
              ? fc.boolean()
              : type === 'array'
                ? fc.array(valueFor((schema as { items?: unknown }).items), { minLength: 1, maxLength: 3 })
                : json
  return fc.oneof({ weight: 3, arbitrary: typed }, { weight: 1, arbitrary: json })
}

/** Arguments for a tool: its declared fields (some left out, one extra), server addresses kept off the network. */
const argsFor = (tool: Tool): fc.Arbitrary<Record<string, unknown>> => {
  const properties = tool.inputSchema.properties ?? {}
  const required = new Set(tool.inputSchema.required ?? [])
  // A required field is there most of the time, an optional one now and then (so some calls are whole).
  const fields = Object.fromEntries(
    Object.entries(properties).map(([k, v]) => [
      k,
      fc.oneof(
        { weight: required.has(k) ? 1 : 3, arbitrary: fc.constant(undefined) },
        { weight: required.has(k) ? 6 : 1, arbitrary: valueFor(v) },
      ),
    ]),
  )
  return fc
    .record({
      ...fields,
      extra: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: json }),
    })
    .map((a) => {
      const kept = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined))
      const safe = JSON.parse(JSON.stringify(kept).replace(/https?:\/\/[^"]*/g, 'http://127.0.0.1:9')) as Record<
        string,
        unknown
      >
      // Waits are bounded by their own argument: keep them short here.
      return 'timeoutS' in safe ? { ...safe, timeoutS: 0.2 } : safe
    })
}

it(`every tool answers any arguments its schema names: a result or a coded tool error, never a crash (${RUNS} each)`, async () => {
  expect(tools.length).toBeGreaterThan(20)
  /** Calls that got past the schema to the tool itself, per tool: the fuzz must reach every tool's code. */
  const reached = new Map<string, number>()
  for (const tool of tools) {
    // Paths a tool would read are this machine's files: the fuzz gives none (a string there is a made-up path).
    await fc.assert(
      fc.asyncProperty(argsFor(tool), async (args) => {
        const started = Date.now()
        let result: CallToolResult
        try {
          result = (await client.callTool({ name: tool.name, arguments: args }, undefined, {
            timeout: 20_000,
          })) as CallToolResult
        } catch (e) {
          // The SDK refuses arguments that do not match the schema as a protocol error (-32602): that is an answer too.
          expect(String((e as Error).message), `${tool.name} ${JSON.stringify(args).slice(0, 200)}`).toMatch(
            /-32602|Invalid arguments|validation/i,
          )
          return
        }
        expect(Date.now() - started, tool.name).toBeLessThan(15_000)
        const text0 = (result.content[0] as { text?: string } | undefined)?.text ?? ''
        if (!/MCP error -32602/.test(text0)) reached.set(tool.name, (reached.get(tool.name) ?? 0) + 1)
        if (result.isError) {
          const text = (result.content[0] as { text?: string } | undefined)?.text ?? ''
          expect(text, `${tool.name} ${JSON.stringify(args).slice(0, 200)}`).toMatch(
            /^[a-z][a-z0-9_]*: |MCP error -32602/,
          )
          expect(text).not.toMatch(/TypeError|Cannot read propert|undefined is not/)
        }
      }),
      { numRuns: RUNS, seed: SEED },
    )
  }
  for (const tool of tools) expect(reached.get(tool.name) ?? 0, `calls that reached ${tool.name}`).toBeGreaterThan(0)
  const health = await fetch(`${bridge.url}/api/health`)
  expect(health.status).toBe(200)
}, 600_000)
