/**
 * The yardstick: the least a Bun server can do for Parley's work. Raw Bun.serve + bun:sqlite
 * prepared statements, no framework, no ORM, the same schema (Parley's own migrations), the same
 * transactions (message insert + event-log append + conversation bump; count + page) and the
 * same JSON shapes. Native WebSocket rooms as Bun topics, like Parley's.
 *
 * With DUTIES=1 the two message routes also do, as directly as possible, what Parley must do for
 * every REST request besides the work: a request id (the client's when plain, else a UUIDv7),
 * security and CORS headers, the caller's address and credentials read and a rate-limit bucket
 * taken, the conversation id and the query or body checked against Parley's own schemas, and for
 * a body the Content-Type and Content-Length checks and strict UTF-8 JSON. Access logs stay
 * off, as the bench runs Parley (LOG_LEVEL=warn), and so do metrics (Parley's default). Some
 * of Parley's duties are left out (the per-message rate limit, the character count, pruning
 * the event log), so this is a generous floor for a server with those duties.
 *
 *   PORT=0 DB=/tmp/x.db bun bench/baseline.ts     (prints {"url": …} on its first line)
 */
import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { Server } from 'bun'
import { RateLimiter } from '../src/auth/rate-limit'
import { MessageListQuery } from '../src/features/messages/model'
import { iso, openBaselineDb, shape } from './lib/baseline-db'
import { answer, readMessage, requestIdOf } from './lib/duties'

const { db, q, insert, page } = openBaselineDb(process.env.DB ?? ':memory:')

const json = (body: unknown, status = 200) => Response.json(body, { status })

const DUTIES = process.env.DUTIES === '1'
const limiter = new RateLimiter(10_000_000)
const listQuery = TypeCompiler.Compile(MessageListQuery)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** The per-request duties before the work: the request id, or the error response. */
function admit(req: Request, srv: Server<WsData>, conversationId: string): string | Response {
  const requestId = requestIdOf(req)
  // Who is calling (credentials are read, not verified: Parley's default AUTH_MODE is none).
  const caller = req.headers.get('authorization') ?? req.headers.get('x-api-key') ?? `ip:${srv.requestIP(req)?.address}`
  if (limiter.take(caller) > 0) return json({ detail: 'Too many requests' }, 429)
  if (!UUID.test(conversationId)) return json({ detail: 'Conversation not found' }, 404)
  return requestId
}
/** The baseline's own body check: just enough to store a message. */
async function readPlainMessage(req: Request): Promise<{ sender: string; content: string } | null> {
  const body = (await req.json()) as { sender?: string; content?: string }
  if ((body.sender !== 'user' && body.sender !== 'ai') || typeof body.content !== 'string' || !body.content) return null
  return { sender: body.sender, content: body.content }
}

type WsData = { rooms: Set<string> }

const server = Bun.serve<WsData>({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  async fetch(req, srv) {
    const url = new URL(req.url)
    const parts = url.pathname.split('/').filter(Boolean)
    if (parts.length === 0 && req.headers.get('upgrade') === 'websocket') {
      return srv.upgrade(req, { data: { rooms: new Set() } }) ? undefined : json({ detail: 'upgrade failed' }, 400)
    }
    if (parts[0] === 'health') return json({ status: 'ok' })
    if (parts[0] !== 'conversations') return json({ detail: 'Not Found' }, 404)
    if (parts.length === 1 && req.method === 'POST') {
      const body = (await req.json()) as { user_id?: string; title?: string }
      const now = Date.now()
      const id = Bun.randomUUIDv7()
      q.createConv.run(id, String(body.user_id), body.title ?? null, '{}', now, now)
      return json(
        {
          id,
          user_id: body.user_id,
          title: body.title ?? null,
          metadata: {},
          created_at: iso(now),
          updated_at: iso(now),
          message_count: 0,
          messages: [],
        },
        201,
      )
    }
    const id = parts[1] as string
    if (parts[2] !== 'messages' || (req.method !== 'POST' && req.method !== 'GET'))
      return json({ detail: 'Not Found' }, 404)
    // With DUTIES, Parley's per-request duties wrap the same work.
    const requestId = DUTIES ? admit(req, srv, id) : null
    if (requestId instanceof Response) return requestId
    const reply = (body: unknown, status = 200) => (requestId ? answer(body, requestId, status) : json(body, status))
    if (req.method === 'POST') {
      const body = await (DUTIES ? readMessage(req) : readPlainMessage(req))
      if (!body) return json({ detail: 'invalid' }, 422)
      const done = insert(id, body.sender, body.content)
      if (!done) return json({ detail: 'Conversation not found' }, 404)
      srv.publish(
        `c:${id}`,
        JSON.stringify({ event: 'new_message', data: { ...done.message, conversationId: id, seq: done.seq } }),
      )
      return reply(done.message, 201)
    }
    const given = url.searchParams
    const number = (key: string) => (given.has(key) ? Number(given.get(key)) : undefined)
    const query = {
      page: number('page'),
      size: number('size'),
      before: given.get('before') ?? undefined,
      limit: number('limit'),
    }
    if (DUTIES && !listQuery.Check(query)) return json({ detail: 'invalid' }, 422)
    const conv = q.seq.get(id)
    if (!conv) return json({ detail: 'Conversation not found' }, 404)
    if (query.before) {
      const limit = query.limit ?? 10
      const c = q.cursor.get(query.before, id)
      if (!c) return json({ detail: 'invalid cursor' }, 400)
      const rows = q.before.all(id, c.seq, limit + 1)
      const messages = rows.slice(0, limit).map(shape)
      return reply({
        messages,
        total: conv.message_count,
        has_more: rows.length > limit,
        next_cursor: rows.length > limit ? messages.at(-1)?.id : null,
      })
    }
    return reply(page(id, conv.message_count, query.page ?? 1, query.size ?? 10))
  },
  websocket: {
    message(ws, text) {
      const frame = JSON.parse(String(text)) as { event: string; data: { conversationId: string; content?: string } }
      const id = frame.data.conversationId
      if (frame.event === 'join_conversation') {
        ws.subscribe(`c:${id}`)
        ws.send(JSON.stringify({ event: 'joined', data: { conversationId: id, seq: q.seq.get(id)?.last_seq ?? 0 } }))
      } else if (frame.event === 'send_message') {
        const done = insert(id, 'user', String(frame.data.content))
        if (!done) return
        server.publish(
          `c:${id}`,
          JSON.stringify({ event: 'new_message', data: { ...done.message, conversationId: id, seq: done.seq } }),
        )
      }
    },
  },
})
console.log(JSON.stringify({ msg: 'baseline listening', url: `http://127.0.0.1:${server.port}` }))
process.on('SIGTERM', () => {
  server.stop(true)
  db.close()
  process.exit(0)
})
