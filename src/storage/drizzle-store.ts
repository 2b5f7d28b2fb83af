import { eq, sql } from 'drizzle-orm'
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core'
import { type Db, type Driver, run } from './driver'
import { assistantQueries } from './drizzle-assistants'
import { conversationQueries } from './drizzle-conversations'
import { fileQueries } from './drizzle-files'
import { leaseQueries } from './drizzle-leases'
import { logOps } from './drizzle-log'
import { messageOps } from './drizzle-messages'
import { preparedQueries } from './drizzle-queries'
import { readOps } from './drizzle-reads'
import { treeOps } from './drizzle-tree'
import { usageQueries } from './drizzle-usage'
import { type BriefRow, toConversation, toMessage } from './rows'
import type { ChatEvent, Store } from './store'

export type StoreOptions = {
  /** Events kept per conversation for replay; older ones are pruned. */
  eventRetention: number
}

/**
 * The one Store implementation, written against the Drizzle subset every dialect supports:
 * ids and timestamps are made here (no RETURNING), no affected-row counts, and upserts only
 * through `upsert` (drizzle-dialect.ts), which writes each dialect's own form.
 *
 * Every change to a conversation first bumps `conversations.last_seq` (which also locks the row
 * on PostgreSQL/MySQL, serialising writers per conversation), reads the new value back, makes
 * the change and appends the event with that seq — all in one transaction, so the log has no gaps.
 */
export function createDrizzleStore(driver: Driver, options: StoreOptions): Store {
  const { conversations: c } = driver.tables
  const q = preparedQueries(driver)

  /** Bumps the conversation's seq (plus `extra` columns) and returns the new seq, or null. */
  function* nextSeq(tx: Db, conversationId: string, extra: SQLiteUpdateSetSource<typeof c> = {}) {
    if (Object.keys(extra).length === 0) yield q.bumpSeq({ id: conversationId }, tx)
    else
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

  const tree = treeOps(driver)
  const log = logOps(driver, q, tree, options.eventRetention)
  const { appendEvent } = log
  const ops = messageOps({ driver, q, tree, log, nextSeq })

  const reads = readOps(driver, q, tree)

  const findMessage = async (conversationId: string, id: string) => (await q.message({ id, conversationId }))[0] ?? null

  return {
    ...conversationQueries(driver, q),

    updateConversation(id, patch) {
      const now = Date.now()
      const set: SQLiteUpdateSetSource<typeof c> = { updatedAt: now }
      if (patch.title !== undefined) set.title = patch.title
      if (patch.metadata !== undefined) set.metadata = JSON.stringify(patch.metadata)
      if (patch.assistantId !== undefined) set.assistantId = patch.assistantId
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
        return driver.transaction((tx) => ops.storeMessage(tx, input, now))
      }
      try {
        return await insert()
      } catch (error) {
        // Two writers raced with the same clientId on a network database: the loser re-reads.
        if (input.clientId !== undefined && driver.isUniqueViolation(error)) return insert()
        throw error
      }
    },

    async getMessageByClientId(conversationId, clientId) {
      const [row] = await q.byClientId({ conversationId, clientId })
      return row ? toMessage(row) : null
    },

    async getMessage(conversationId, id) {
      const row = await findMessage(conversationId, id)
      return row ? toMessage(row) : null
    },

    listMessages(conversationId, window) {
      return driver.read(function* (tx) {
        const [row] = (yield q.brief({ id: conversationId }, tx)) as BriefRow[]
        return yield* reads.messagesIn(tx, conversationId, row?.branched ?? 0, window)
      })
    },

    pageMessages(conversationId, window) {
      return driver.read((tx) => reads.briefAndMessages(tx, conversationId, window))
    },

    updateMessage(conversationId, id, content, guard) {
      const now = Date.now()
      return driver.transaction((tx) => ops.editIn(tx, conversationId, id, content, now, guard))
    },

    deleteMessage(conversationId, id, options = {}) {
      const now = Date.now()
      const { subtree = false, guard } = options
      return driver.transaction((tx) => ops.deleteIn(tx, conversationId, id, subtree, now, guard))
    },

    setHead(conversationId, messageId) {
      const now = Date.now()
      return driver.transaction((tx) => ops.headIn(tx, conversationId, messageId, now))
    },

    tree(conversationId, afterSeq, limit) {
      return driver.read((tx) => reads.treeIn(tx, conversationId, afterSeq, limit))
    },

    ancestors(conversationId, messageId, limit) {
      return driver.read((tx) => reads.ancestorsIn(tx, conversationId, messageId, limit))
    },

    async lastSeq(conversationId) {
      const [row] = await q.seq({ id: conversationId })
      return row ? row.lastSeq : null
    },

    async messageSeq(conversationId, messageId) {
      const row = await findMessage(conversationId, messageId)
      return row ? row.seq : null
    },

    eventsAfter(conversationId, afterSeq, limit) {
      return driver.read((tx) => log.eventsAfter(tx, conversationId, afterSeq, limit))
    },

    ...leaseQueries(driver),
    ...fileQueries(driver),
    ...assistantQueries(driver),
    ...usageQueries(driver),

    ping: () => driver.ping(),
    close: () => driver.close(),
  }
}
