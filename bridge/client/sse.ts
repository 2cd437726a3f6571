/**
 * A Server-Sent Events reader whose work is linear in the stream's size:
 * each chunk is scanned once for line ends, and a line that spans many
 * chunks (a large result event) is joined once, when it ends. Follows the
 * format's rules: CRLF or LF, comments, multi-line data, no dispatch of an
 * event cut off before its blank line.
 */

export interface SseMessage {
  event: string
  data: string
}

export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder()
  const pieces: string[] = []
  let event = 'message'
  let data: string[] = []
  const take = (raw: string): SseMessage | undefined => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line === '') {
      const message = data.length ? { event, data: data.join('\n') } : undefined
      event = 'message'
      data = []
      return message
    }
    if (line.startsWith(':')) return undefined
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1)
    if (field === 'event') event = value
    else if (field === 'data') data.push(value)
    return undefined
  }
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true })
    let start = 0
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      pieces.push(text.slice(start, nl))
      start = nl + 1
      const message = take(pieces.join(''))
      pieces.length = 0
      if (message) yield message
    }
    if (start < text.length) pieces.push(text.slice(start))
  }
  // What is left is an event cut off before its blank line: the format says to drop it.
}
