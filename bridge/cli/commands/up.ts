/**
 * `discomfort up`: from nothing to a ComfyUI page with the Discomfort node and
 * a running bridge. Finds (or, when asked, installs) a ComfyUI, makes sure it
 * serves the extension, starts what is not running, prints where everything
 * is, and on Ctrl+C / SIGTERM stops exactly what it started.
 */
import { spawn } from 'node:child_process'
import {
  createWriteStream,
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { startBridge, type Bridge } from '../../bridge.js'
import { ComfyHttp } from '../../comfy/comfyHttp.js'
import { ensureComfy, reachable, type LaunchedComfy } from '../../comfy/launcher.js'
import { DEFAULT_COMFY_URL } from '../../defaults.js'
import { discomfortHome, env } from '../../env.js'
import { makeDirs } from '../../util/makeDirs.js'
import { PACKAGE_ROOT } from '../../version.js'
import type { UpArgs } from '../args.js'
import { DiscomfortError } from '../../../shared/errors.js'

interface UpIo {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  stdin: NodeJS.ReadStream
}

/** The folder name the package gets in custom_nodes, and so in the page's /extensions/<name>/ URLs. */
const NODE_FOLDER = 'discomfort'
/** The file the built extension is served as. */
const EXTENSION_FILE = 'discomfort.js'
/** Where `up --install` puts ComfyUI: in the home folder, never in the package. */
const installDir = (): string => join(discomfortHome(), 'comfyui')

/** `discomfort up` cannot go on: no ComfyUI, a folder that is not one, a link it cannot make. */
export class UpError extends DiscomfortError {
  static override code = 'up_failed'
  override name = 'UpError'
}

/** Whether the ComfyUI page at `url` loads the Discomfort extension. */
async function servesExtension(http: ComfyHttp): Promise<boolean> {
  const response = await fetch(new URL('/extensions', http.baseUrl), { signal: AbortSignal.timeout(5000) })
  if (!response.ok) return false
  const list = (await response.json()) as unknown
  return Array.isArray(list) && list.some((p) => typeof p === 'string' && p.endsWith(`/${EXTENSION_FILE}`))
}

const linkHint = (comfyDir = '<ComfyUI>') => `ln -s "${PACKAGE_ROOT}" "${join(comfyDir, 'custom_nodes', NODE_FOLDER)}"`

/** Put this package into `<comfyDir>/custom_nodes` (a symlink), or say exactly why it cannot be. */
function linkIntoCustomNodes(comfyDir: string, say: (line: string) => void): void {
  const customNodes = join(comfyDir, 'custom_nodes')
  if (!existsSync(customNodes))
    throw new UpError(
      `${comfyDir} has no custom_nodes folder; is it a ComfyUI folder? (It should hold main.py and custom_nodes/.)`,
    )
  const target = join(customNodes, NODE_FOLDER)
  let present: ReturnType<typeof lstatSync> | undefined
  try {
    present = lstatSync(target)
  } catch {
    present = undefined
  }
  if (present) {
    const real = (() => {
      try {
        return realpathSync(target)
      } catch {
        return undefined
      }
    })()
    if (real === realpathSync(PACKAGE_ROOT)) {
      say(`The extension is already linked: ${target}`)
      return
    }
    if (real && existsSync(join(real, 'web', EXTENSION_FILE)) && existsSync(join(real, '__init__.py'))) {
      say(
        `${target} holds another copy of Discomfort; ComfyUI will load that one. To use this one: remove it, then run up again.`,
      )
      return
    }
    const what = present.isSymbolicLink() ? `a link to ${readlinkSync(target)}` : 'something else'
    throw new UpError(
      `${target} exists and is ${what}, not Discomfort. Move it away, or link by hand under another name: ${linkHint(comfyDir).replace(`/${NODE_FOLDER}"`, '/discomfort-ts"')}`,
    )
  }
  try {
    symlinkSync(PACKAGE_ROOT, target, 'dir')
  } catch (e) {
    throw new UpError(
      `Cannot link the extension into ${customNodes} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Do it by hand: ${linkHint(comfyDir)}`,
    )
  }
  say(`Linked the extension into ComfyUI: ${target} → ${PACKAGE_ROOT}`)
}

/** The Python that belongs to a ComfyUI folder: its venv, .venv, or a portable build's python_embeded. */
function folderPython(comfyDir: string): string {
  const candidates = [
    join(comfyDir, 'venv', 'bin', 'python'),
    join(comfyDir, '.venv', 'bin', 'python'),
    join(comfyDir, 'venv', 'Scripts', 'python.exe'),
    join(comfyDir, '.venv', 'Scripts', 'python.exe'),
    join(dirname(comfyDir), 'python_embeded', 'python.exe'),
  ]
  return candidates.find((p) => existsSync(p)) ?? 'python3'
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)

/** A line of the installer that says where it is (its steps, and what it installed); the rest goes to its log. */
const isStep = (line: string) => /^\[\d+\/\d+\]|^ComfyUI \S+ installed at /.test(line)

/**
 * Run the installer that `npm run comfyui:install` runs, into the home folder: its steps shown,
 * everything the tools print (pip's downloads and resolver notes) in a log file it names.
 */
async function install(target: string, io: UpIo): Promise<void> {
  const script = join(PACKAGE_ROOT, 'scripts', 'comfyui', 'install.sh')
  await makeDirs(target)
  const logFile = join(target, 'install.log')
  io.stderr.write(
    `Installing a CPU ComfyUI into ${target} (torch and ComfyUI's requirements from PyPI; a few minutes).\n` +
      `  Everything the installer prints goes to ${logFile}\n`,
  )
  const log = createWriteStream(logFile, { flags: 'a' })
  log.on('error', () => {})
  const child = spawn('bash', [script], {
    env: { ...process.env, COMFYUI_INSTALL_DIR: target },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let tail = ''
  let partial = ''
  const started = Date.now()
  const take = (chunk: Buffer) => {
    const text = chunk.toString()
    log.write(text)
    tail = (tail + text).slice(-3000)
    const lines = (partial + text).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines)
      if (isStep(line)) {
        const seconds = Math.round((Date.now() - started) / 1000)
        io.stderr.write(`  ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} ${line}\n`)
      }
  }
  child.stdout.on('data', take)
  child.stderr.on('data', take)
  const code = await new Promise<number | null>((r) => child.on('exit', r))
  await new Promise<void>((r) => log.end(r))
  if (code !== 0)
    throw new UpError(
      `Installing ComfyUI failed (exit ${code}). Its last output:\n${tail.trim().split('\n').slice(-15).join('\n')}\nThe whole log: ${logFile}; the installer: ${script}.`,
    )
}

async function askYesNo(question: string, io: UpIo): Promise<boolean> {
  if (!io.stdin.isTTY) return false
  const rl = createInterface({ input: io.stdin, output: io.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
  } finally {
    rl.close()
  }
}

interface ComfyStart {
  /** Where ComfyUI's main.py is. */
  dir: string
  python: string
  args: string[]
  /** Folders ComfyUI expects to exist before it starts. */
  folders?: string[]
}

/** Where a ComfyUI installed by `up --install` keeps its tree, and its arguments (CPU, folders in the home). */
function installedComfy(target: string): ComfyStart | undefined {
  const treeFile = join(target, 'tree')
  if (!existsSync(treeFile)) return undefined
  const dir = readFileSync(treeFile, 'utf8').trim()
  const data = join(target, 'data')
  return {
    dir,
    python: join(target, 'venv', 'bin', 'python'),
    folders: ['input', 'output', 'user'].map((f) => join(data, f)),
    args: [
      '--cpu',
      '--input-directory',
      join(data, 'input'),
      '--output-directory',
      join(data, 'output'),
      '--temp-directory',
      data,
      '--user-directory',
      join(data, 'user'),
      '--database-url',
      `sqlite:///${join(data, 'comfyui.db')}`,
    ],
  }
}

export async function upCommand(args: UpArgs, io: UpIo): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`)
  const comfyUrl = (args.comfy ?? env('DISCOMFORT_COMFY_URL') ?? DEFAULT_COMFY_URL).replace(/\/+$/, '')
  const http = new ComfyHttp(comfyUrl, { requestTimeoutMs: 3000 })
  const comfyDir = args.comfyuiDir ?? env('DISCOMFORT_COMFYUI_DIR')
  let launched: LaunchedComfy | undefined
  let bridge: Bridge | undefined
  /** Where ComfyUI's console output goes when up starts it. */
  let comfyLog: string | undefined

  const stopAll = async () => {
    await bridge?.close()
    await launched?.stop()
  }
  try {
    if (await reachable(http)) {
      say(`ComfyUI answers at ${comfyUrl}; using it.`)
      if (!(await servesExtension(http))) {
        say(
          `Its page does not load the Discomfort extension, so the DiscomfortPort node will be missing there. ` +
            `Install it into that ComfyUI and restart it: ${linkHint(comfyDir ? resolve(comfyDir) : undefined)}` +
            (comfyDir
              ? ''
              : ' (or run `discomfort up --comfyui-dir <ComfyUI>` while it is stopped, which does that for you).'),
        )
      }
    } else {
      let start: ComfyStart | undefined
      if (comfyDir) {
        const dir = resolve(comfyDir)
        if (!existsSync(join(dir, 'main.py')))
          throw new UpError(
            `${dir} has no main.py: give the ComfyUI folder itself (--comfyui-dir or DISCOMFORT_COMFYUI_DIR).`,
          )
        start = { dir, python: args.python ?? folderPython(dir), args: [] }
      } else {
        start = installedComfy(installDir())
        if (!start) {
          const question = `No ComfyUI answers at ${comfyUrl} and none was given (--comfyui-dir). Install a CPU ComfyUI into ${installDir()} (several GB)?`
          const yes = args.install || (await askYesNo(question, io))
          if (!yes) {
            throw new UpError(
              `No ComfyUI answers at ${comfyUrl}. Either start yours and run up again, give its folder (--comfyui-dir DIR or DISCOMFORT_COMFYUI_DIR), ` +
                `or let up install a CPU ComfyUI into ${installDir()}: discomfort up --install`,
            )
          }
          await install(installDir(), io)
          start = installedComfy(installDir())
          if (!start) throw new UpError(`The installer finished but left no ComfyUI tree in ${installDir()}.`)
        }
        if (args.python) start.python = args.python
      }
      linkIntoCustomNodes(start.dir, say)
      for (const folder of start.folders ?? []) await makeDirs(folder)
      const url = new URL(comfyUrl)
      if (!['127.0.0.1', 'localhost'].includes(url.hostname))
        throw new UpError(`up starts ComfyUI on this machine only; ${comfyUrl} is not a loopback address.`)
      const command = [
        quote(start.python),
        'main.py',
        '--listen',
        '127.0.0.1',
        '--port',
        url.port || '8188',
        '--disable-auto-launch',
        ...start.args.map(quote),
        ...(args.comfyArgs ? [args.comfyArgs] : []),
      ].join(' ')
      await makeDirs(discomfortHome())
      comfyLog = join(discomfortHome(), 'comfyui.log')
      launched = await ensureComfy(
        comfyUrl,
        { command, cwd: start.dir, appendPort: false, startTimeoutMs: 300_000, logFile: comfyLog },
        say,
      )
      if (!(await servesExtension(http))) {
        say(
          `Warning: ComfyUI started, but its page does not list the Discomfort extension. Check ComfyUI's log for custom_nodes/${NODE_FOLDER}.`,
        )
      }
    }

    bridge = await startBridge({
      port: args.port,
      comfyUrl,
      ...(args.root ? { root: args.root } : {}),
      log: say,
    })
    io.stdout.write(
      [
        '',
        `  ComfyUI page:  ${comfyUrl}/   (add a DiscomfortPort node: node library › Discomfort)`,
        `  Bridge:        ${bridge.url}   (discomfort run --bridge ${bridge.url} ...)`,
        `  Contexts in:   ${bridge.store.dir}`,
        ...(comfyLog ? [`  ComfyUI's console output: ${comfyLog}`] : []),
        '',
        `Ctrl+C stops ${launched ? 'ComfyUI and the bridge' : 'the bridge (ComfyUI was already running and is left alone)'}.`,
        '',
      ].join('\n'),
    )
    await new Promise<void>((resolveStop) => {
      const stop = () => {
        say('Stopping...')
        resolveStop()
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await stopAll()
    return 0
  } catch (e) {
    await stopAll()
    throw e
  }
}
