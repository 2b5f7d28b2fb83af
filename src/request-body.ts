import { AppError } from './errors'

/** The 413 for a body past `max` bytes, by its Content-Length or as it arrives. */
export const tooLarge = (max: number) => new AppError('payload_too_large', `Request body exceeds ${max} bytes`)

/**
 * Reads a body within `timeoutMs` (then 408: a client trickling a byte at a time would hold the
 * connection and its buffer forever, since each byte resets the idle timeout). With a
 * Content-Length (already checked against the limit) it is read at once; a chunked body is
 * measured as it arrives and given up as soon as it passes `max` bytes.
 */
export async function readBody(
  request: Request,
  body: ReadableStream<Uint8Array>,
  max: number,
  timeoutMs: number,
): Promise<Uint8Array> {
  const reader = request.headers.has('content-length')
    ? null
    : (body.getReader() as ReadableStreamDefaultReader<Uint8Array>)
  let timer: Timer | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reader?.cancel().catch(() => {})
      reject(new AppError('request_timeout', `Request body not received within ${timeoutMs} ms`, CLOSE))
    }, timeoutMs)
  })
  try {
    const read = reader ? readLimited(reader, max) : request.arrayBuffer().then((b) => new Uint8Array(b))
    return await Promise.race([read, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const CLOSE = { connection: 'close' }

async function readLimited(reader: ReadableStreamDefaultReader<Uint8Array>, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    total += r.value.byteLength
    if (total > max) {
      reader.cancel().catch(() => {})
      throw tooLarge(max)
    }
    chunks.push(r.value)
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks)
}
