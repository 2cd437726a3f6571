import { describe, expect, it } from 'vitest'
import { comfyViewFile, keyFromFileName, parseEntry } from './valueForm.js'

describe('values typed in the panel', () => {
  it('are read as the kind chosen, or say why not', () => {
    expect(parseEntry('text', '42')).toEqual({ value: '42' })
    expect(parseEntry('number', '7.5')).toEqual({ value: 7.5 })
    expect(parseEntry('number', 'twenty')).toEqual({ error: '"twenty" is not a number' })
    expect(parseEntry('number', '')).toMatchObject({ error: expect.stringContaining('not a number') })
    expect(parseEntry('boolean', 'true')).toEqual({ value: true })
    expect(parseEntry('boolean', 'yes')).toEqual({ error: 'true or false' })
    expect(parseEntry('json', '{"a": [1, 2]}')).toEqual({ value: { a: [1, 2] } })
    expect(parseEntry('json', '{a}')).toMatchObject({ error: expect.stringMatching(/^not JSON/) })
  })

  it('files are stored under their name without the extension, as a key may be', () => {
    expect(keyFromFileName('red square.png')).toBe('red square')
    expect(keyFromFileName('noise.latent')).toBe('noise')
    expect(keyFromFileName('a\\b.png')).toBe('a_b')
    expect(keyFromFileName('.png')).toBe('file')
  })
})

describe('images dragged from ComfyUI outputs', () => {
  it('are taken from this ComfyUI’s /view URLs only', () => {
    const origin = 'http://127.0.0.1:8188'
    expect(comfyViewFile(`${origin}/api/view?filename=ComfyUI_00001_.png&type=output&subfolder=`, origin)).toBe(
      'ComfyUI_00001_.png',
    )
    expect(comfyViewFile(`${origin}/view?filename=a.png&type=temp`, origin)).toBe('a.png')
    expect(comfyViewFile('http://elsewhere:8188/api/view?filename=a.png', origin)).toBeUndefined()
    expect(comfyViewFile(`${origin}/api/userdata/a.png`, origin)).toBeUndefined()
  })
})
