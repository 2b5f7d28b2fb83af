/**
 * The framework floor: the baseline's GET page route, unchanged, served through Elysia's
 * `app.handle` (no validation, no hooks). What Elysia alone costs on this machine, next to the
 * raw baseline: the ceiling for any Elysia app doing the same work.
 *
 *   PORT=0 DB=/tmp/x.db bun bench/elysia-floor.ts
 */
import { Database } from 'bun:sqlite'
import { join } from 'node:path'
import { drizzle } from 'drizzle-orm/bun-sqlite'
import { migrate } from 'drizzle-orm/bun-sqlite/migrator'
import { Elysia } from 'elysia'

const db = new Database(process.env.DB ?? ':memory:', { create: true, strict: true })
db.exec('PRAGMA journal_mode = WAL')
db.exec('PRAGMA synchronous = NORMAL')
migrate(drizzle({ client: db }), { migrationsFolder: join(import.meta.dir, '../drizzle/sqlite') })
const count = db.prepare<{ last_seq: number; message_count: number }, [string]>(
  'SELECT last_seq, message_count FROM conversations WHERE id = ?',
)
const page = db.prepare<Record<string, unknown>, [string, number, number]>(
  'SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?',
)
const iso = (ms: number) => new Date(ms).toISOString()

const app = new Elysia().get('/conversations/:id/messages', ({ params, query, status }) => {
  const conv = count.get(params.id)
  if (!conv) return status(404, { detail: 'Conversation not found' })
  const size = Number(query.size ?? 10)
  const pageNo = Number(query.page ?? 1)
  const rows = page.all(params.id, size + 1, (pageNo - 1) * size)
  const messages = rows.slice(0, size).map((r) => ({
    ...r,
    metadata: JSON.parse(String(r.metadata)),
    created_at: iso(Number(r.created_at)),
    updated_at: iso(Number(r.updated_at)),
  }))
  return {
    messages,
    total: conv.message_count,
    page: pageNo,
    size,
    pages: Math.ceil(conv.message_count / size),
    has_more: rows.length > size,
  }
})
const server = Bun.serve({ hostname: '127.0.0.1', port: Number(process.env.PORT ?? 0), fetch: (r) => app.handle(r) })
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}` }))
