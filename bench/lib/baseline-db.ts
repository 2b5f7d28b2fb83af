import { Database } from 'bun:sqlite'
import { join } from 'node:path'
import { drizzle } from 'drizzle-orm/bun-sqlite'
import { migrate } from '../../src/storage/migrations'

/** A message row as SQLite returns it. */
export type Row = {
  id: string
  conversation_id: string
  seq: number
  sender: string
  content: string
  metadata: string
  reply_to: string | null
  parent_id: string | null
  created_at: number
  updated_at: number
}

export const iso = (ms: number) => new Date(ms).toISOString()

/** A row in the API's JSON shape. */
export const shape = (r: Row) => ({
  id: r.id,
  conversation_id: r.conversation_id,
  sender: r.sender,
  content: r.content,
  metadata: JSON.parse(r.metadata),
  reply_to: r.reply_to,
  parent_id: r.parent_id,
  siblings: [r.id],
  parts: [{ type: 'text', text: r.content }],
  generation: null,
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
})

/**
 * The baseline's data layer: one bun:sqlite connection with Parley's settings (WAL, NORMAL
 * sync, foreign keys) and Parley's migrations, its prepared statements, and the message insert
 * transaction (conversation bump + message + event-log append). Shared by the baseline server
 * and the in-process layer measurements.
 */
export function openBaselineDb(file: string) {
  const db = new Database(file, { create: true, strict: true })
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = NORMAL')
  db.exec('PRAGMA busy_timeout = 5000')
  db.exec('PRAGMA foreign_keys = ON')
  migrate(drizzle({ client: db }), join(import.meta.dir, '../../drizzle/sqlite'))

  const q = {
    createConv: db.prepare(
      'INSERT INTO conversations (id, user_id, title, metadata, created_at, updated_at, message_count, last_seq) VALUES (?, ?, ?, ?, ?, ?, 0, 0)',
    ),
    bump: db.prepare('UPDATE conversations SET last_seq = last_seq + 1, updated_at = ? WHERE id = ?'),
    seq: db.prepare<{ last_seq: number; head_id: string | null; message_count: number }, [string]>(
      'SELECT last_seq, head_id, message_count FROM conversations WHERE id = ?',
    ),
    // The message goes at the head of the active branch, and becomes it.
    insertMessage: db.prepare(
      'INSERT INTO messages (id, conversation_id, seq, sender, content, metadata, client_id, reply_to, parent_id, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, 1, ?, ?)',
    ),
    advanceHead: db.prepare('UPDATE conversations SET head_id = ?, message_count = message_count + 1 WHERE id = ?'),
    insertEvent: db.prepare(
      'INSERT INTO events (conversation_id, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    page: db.prepare<Row, [string, number, number]>(
      'SELECT * FROM messages WHERE conversation_id = ? AND active = 1 ORDER BY seq DESC LIMIT ? OFFSET ?',
    ),
    cursor: db.prepare<{ created_at: number; seq: number }, [string, string]>(
      'SELECT created_at, seq FROM messages WHERE id = ? AND conversation_id = ?',
    ),
    before: db.prepare<Row, [string, number, number]>(
      'SELECT * FROM messages WHERE conversation_id = ? AND active = 1 AND seq < ? ORDER BY seq DESC LIMIT ?',
    ),
  }

  /** Stores a message and its event; null when the conversation does not exist. */
  const insert = db.transaction((conversationId: string, sender: string, content: string) => {
    const now = Date.now()
    q.bump.run(now, conversationId)
    const conv = q.seq.get(conversationId)
    if (!conv) return null
    const row: Row = {
      id: Bun.randomUUIDv7(),
      conversation_id: conversationId,
      seq: conv.last_seq,
      sender,
      content,
      metadata: '{}',
      reply_to: null,
      parent_id: conv.head_id,
      created_at: now,
      updated_at: now,
    }
    q.insertMessage.run(row.id, conversationId, row.seq, sender, content, '{}', conv.head_id, now, now)
    q.advanceHead.run(row.id, conversationId)
    const message = shape(row)
    q.insertEvent.run(
      conversationId,
      row.seq,
      'new_message',
      JSON.stringify({ type: 'new_message', conversationId, seq: row.seq, message }),
      now,
    )
    return { message, seq: row.seq }
  })

  /** Page mode, newest first: a conversation's page of `size` from page `page`, given its count. */
  const page = (conversationId: string, total: number, page: number, size: number) => {
    const rows = q.page.all(conversationId, size + 1, (page - 1) * size)
    const messages = rows.slice(0, size).map(shape)
    const hasMore = rows.length > size
    return {
      messages,
      total,
      page,
      size,
      pages: Math.ceil(total / size),
      has_more: hasMore,
      next_cursor: hasMore ? messages.at(-1)?.id : null,
    }
  }

  return { db, q, insert, page }
}
