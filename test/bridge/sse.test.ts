/** The event-stream reader: messages split anywhere across chunks, large events, the format's details. */
import { describe, expect, it } from 'vitest'
import { readSse, type SseMessage } from '../../bridge/client/sse.js'

async function read(chunks: string[]): Promise<SseMessage[]> {
  const encoder = new TextEncoder()
  async function* body() {
    for (const c of chunks) yield encoder.encode(c)
  }
  const out: SseMessage[] = []
  for await (const m of readSse(body())) out.push(m)
  return out
}

describe('readSse', () => {
  it('reads a 2 MB event that arrives in 1 KB pieces, and the small ones around it', async () => {
    const big = JSON.stringify({ value: 'x'.repeat(2 * 1024 * 1024) })
    const stream = `event: node\ndata: {"n":1}\n\nevent: result\ndata: ${big}\n\nevent: end\ndata: {}\n\n`
    const chunks: string[] = []
    for (let i = 0; i < stream.length; i += 1024) chunks.push(stream.slice(i, i + 1024))
    const messages = await read(chunks)
    expect(messages.map((m) => m.event)).toEqual(['node', 'result', 'end'])
    expect(messages[1]!.data).toBe(big)
  })

  it('follows the format: CRLF line ends, comments, several data lines, no space after the colon; an event cut off before its blank line is dropped', async () => {
    const messages = await read([
      ': keep-alive\r\n',
      'event:a\r\ndata: 1\r\ndata:2\r\n\r\n',
      'data: plain\n\n',
      'event: last\ndata: 3',
    ])
    expect(messages).toEqual([
      { event: 'a', data: '1\n2' },
      { event: 'message', data: 'plain' },
    ])
  })

  it('keeps a multi-byte character split between chunks whole', async () => {
    const bytes = new TextEncoder().encode('data: 🙂é\n\n')
    async function* body() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1)
    }
    const out: SseMessage[] = []
    for await (const m of readSse(body())) out.push(m)
    expect(out).toEqual([{ event: 'message', data: '🙂é' }])
  })
})
