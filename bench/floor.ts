/**
 * The minimal floor: the simplest correct server for the REST requests Parley answers, with the
 * simplest schema that stores the same message — not Parley's schema. Raw Bun.serve and
 * bun:sqlite prepared statements, the same durability settings as Parley (WAL, NORMAL sync,
 * foreign keys), one transaction per write: a message is one insert plus a conversation bump
 * (updated_at and a maintained count); a page is the count and one indexed read. No event log,
 * no tree, no rooms, no request ids, no rate limits. Answers in the shapes Parley's API uses.
 *
 *   PORT=0 DB=/tmp/x.db bun bench/floor.ts
 */
import { Database } from 'bun:sqlite'

const db = new Database(process.env.DB ?? ':memory:', { create: true, strict: true })
db.exec('PRAGMA journal_mode = WAL')
db.exec('PRAGMA synchronous = NORMAL')
db.exec('PRAGMA busy_timeout = 5000')
db.exec('PRAGMA foreign_keys = ON')
db.exec(`CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, title TEXT, metadata TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, message_count INTEGER NOT NULL DEFAULT 0)`)
db.exec(`CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  sender TEXT NOT NULL, content TEXT NOT NULL, metadata TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`)
db.exec('CREATE INDEX IF NOT EXISTS messages_conversation_idx ON messages (conversation_id, created_at, id)')

type Row = {
  id: string
  conversation_id: string
  sender: string
  content: string
  metadata: string
  created_at: number
  updated_at: number
}
const q = {
  conversation: db.prepare(
    'INSERT INTO conversations (id, user_id, title, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  ),
  bump: db.prepare('UPDATE conversations SET message_count = message_count + ?, updated_at = ? WHERE id = ?'),
  insert: db.prepare(
    'INSERT INTO messages (id, conversation_id, sender, content, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  count: db.prepare<{ message_count: number }, [string]>('SELECT message_count FROM conversations WHERE id = ?'),
  page: db.prepare<Row, [string, number, number]>(
    'SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?',
  ),
  edit: db.prepare<Row, [string, number, string, string]>(
    'UPDATE messages SET content = ?, updated_at = ? WHERE id = ? AND conversation_id = ? RETURNING *',
  ),
  remove: db.prepare('DELETE FROM messages WHERE id = ? AND conversation_id = ?'),
}

const iso = (ms: number) => new Date(ms).toISOString()
const shape = (r: Row) => ({
  id: r.id,
  conversation_id: r.conversation_id,
  sender: r.sender,
  content: r.content,
  metadata: JSON.parse(r.metadata),
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
})

/** A message and its conversation's bump, or null when the conversation does not exist. */
const append = db.transaction((conversationId: string, sender: string, content: string) => {
  const now = Date.now()
  if (q.bump.run(1, now, conversationId).changes === 0) return null
  const row = {
    id: Bun.randomUUIDv7(),
    conversation_id: conversationId,
    sender,
    content,
    metadata: '{}',
    created_at: now,
    updated_at: now,
  }
  q.insert.run(row.id, conversationId, sender, content, row.metadata, now, now)
  return row
})
const remove = db.transaction((conversationId: string, id: string) => {
  if (q.remove.run(id, conversationId).changes === 0) return false
  q.bump.run(-1, Date.now(), conversationId)
  return true
})

const json = (body: unknown, status = 200) => Response.json(body, { status })
const notFound = (what: string) => json({ detail: `${what} not found` }, 404)
const invalid = () => json({ detail: 'invalid' }, 422)
const body = async (req: Request) => (await req.json().catch(() => null)) as Record<string, unknown> | null

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  async fetch(req) {
    const url = new URL(req.url)
    const [root, id, sub, messageId] = url.pathname.split('/').filter(Boolean)
    if (root === 'health') return json({ status: 'ok' })
    if (root !== 'conversations') return json({ detail: 'Not Found' }, 404)
    if (!id && req.method === 'POST') {
      const b = await body(req)
      if (typeof b?.user_id !== 'string' || !b.user_id) return invalid()
      const title = typeof b.title === 'string' ? b.title : null
      const now = Date.now()
      const conv = {
        id: Bun.randomUUIDv7(),
        user_id: b.user_id,
        title,
        metadata: {},
        created_at: iso(now),
        updated_at: iso(now),
      }
      q.conversation.run(conv.id, b.user_id, title, '{}', now, now)
      return json({ ...conv, message_count: 0, messages: [] }, 201)
    }
    if (!id || sub !== 'messages') return json({ detail: 'Not Found' }, 404)
    if (req.method === 'POST' && !messageId) {
      const b = await body(req)
      if ((b?.sender !== 'user' && b?.sender !== 'ai') || typeof b.content !== 'string' || !b.content) return invalid()
      const row = append(id, b.sender, b.content)
      return row ? json(shape(row), 201) : notFound('Conversation')
    }
    if (req.method === 'GET' && !messageId) {
      const conv = q.count.get(id)
      if (!conv) return notFound('Conversation')
      const page = Number(url.searchParams.get('page') ?? 1)
      const size = Number(url.searchParams.get('size') ?? 10)
      if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1 || size > 100) return invalid()
      const messages = q.page.all(id, size, (page - 1) * size).map(shape)
      const total = conv.message_count
      const has_more = page * size < total
      return json({
        messages,
        total,
        has_more,
        next_cursor: has_more ? (messages.at(-1)?.id ?? null) : null,
        page,
        size,
        pages: Math.ceil(total / size),
      })
    }
    if (req.method === 'PUT' && messageId) {
      const b = await body(req)
      if (typeof b?.content !== 'string' || !b.content) return invalid()
      const row = q.edit.get(b.content, Date.now(), messageId, id)
      return row ? json(shape(row)) : notFound('Message')
    }
    if (req.method === 'DELETE' && messageId)
      return remove(id, messageId) ? new Response(null, { status: 204 }) : notFound('Message')
    return json({ detail: 'Method Not Allowed' }, 405)
  },
})
console.log(JSON.stringify({ msg: 'floor listening', url: `http://127.0.0.1:${server.port}` }))
process.on('SIGTERM', () => {
  server.stop(true)
  db.close()
  process.exit(0)
})
