/** The stand-in's input / output / temp folders, with ComfyUI's naming rules. */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, join, normalize, relative, resolve, sep } from 'node:path'

export type FolderType = 'input' | 'output' | 'temp'

export class Folders {
  readonly input: string
  readonly output: string
  readonly temp: string

  constructor(root: string) {
    this.input = join(root, 'input')
    this.output = join(root, 'output')
    this.temp = join(root, 'temp')
    for (const d of [this.input, this.output]) mkdirSync(d, { recursive: true })
    // Like ComfyUI, the temp folder is wiped at start-up.
    rmSync(this.temp, { recursive: true, force: true })
    mkdirSync(this.temp, { recursive: true })
  }

  dir(type: FolderType): string {
    return this[type]
  }

  /** `sub/x.png`, `x.png [output]` → absolute path (ComfyUI's annotated file paths). */
  annotatedPath(name: string, defaultType: FolderType = 'input'): string {
    const m = /^(.*) \[(input|output|temp)\]$/.exec(name)
    const type = (m?.[2] as FolderType | undefined) ?? defaultType
    const rel = m ? m[1]! : name
    return join(this.dir(type), rel)
  }

  existsAnnotated(name: string): boolean {
    const path = this.annotatedPath(name)
    return this.isInside(path, this.dir(this.typeOf(name))) && existsSync(path) && statSync(path).isFile()
  }

  private typeOf(name: string): FolderType {
    return (/ \[(input|output|temp)\]$/.exec(name)?.[1] as FolderType | undefined) ?? 'input'
  }

  isInside(path: string, dir: string): boolean {
    const rel = relative(resolve(dir), resolve(path))
    return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel))
  }

  /** Top-level files of input/, optionally filtered by extension (the LoadImage / LoadLatent combos). */
  inputFiles(filter?: (name: string) => boolean): string[] {
    return readdirSync(this.input, { withFileTypes: true })
      .filter((e) => e.isFile() && (!filter || filter(e.name)))
      .map((e) => e.name)
      .sort()
  }

  /**
   * `/upload/image`: stores bytes under `name`. When the name is taken, the
   * same bytes keep the name; different bytes get `name (1).ext`, `name (2).ext`...
   */
  upload(type: FolderType, subfolder: string, name: string, bytes: Uint8Array, overwrite: boolean): string {
    const dir = join(this.dir(type), subfolder)
    if (!this.isInside(dir, this.dir(type))) throw new Error('escape')
    mkdirSync(dir, { recursive: true })
    let final = name
    if (!overwrite) {
      const ext = extname(name)
      const stem = name.slice(0, name.length - ext.length)
      let i = 1
      while (existsSync(join(dir, final))) {
        if (sha256(readFileSync(join(dir, final))) === sha256(bytes)) return final
        final = `${stem} (${i})${ext}`
        i += 1
      }
    }
    writeFileSync(join(dir, final), bytes)
    return final
  }

  /** ComfyUI's get_save_image_path: folder, file stem and the next free counter for a prefix. */
  savePath(prefix: string, type: FolderType): { folder: string; filename: string; counter: number; subfolder: string } {
    const root = this.dir(type)
    const norm = normalize(prefix)
    const subfolder = dirname(norm) === '.' ? '' : dirname(norm)
    const filename = basename(norm)
    const folder = join(root, subfolder)
    if (!this.isInside(folder, root)) {
      throw new Error(
        `**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: ${resolve(folder)}\n         output_dir: ${root}\n         commonpath: ${root}`,
      )
    }
    let counter = 1
    if (existsSync(folder)) {
      for (const f of readdirSync(folder)) {
        const head = f.slice(0, filename.length + 1)
        if (head.slice(0, -1).toLowerCase() !== filename.toLowerCase() || head.at(-1) !== '_') continue
        const digits = Number.parseInt(f.slice(filename.length + 1).split('_')[0] ?? '', 10)
        if (Number.isFinite(digits) && digits + 1 > counter) counter = digits + 1
      }
    } else {
      mkdirSync(folder, { recursive: true })
    }
    return { folder, filename, counter, subfolder }
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
