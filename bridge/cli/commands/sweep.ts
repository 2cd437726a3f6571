/**
 * `discomfort sweep`: submit a sweep (or --attach to one), show one progress
 * line (done/total, rate, ETA, failures), and put each finished item's
 * outputs in DIR/<n>/ with a manifest.jsonl line (inputs → local files).
 */
import { constants } from 'node:fs'
import { access, mkdir, open, readFile, writeFile, type FileHandle } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { Discomfort, type DiscomfortOptions } from '../../client/discomfort.js'
import type { SweepHandle } from '../../client/sweep.js'
import {
  describeIssues,
  SweepSpecSchema,
  type ItemInputs,
  type SweepValue,
  type SweepItem,
} from '../../../shared/protocol/index.js'
import { makeDirs } from '../../util/makeDirs.js'
import type { SweepArgs } from '../args.js'

const parse = (v: string): SweepValue =>
  v === 'true' ? true : v === 'false' ? false : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v

/** --items FILE: a JSON list of input sets (each an object of strings, numbers and booleans). */
async function itemsFile(path: string): Promise<ItemInputs[]> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as unknown
  } catch (e) {
    throw new Error(
      `--items ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Nothing was submitted.`,
    )
  }
  const items = SweepSpecSchema.shape.items.safeParse(parsed)
  if (!items.success || !items.data)
    throw new Error(
      `--items ${path}: give a JSON list of input sets, e.g. [{"seed": 1, "cfg": 3}, {"seed": 2, "cfg": 5}]${items.success ? '' : ` (${describeIssues(items.error)})`}. Nothing was submitted.`,
    )
  return items.data
}

const clock = (s: number) =>
  !Number.isFinite(s) ? '--:--' : `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`

export async function sweepCommand(
  args: SweepArgs,
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream },
): Promise<number> {
  const options: DiscomfortOptions = { bridge: { log: (line) => io.stderr.write(`${line}\n`) } }
  // A bridge named on the command line must answer: no bridge of this command's own instead, unless asked for.
  if (args.bridge) options.bridgeUrl = args.bridge
  if (args.bridge && !args.startBridge) options.embedded = false
  // The output folder is checked before anything is submitted.
  if (args.out) await writableFolder(resolve(args.out))
  const [first, ...more] = args.comfy
  if (first) options.comfyUrl = first
  if (more.length) options.bridge = { ...options.bridge, servers: more.map((url) => ({ url })) }
  const d = await Discomfort.create(options)
  try {
    const sweep: SweepHandle = args.attach
      ? d.attachSweep(args.attach)
      : await d.sweep(args.workflows, {
          ...(args.items ? { items: await itemsFile(args.items) } : { vary: Object.fromEntries(args.vary) }),
          base: Object.fromEntries(args.base.map(([k, v]) => [k, parse(v)])),
          ...(args.context ? { context: args.context } : {}),
          ...(args.commitToContext ? { commitToContext: true } : {}),
          ...(args.concurrency ? { concurrency: args.concurrency } : {}),
          ...(args.attempts ? { attempts: args.attempts } : {}),
          label: args.label ?? args.workflows.map((w) => basename(w)).join(' + '),
        })
    const view = await sweep.view()
    const out = resolve(args.out ?? `sweep-${sweep.id}`)
    await makeDirs(out)
    io.stderr.write(
      `sweep ${sweep.id}: ${view.total} item(s) of ${view.workflows.join(', ')}; outputs in ${out}\n` +
        `(if this stops, the bridge goes on; follow it again with: discomfort sweep --attach ${sweep.id} --out ${out})\n`,
    )
    // Items already in the folder (an earlier --attach) are not fetched again.
    const manifest = join(out, 'manifest.jsonl')
    const have = new Set<number>(
      (await readFile(manifest, 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { index: number }).index),
    )
    const started = Date.now()
    // Every finished item is replayed first (also on --attach), so these count from zero.
    let done = 0
    let failed = 0
    let initial: number | undefined
    let last = 0
    const line = (force = false) => {
      const now = Date.now()
      if (!force && now - last < 200) return
      last = now
      const finished = done + failed
      initial ??= finished
      const rate = (finished - initial) / Math.max(0.001, (now - started) / 1000)
      const eta = rate > 0 ? (view.total - finished) / rate : Number.POSITIVE_INFINITY
      const text = `${finished}/${view.total} · ${rate.toFixed(1)}/s · ETA ${clock(eta)} · ${failed} failed`
      io.stderr.write(io.stderr.isTTY ? `\r\x1b[2K${text}` : `${text}\n`)
    }
    const failures: SweepItem[] = []
    // manifest.jsonl, open for appending while items arrive.
    let manifestFile: FileHandle | undefined
    try {
      for await (const item of sweep.results()) {
        if (item.status === 'failed') {
          failures.push(item)
          failed += 1
        } else done += 1
        if (item.status === 'done' && !have.has(item.index)) {
          const dir = join(out, String(item.index))
          // Its parent was made above: one mkdir (an earlier --attach may have made it already).
          await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
            if (e.code !== 'EEXIST') throw e
          })
          const files: Record<string, string> = {}
          for (const o of item.outputs ?? []) {
            const name = basename(o.file).replace(/^\d+-/, '')
            await writeFile(join(dir, name), await sweep.file(item, o.key))
            files[o.key] = join(String(item.index), name)
          }
          manifestFile ??= await open(manifest, 'a')
          await manifestFile.write(`${JSON.stringify({ index: item.index, inputs: item.inputs, outputs: files })}\n`)
          have.add(item.index)
        }
        line()
      }
    } finally {
      await manifestFile?.close()
    }
    line(true)
    if (io.stderr.isTTY) io.stderr.write('\n')
    for (const f of failures.slice(0, 20))
      io.stderr.write(`item ${f.index} ${JSON.stringify(f.inputs)} failed: ${f.error?.message}\n`)
    if (failures.length > 20)
      io.stderr.write(`… and ${failures.length - 20} more (see ${manifest} and the sweep's items)\n`)
    io.stdout.write(`${JSON.stringify({ sweep: sweep.id, done, failed, out })}\n`)
    // Any item failed: the command failed (its summary above says which).
    return failed > 0 ? 1 : 0
  } finally {
    await d.shutdown()
  }
}

/** Make the folder (and its parents) and check it can be written, or say why not; nothing is submitted then. */
async function writableFolder(dir: string): Promise<void> {
  try {
    await makeDirs(dir)
    await access(dir, constants.W_OK)
  } catch (e) {
    throw new Error(
      `--out ${dir}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Nothing was submitted.`,
    )
  }
}
