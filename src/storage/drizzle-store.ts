import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core'
import { type Db, type Driver, Rollback, run, type Tables } from './driver'
import { leaseQueries } from './drizzle-leases'
import { before, preparedQueries, type SeqRow } from './drizzle-queries'
import { type BriefRow, toBrief, toConversation, toMessage } from './rows'
import type { ChatEvent, MessageWindow, NewMessage, Store } from './store'

export type StoreOptions = {
  /** Events kept per conversation for replay; older ones are pruned. */
  eventRetention: number
}

type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']

// Prune the event log every this many events, not on every write.
const PRUNE_EVERY = 64

/**
 * The one Store implementation, written against the Drizzle subset every dialect supports:
 * ids and timestamps are made here (no RETURNING), no upserts, no affected-row counts.
 *
 * Every change to a conversation first bumps `conversations.last_seq` (which also locks the row
 * on PostgreSQL/MySQL, serialising writers per conversation), reads the new value back, makes
 * the change and appends the event with that seq — all in one transaction, so the log has no gaps.
 */
export function createDrizzleStore(driver: Driver, options: StoreOptions): Store {
  const { db } = driver
  const { conversations: c, messages: m } = driver.tables
  const q = preparedQueries(driver)

  function* appendEvent(tx: Db, event: ChatEvent, now: number) {
    yield q.insertEvent(
      {
        conversationId: event.conversationId,
        seq: event.seq,
        type: event.type,
        payload: JSON.stringify(event),
        createdAt: now,
      },
      tx,
    )
    if (event.seq % PRUNE_EVERY === 0 && event.seq > options.eventRetention) {
      const oldest = event.seq - options.eventRetention
      yield q.pruneEvents({ conversationId: event.conversationId, oldest }, tx)
    }
  }

  /** Bumps the conversation's seq (plus `extra` columns) and returns the new seq, or null. */
  function* nextSeq(tx: Db, conversationId: string, extra: SQLiteUpdateSetSource<typeof c> = {}) {
    yield* run(
      tx
        .update(c)
        .set({ ...extra, lastSeq: sql`${c.lastSeq} + 1` })
        .where(eq(c.id, conversationId)),
    )
    const [row] = yield* run(q.conversation({ id: conversationId }, tx))
    return row ?? null
  }

  // Transaction bodies on the hot paths are generator functions made once, not per call: a
  // generator function made per call brings its own prototype, so each call's generator had a
  // new shape (a new Structure per request, and the runner's calls on it never stay fast).
  // They yield their queries themselves (`(yield query) as Rows`) rather than `yield* run(query)`,
  // which made a generator per query and passed every result through it.

  /** Stores a message and its event (see createMessage). */
  function* storeMessage(tx: Db, input: NewMessage, now: number) {
    const { conversationId, clientId } = input
    if (clientId !== undefined) {
      const [dup] = (yield q.byClientId({ conversationId, clientId }, tx)) as MessageRow[]
      if (dup) {
        const message = toMessage(dup)
        const event: ChatEvent = { type: 'new_message', conversationId, seq: dup.seq, message }
        return { message, event, duplicate: true }
      }
    }
    yield q.bumpForMessage({ id: conversationId, now }, tx)
    const [conv] = (yield q.seq({ id: conversationId }, tx)) as SeqRow[]
    if (!conv) return null
    const row: MessageRow = {
      id: input.id ?? Bun.randomUUIDv7(),
      conversationId,
      seq: conv.lastSeq,
      sender: input.sender,
      content: input.content,
      metadata: JSON.stringify(input.metadata),
      clientId: clientId ?? null,
      replyTo: input.replyTo ?? null,
      createdAt: now,
      updatedAt: now,
    }
    yield q.insertMessage(row, tx)
    const message = toMessage(row)
    const event: ChatEvent = { type: 'new_message', conversationId, seq: row.seq, message }
    yield* appendEvent(tx, event, now)
    return { message, event, duplicate: false }
  }

  function* briefAndMessages(tx: Db, conversationId: string, window: MessageWindow) {
    const [row] = (yield q.brief({ id: conversationId }, tx)) as BriefRow[]
    if (!row) return null
    return { conversation: toBrief(row), messages: yield* messagesIn(tx, conversationId, window) }
  }

  /** A window of a conversation's messages, newest first; null when the cursor names none of them. */
  function* messagesIn(tx: Db, conversationId: string, window: MessageWindow) {
    const { limit } = window
    if ('offset' in window)
      return ((yield q.page({ conversationId, limit, offset: window.offset }, tx)) as MessageRow[]).map(toMessage)
    const [cursor] = (yield q.message({ id: window.beforeId, conversationId }, tx)) as MessageRow[]
    if (!cursor) return null
    const rows = (yield q.before(
      { conversationId, createdAt: cursor.createdAt, seq: cursor.seq, limit },
      tx,
    )) as MessageRow[]
    return rows.map(toMessage)
  }

  const findMessage = async (conversationId: string, id: string) => (await q.message({ id, conversationId }))[0] ?? null

  return {
    async createConversation({ userId, title, metadata }) {
      const now = Date.now()
      const row: ConversationRow = {
        id: Bun.randomUUIDv7(),
        userId,
        title,
        metadata: JSON.stringify(metadata),
        createdAt: now,
        updatedAt: now,
        messageCount: 0,
        lastSeq: 0,
      }
      await db.insert(c).values(row)
      return toConversation(row)
    },

    async getConversation(id) {
      const [row] = await q.conversation({ id })
      return row ? toConversation(row) : null
    },

    async getConversationBrief(id) {
      const [row] = await q.brief({ id })
      return row ? toBrief(row) : null
    },

    async listConversations({ userId, limit, beforeId }) {
      const byUser = userId === undefined ? undefined : eq(c.userId, userId)
      const where: (SQL | undefined)[] = [byUser]
      if (beforeId !== undefined) {
        // Looked up in the listed set only: another user's id must answer like an unknown one.
        const [cursor] = await db
          .select()
          .from(c)
          .where(and(eq(c.id, beforeId), byUser))
        if (!cursor) return null
        where.push(before(c.updatedAt, c.id, cursor.updatedAt, cursor.id))
      }
      const rows = await db
        .select()
        .from(c)
        .where(and(...where))
        .orderBy(desc(c.updatedAt), desc(c.id))
        .limit(limit)
      return rows.map(toConversation)
    },

    updateConversation(id, patch) {
      const now = Date.now()
      const set: SQLiteUpdateSetSource<typeof c> = { updatedAt: now }
      if (patch.title !== undefined) set.title = patch.title
      if (patch.metadata !== undefined) set.metadata = JSON.stringify(patch.metadata)
      return driver.transaction(function* (tx) {
        const row = yield* nextSeq(tx, id, set)
        if (!row) return null
        const conversation = toConversation(row)
        const event: ChatEvent = { type: 'conversation_updated', conversationId: id, seq: row.lastSeq, conversation }
        yield* appendEvent(tx, event, now)
        return { conversation, event }
      })
    },

    deleteConversation(id) {
      return driver.transaction(function* (tx) {
        const row = yield* nextSeq(tx, id)
        if (!row) return null
        // Messages and events go with it (ON DELETE CASCADE); the event is published, not stored.
        yield* run(tx.delete(c).where(eq(c.id, id)))
        return { type: 'conversation_deleted', conversationId: id, seq: row.lastSeq } satisfies ChatEvent
      })
    },

    async createMessage(input) {
      const insert = () => {
        const now = Date.now()
        return driver.transaction((tx) => storeMessage(tx, input, now))
      }
      try {
        return await insert()
      } catch (error) {
        // Two writers raced with the same clientId on a network database: the loser re-reads.
        if (input.clientId !== undefined && driver.isUniqueViolation(error)) return insert()
        throw error
      }
    },

    async getMessage(conversationId, id) {
      const row = await findMessage(conversationId, id)
      return row ? toMessage(row) : null
    },

    listMessages(conversationId, window) {
      return driver.read((tx) => messagesIn(tx, conversationId, window))
    },

    pageMessages(conversationId, window) {
      return driver.read((tx) => briefAndMessages(tx, conversationId, window))
    },

    updateMessage(conversationId, id, content) {
      const now = Date.now()
      return driver.transaction(function* (tx) {
        const conv = yield* nextSeq(tx, conversationId)
        if (!conv) return null
        const where = and(eq(m.id, id), eq(m.conversationId, conversationId))
        yield* run(tx.update(m).set({ content, updatedAt: now }).where(where))
        const [row] = yield* run(tx.select().from(m).where(where))
        if (!row) throw new Rollback(null)
        const message = toMessage(row)
        const event: ChatEvent = { type: 'message_updated', conversationId, seq: conv.lastSeq, message }
        yield* appendEvent(tx, event, now)
        return { message, event }
      })
    },

    deleteMessage(conversationId, id) {
      const now = Date.now()
      return driver.transaction(function* (tx) {
        const where = and(eq(m.id, id), eq(m.conversationId, conversationId))
        const conv = yield* nextSeq(tx, conversationId, {
          messageCount: sql`${c.messageCount} - 1`,
        })
        if (!conv) return null
        const [row] = yield* run(tx.select({ id: m.id }).from(m).where(where))
        if (!row) throw new Rollback(null)
        yield* run(tx.delete(m).where(where))
        const event: ChatEvent = { type: 'message_deleted', conversationId, seq: conv.lastSeq, messageId: id }
        yield* appendEvent(tx, event, now)
        return event
      })
    },

    async findReplies(conversationId, messageId) {
      const rows = await db
        .select()
        .from(m)
        .where(and(eq(m.conversationId, conversationId), eq(m.replyTo, messageId)))
        .orderBy(asc(m.createdAt), asc(m.seq))
      return rows.map(toMessage)
    },

    async lastSeq(conversationId) {
      const [row] = await q.seq({ id: conversationId })
      return row ? row.lastSeq : null
    },

    async messageSeq(conversationId, messageId) {
      const row = await findMessage(conversationId, messageId)
      return row ? row.seq : null
    },

    async eventsAfter(conversationId, afterSeq, limit) {
      const [oldest] = await q.oldestEvent({ conversationId })
      if (oldest && oldest.seq > afterSeq + 1) return null
      if (!oldest) {
        // No events kept (e.g. imported data): replayable only if nothing happened after afterSeq.
        const [conv] = await q.conversation({ id: conversationId })
        return conv && conv.lastSeq > afterSeq ? null : []
      }
      const rows = await q.eventsAfter({ conversationId, after: afterSeq, limit })
      return rows.map((r) => JSON.parse(r.payload) as ChatEvent)
    },

    ...leaseQueries(driver),

    ping: () => driver.ping(),
    close: () => driver.close(),
  }
}
