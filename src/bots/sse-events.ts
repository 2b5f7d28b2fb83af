import { createParser, type EventSourceMessage } from 'eventsource-parser'

/** An SSE event longer than the limit. */
export class EventTooLong extends Error {
  constructor(max: number) {
    super(`an SSE event longer than ${max} characters`)
  }
}

/**
 * The events of a Server-Sent Events body as they arrive, parsed as the spec says (comments,
 * CR/LF line ends, events split across reads, multi-line `data`) by eventsource-parser. One
 * reader and one loop, no stream layers: each chunk of a streamed reply arrives alone, and every
 * layer between the socket and the relay is paid once per token. An event still incomplete after
 * `max` characters fails the stream instead of being buffered without bound. Leaving the loop
 * (or an error) cancels the body, which closes the connection.
 */
export async function* sseEvents(body: ReadableStream<Uint8Array>, max: number): AsyncGenerator<EventSourceMessage> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const ready: EventSourceMessage[] = []
  let tooLong = false
  const parser = createParser({
    maxBufferSize: max,
    onEvent: (event) => ready.push(event),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') tooLong = true
    },
  })
  // A CR last may be a line end or the first half of a CRLF: the parser waits for what follows.
  let endsWithCR = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        // The stream's end ends that line (an event ended by it is whole); a LF completes it.
        if (endsWithCR) parser.feed('\n')
      } else {
        const text = decoder.decode(value, { stream: true })
        if (text) endsWithCR = text.endsWith('\r')
        parser.feed(text)
        if (tooLong) throw new EventTooLong(max)
      }
      for (const event of ready) yield event
      ready.length = 0
      if (done) return
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}
