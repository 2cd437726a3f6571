/**
 * A run is one RunSpec and a sweep one SweepSpec (shared/protocol), and every
 * edge passes it on whole: each field of the schema, given on the HTTP API,
 * by the TypeScript client, or on the command line as a user types it,
 * reaches the bridge's run manager (or sweeper) with its value. A field
 * added to a spec and not to an edge fails here: the tables below are typed
 * by the specs' keys, and the loops go over the schemas' own fields.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { Discomfort, type RunArgs } from '../../bridge/client/discomfort.js'
import type { SweepArgs } from '../../bridge/client/sweep.js'
import type { BridgeRunSpec } from '../../bridge/runs/manager.js'
import {
  RunSpecSchema,
  SweepSpecSchema,
  type RunSpec,
  type SweepSpec,
  type SweepView,
} from '../../shared/protocol/index.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { runCli } from '../helpers/cli.js'
import { CONCAT } from '../helpers/prompts.js'

let comfy: ComfyStandIn
let bridge: Bridge
let dir: string
let workflowFile: string
let itemsFile: string
let contextId: string
/** The specs the bridge's run manager and sweeper were handed, in order. */
const runSpecs: BridgeRunSpec[] = []
const sweepSpecs: SweepSpec[] = []

beforeAll(async () => {
  comfy = await startComfyStandIn()
  dir = mkdtempSync(join(tmpdir(), 'spec-edges-'))
  bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: join(dir, 'home') })
  const submit = bridge.runs.submit.bind(bridge.runs)
  bridge.runs.submit = (spec) => {
    runSpecs.push(spec)
    return submit(spec)
  }
  const start = bridge.sweeper.start.bind(bridge.sweeper)
  bridge.sweeper.start = (spec) => {
    sweepSpecs.push(spec)
    return start(spec)
  }
  workflowFile = join(dir, CONCAT.name)
  writeFileSync(workflowFile, JSON.stringify(CONCAT.workflow))
  itemsFile = join(dir, 'items.json')
  writeFileSync(itemsFile, JSON.stringify([{ text: 'a' }, { text: 'b' }]))
  contextId = (await bridge.store.create({ name: 'edges' })).id
})
afterAll(async () => {
  await bridge?.close()
  await comfy?.close()
})

/** One value for every field of a run spec, none of them a default. */
const fullRun = (): RunSpec => ({
  workflows: [CONCAT],
  context: contextId,
  inputs: { text: 'hi' },
  iterations: 2,
  stitch: true,
  passBy: { out: 'ref' },
  expectOutputs: ['out'],
  clientId: 'page-1',
  resubmitLost: 3,
})

/** How a user gives each field of a run spec on the command line. */
const runFlags = (): Record<keyof RunSpec, string[]> => ({
  workflows: [workflowFile],
  context: ['--context', contextId],
  inputs: ['-i', 'text=hi'],
  iterations: ['-n', '2'],
  stitch: ['--stitch'],
  passBy: ['--pass-by', 'out=ref'],
  expectOutputs: ['-o', `out=${join(dir, 'out.json')}`],
  clientId: ['--client-id', 'page-1'],
  resubmitLost: ['--resubmit-lost', '3'],
})

const runFields = Object.keys(RunSpecSchema.shape) as Array<keyof RunSpec>

/** The spec the run manager got from `submit()`: each field present, and equal to what was given where the edge keeps it as is. */
async function handed(submit: () => Promise<unknown>): Promise<BridgeRunSpec> {
  const before = runSpecs.length
  await submit().catch(() => {})
  expect(runSpecs.length, 'the run reached the run manager').toBe(before + 1)
  return runSpecs[runSpecs.length - 1]!
}

function expectWhole(spec: BridgeRunSpec): void {
  const full = fullRun()
  for (const field of runFields) {
    expect(spec[field], `RunSpec.${field}`).toBeDefined()
    if (field === 'workflows') expect(spec.workflows.map((w) => w.name)).toEqual([CONCAT.name])
    else expect(spec[field], `RunSpec.${field}`).toEqual(full[field])
  }
}

describe('every field of a RunSpec reaches the runner from every edge', () => {
  it('the schema has the fields these tables name (and no others)', () => {
    expect(runFields.sort()).toEqual(Object.keys(runFlags()).sort())
  })

  it('HTTP: POST /api/runs with every field', async () => {
    const spec = await handed(() =>
      fetch(`${bridge.url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fullRun()),
      }),
    )
    expectWhole(spec)
  })

  it('HTTP: a body written with 0.1 snake_case names (pass_by, expect_outputs, client_id) means the same', async () => {
    const { passBy, expectOutputs, clientId, ...rest } = fullRun()
    const spec = await handed(() =>
      fetch(`${bridge.url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...rest, pass_by: passBy, expect_outputs: expectOutputs, client_id: clientId }),
      }),
    )
    expectWhole(spec)
  })

  it('the TypeScript client: d.run(workflows, settings) with every setting', async () => {
    const d = await Discomfort.create({ bridgeUrl: bridge.url, embedded: false })
    const { workflows, ...settings } = fullRun()
    const spec = await handed(() => d.run(workflows, settings as RunArgs))
    expectWhole(spec)
  })

  it('the CLI: `discomfort run` with a flag for every field', async () => {
    const argv = Object.values(runFlags()).flat()
    const spec = await handed(() => runCli(['run', ...argv, '--bridge', bridge.url]))
    expectWhole(spec)
  })
})

/** One value for every field of a sweep spec (`vary` and `items` exclude each other: two specs cover them). */
const fullSweeps = (): [SweepSpec, SweepSpec] => {
  const common = {
    workflows: [CONCAT],
    context: contextId,
    base: { text: 'x' },
    concurrency: 3,
    attempts: 2,
    commitToContext: true,
    label: 'edges',
  }
  return [
    { ...common, vary: { text: ['a', 'b'] } },
    { ...common, items: [{ text: 'a' }, { text: 'b' }] },
  ]
}

const sweepFlags = (): Record<keyof SweepSpec, string[]> => ({
  workflows: [workflowFile],
  context: ['--context', contextId],
  base: ['-i', 'text=x'],
  vary: ['--vary', 'text=a,b'],
  items: ['--items', itemsFile],
  concurrency: ['--concurrency', '3'],
  attempts: ['--attempts', '2'],
  commitToContext: ['--commit-to-context'],
  label: ['--label', 'edges'],
})

const sweepFields = Object.keys(SweepSpecSchema.shape) as Array<keyof SweepSpec>

async function sweepHanded(submit: () => Promise<unknown>): Promise<SweepSpec> {
  const before = sweepSpecs.length
  await submit().catch(() => {})
  expect(sweepSpecs.length, 'the sweep reached the sweeper').toBe(before + 1)
  return sweepSpecs[sweepSpecs.length - 1]!
}

function expectWholeSweep(spec: SweepSpec, full: SweepSpec): void {
  for (const field of sweepFields) {
    if (full[field] === undefined) continue
    if (field === 'workflows') expect(spec.workflows.map((w) => w.name)).toEqual([CONCAT.name])
    else expect(spec[field], `SweepSpec.${field}`).toEqual(full[field])
  }
}

describe('every field of a SweepSpec reaches the sweeper from every edge', () => {
  it('the schema has the fields these tables name', () => {
    expect(sweepFields.sort()).toEqual(Object.keys(sweepFlags()).sort())
  })

  it('HTTP, the client and the CLI, with vary and with items', async () => {
    const d = await Discomfort.create({ bridgeUrl: bridge.url, embedded: false })
    for (const full of fullSweeps()) {
      const viaHttp = await sweepHanded(async () => {
        const res = await fetch(`${bridge.url}/api/sweeps`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(full),
        })
        await bridge.sweeper.cancel(((await res.json()) as SweepView).id)
      })
      expectWholeSweep(viaHttp, full)

      const { workflows, ...settings } = full
      const viaClient = await sweepHanded(async () => (await d.sweep(workflows, settings as SweepArgs)).cancel())
      expectWholeSweep(viaClient, full)

      const flags = sweepFlags()
      const argv = sweepFields.filter((f) => full[f] !== undefined).flatMap((f) => flags[f])
      const viaCli = await sweepHanded(() =>
        runCli(['sweep', ...argv, '--out', join(dir, `sweep-${sweepSpecs.length}`), '--bridge', bridge.url]),
      )
      expectWholeSweep(viaCli, full)
    }
  })
})
