/** How much of an error answer is read; its message is at the start. */
const MAX_ERROR_BYTES = 64 << 10

/**
 * fetch for the SDK, bounded: of an error answer only MAX_ERROR_BYTES are read. (The SDK takes an
 * error's message from OpenAI's `{error: {message}}` and from vLLM's unwrapped
 * `{object: "error", message}` alike.) A successful answer is the stream, read by `sseEvents`.
 */
export async function guardedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init)
  if (!res.body || res.ok) return res
  const headers = new Headers(res.headers)
  headers.delete('content-length')
  const meta = { status: res.status, statusText: res.statusText, headers }
  return new Response(await readPrefix(res.body, MAX_ERROR_BYTES), meta)
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
