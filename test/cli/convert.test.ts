import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { startComfyStandIn } from '../comfyStandIn/server.js'
import {
  COMFY_0375,
  COMFY_FIXTURES,
  GRAPH_TO_PROMPT,
  TEMPLATES,
  graphToPromptExpected,
  templateCapture,
} from '../helpers/fixtures.js'

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

  describe('follows a frontend version', () => {
    const template = 'comfyui_workflow_templates_media_api/api_openai_chat'
    const file = join(TEMPLATES, 'templates', `${template}.json`)
    const info = join(COMFY_0375, 'object_info.json')
    const previewAny = (prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>) =>
      Object.values(prompt).find((n) => n.class_type === 'PreviewAny')?.inputs

    it('as --frontend says: what that real frontend sent, frontend-only inputs included', async () => {
      for (const version of ['1.32.9', '1.41.3', '1.58.1']) {
        const { code, stdout } = await cli('convert', file, '--object-info', info, '--frontend', version)
        expect(code).toBe(0)
        const want = templateCapture(version).cases[template]!
        expect(JSON.parse(stdout)).toEqual(want.expect === 'prompt' ? want.output : undefined)
      }
    })

    it('the newest known one when nothing says which', async () => {
      const { stdout } = await cli('convert', file, '--object-info', info)
      expect(previewAny(JSON.parse(stdout))).toEqual({ source: ['3', 0] })
    })

    it("with --comfy, the one that server says it serves (the stand-in's ComfyUI 0.3.54 says 1.25.11: the oldest profile)", async () => {
      const comfy = await startComfyStandIn()
      try {
        const dir = mkdtempSync(join(tmpdir(), 'discomfort-cli-'))
        const wf = join(dir, 'preview.json')
        writeFileSync(
          wf,
          JSON.stringify({
            nodes: [
              {
                id: 1,
                type: 'PrimitiveInt',
                widgets_values: [5, 'fixed'],
                outputs: [{ name: 'INT', type: 'INT', links: [1] }],
              },
              { id: 2, type: 'PreviewAny', inputs: [{ name: 'source', type: '*', link: 1 }], widgets_values: [] },
            ],
            links: [[1, 1, 0, 2, 0, 'INT']],
          }),
        )
        const { code, stdout } = await cli('convert', wf, '--comfy', comfy.url)
        expect(code).toBe(0)
        expect(previewAny(JSON.parse(stdout))).toEqual({ preview: '', source: ['1', 0] })
      } finally {
        await comfy.close()
      }
    })

    it('refuses a --frontend that is no version', async () => {
      const { code, stderr } = await cli('convert', file, '--object-info', info, '--frontend', 'latest')
      expect(code).toBe(2)
      expect(stderr).toMatch(/--frontend takes a version such as 1\.58\.1 \(got "latest"\)/)
    })
  })
})
