import { TypeCompiler } from '@sinclair/typebox/compiler'
import { loadConfig } from '../../src/config'
import { EXPOSE } from '../../src/cors'
import { JSON_TYPE, SAFE_ID, securityHeaders } from '../../src/envelope'
import { MessageCreate } from '../../src/features/messages/model'

/**
 * Parley's per-request duties done as directly as possible, for the baseline's DUTIES mode and
 * bench/gap.ts: the request id, the response headers, and a message body checked as Parley
 * checks it, with Parley's own patterns and headers (src/envelope.ts, src/cors.ts).
 */

/**
 * The headers Parley sends with a JSON answer besides its request id and content type
 * (security and CORS). Answers are written as Parley's are, with `Response.json`, which sets
 * the content type.
 */
export const DUTY_HEADERS = {
  ...securityHeaders,
  'access-control-allow-origin': '*',
  'access-control-expose-headers': EXPOSE,
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
// Parley's default limits.
const { MAX_BODY_BYTES, MAX_MESSAGE_LENGTH } = loadConfig({}, {})
const messageBody = TypeCompiler.Compile(MessageCreate(MAX_MESSAGE_LENGTH))

/** The client's request id when it is short and plain, else a new UUIDv7. */
export function requestIdOf(req: Request): string {
  const given = req.headers.get('x-request-id')
  return given && SAFE_ID.test(given) ? given : Bun.randomUUIDv7()
}

/** A JSON answer with Parley's headers. */
export const answer = (body: unknown, requestId: string, status = 200) =>
  Response.json(body, { status, headers: { ...DUTY_HEADERS, 'x-request-id': requestId } })

/**
 * A message body as Parley accepts it: within the size limit, a JSON Content-Type, strict
 * UTF-8, valid JSON matching the route's schema. Null when Parley would answer 4xx.
 */
export async function readMessage(
  req: Request,
): Promise<{ sender: 'user' | 'ai'; content: string; metadata?: Record<string, unknown>; client_id?: string } | null> {
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return null
  if (!JSON_TYPE.test(req.headers.get('content-type') ?? '')) return null
  try {
    const body: unknown = JSON.parse(utf8.decode(new Uint8Array(await req.arrayBuffer())))
    return messageBody.Check(body) && typeof body.content === 'string' ? { ...body, content: body.content } : null
  } catch {
    return null
  }
}
