/**
 * The longest SSE event read from the provider, in bytes (a chunk is a few hundred): one that does
 * not end fails the reply instead of being buffered without bound.
 */
const MAX_EVENT_BYTES = 1 << 20
/** How much of an error answer is read; its message is at the start. */
const MAX_ERROR_BYTES = 64 << 10

/**
 * fetch for the SDK, bounded: a successful answer is read through `boundedEvents`, an error
 * answer only up to MAX_ERROR_BYTES. (The SDK takes an error's message from OpenAI's
 * `{error: {message}}` and from vLLM's unwrapped `{object: "error", message}` alike.)
 */
export async function guardedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init)
  if (!res.body) return res
  const headers = new Headers(res.headers)
  headers.delete('content-length')
  const meta = { status: res.status, statusText: res.statusText, headers }
  if (res.ok) return new Response(boundedEvents(res.body, MAX_EVENT_BYTES), meta)
  return new Response(await readPrefix(res.body, MAX_ERROR_BYTES), meta)
}

/** An SSE event longer than the limit. */
export class EventTooLong extends Error {
  constructor(max: number) {
    super(`an SSE event longer than ${max} bytes`)
  }
}

const LF = 0x0a
const CR = 0x0d

/**
 * Passes an SSE byte stream through, failing it when an event (up to a blank line) exceeds `max`
 * bytes. A stream that pulls from the body's reader, not a TransformStream: each chunk of a
 * streamed reply arrives alone, and a pipe's extra hops cost more per chunk than reading it.
 */
function boundedEvents(body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  let run = 0 // bytes since the last blank line
  let lineEnded = false // the last byte ended a line
  let afterCR = false // ... and it was \r (so a \n next is part of the same line end)
  const check = (chunk: Uint8Array) => {
    // An indexed loop: `for…of` over the bytes made an iterator step per byte (~5× slower).
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number
      if (byte === LF && afterCR) {
        afterCR = false
        continue
      }
      const eol = byte === LF || byte === CR
      if (eol && lineEnded) run = 0
      else if (++run > max) throw new EventTooLong(max)
      lineEnded = eol
      afterCR = byte === CR
    }
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctrl) {
        const { done, value } = await reader.read()
        if (done) return ctrl.close()
        try {
          check(value)
        } catch (error) {
          reader.cancel().catch(() => {})
          throw error
        }
        ctrl.enqueue(value)
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  )
}

/** The first `max` bytes of a body as text; the rest is not read. */
async function readPrefix(body: ReadableStream<Uint8Array>, max: number): Promise<string> {
  const reader = body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  try {
    while (size < max) {
      const { done, value } = await reader.read()
      if (done) break
      parts.push(value.subarray(0, max - size))
      size += value.byteLength
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
  return new TextDecoder().decode(Buffer.concat(parts))
}
