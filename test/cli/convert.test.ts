import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { COMFY_FIXTURES, GRAPH_TO_PROMPT, graphToPromptExpected } from '../helpers/fixtures.js'

const OBJECT_INFO = join(COMFY_FIXTURES, 'object_info.json')

const cli = (...args: string[]) => runCli(args)

describe('discomfort convert', () => {
  it('prints the API prompt of a UI workflow as JSON', async () => {
    const { code, stdout } = await cli(
      'convert',
      join(GRAPH_TO_PROMPT, 'cases', 'default.json'),
      '--object-info',
      OBJECT_INFO,
    )
    expect(code).toBe(0)
    const want = graphToPromptExpected().default!
    expect(want.expect).toBe('prompt')
    expect(JSON.parse(stdout)).toEqual(want.expect === 'prompt' ? want.output : undefined)
  })

  it('fails with the missing node types on stderr and nothing on stdout', async () => {
    const { code, stdout, stderr } = await cli(
      'convert',
      join(GRAPH_TO_PROMPT, 'cases', 'missing__missing_nodes.json'),
      `--object-info=${OBJECT_INFO}`,
    )
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/"UNKNOWN NODE" \(node 1\)/)
  })

  it('names the workflow and the link when a link dangles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'discomfort-cli-'))
    const file = join(dir, 'dangling.json')
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [{ id: 1, type: 'ImageInvert', inputs: [{ name: 'image', type: 'IMAGE', link: 7 }] }],
        links: [],
      }),
    )
    const { code, stderr } = await cli('convert', file, '--object-info', OBJECT_INFO)
    expect(code).toBe(1)
    expect(stderr).toMatch(/dangling\.json, node 1 \(ImageInvert\): input refers to link 7/)
  })

  it('refuses a workflow whose links form a cycle, naming its nodes, and prints nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'discomfort-cli-'))
    const file = join(dir, 'cycle.json')
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          {
            id: 1,
            type: 'ImageInvert',
            inputs: [{ name: 'image', type: 'IMAGE', link: 2 }],
            outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [1] }],
          },
          {
            id: 2,
            type: 'ImageInvert',
            inputs: [{ name: 'image', type: 'IMAGE', link: 1 }],
            outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [2, 3] }],
          },
          { id: 3, type: 'PreviewImage', inputs: [{ name: 'images', type: 'IMAGE', link: 3 }], outputs: [] },
        ],
        links: [
          [1, 1, 0, 2, 0, 'IMAGE'],
          [2, 2, 0, 1, 0, 'IMAGE'],
          [3, 2, 0, 3, 0, 'IMAGE'],
        ],
      }),
    )
    const { code, stdout, stderr } = await cli('convert', file, '--object-info', OBJECT_INFO)
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(
      /cycle\.json: the links between nodes \d \(Invert Image\) → \d \(Invert Image\) → \d \(Invert Image\) form a cycle/,
    )
  })

  it('says how to proceed when ComfyUI cannot be reached', async () => {
    const { code, stderr } = await cli(
      'convert',
      join(GRAPH_TO_PROMPT, 'cases', 'default.json'),
      '--comfy',
      'http://127.0.0.1:9',
    )
    expect(code).toBe(1)
    expect(stderr).toMatch(/Cannot reach ComfyUI at http:\/\/127\.0\.0\.1:9.*--object-info/)
  })

  it('exits 2 with usage on bad arguments', async () => {
    const { code, stderr } = await cli('convert')
    expect(code).toBe(2)
    expect(stderr).toMatch(/Usage: discomfort/)
  })
})
