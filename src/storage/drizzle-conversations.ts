import { and, desc, eq, type SQL } from 'drizzle-orm'
import type { Driver, Tables } from './driver'
import { before, type preparedQueries } from './drizzle-queries'
import { toBrief, toConversation } from './rows'
import type { Store } from './store'

type ConversationRow = Tables['conversations']['$inferSelect']

/** Making and reading conversations (Store.createConversation…listConversations): no event involved. */
export function conversationQueries(
  driver: Driver,
  q: ReturnType<typeof preparedQueries>,
): Pick<Store, 'createConversation' | 'findChat' | 'getConversation' | 'getConversationBrief' | 'listConversations'> {
  const { db } = driver
  const { conversations: c } = driver.tables
  return {
    async createConversation({ userId, title, metadata, chatId, assistantId }) {
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
        logFrom: 1,
        headId: null,
        branched: 0,
        inputTokens: 0,
        outputTokens: 0,
        chatId: chatId ?? null,
        assistantId: assistantId ?? null,
      }
      // In a transaction body, so SQLite commits it with the other writes of its turn.
      await driver.transaction(function* (tx) {
        yield q.insertConversation(row, tx)
      })
      return toConversation(row)
    },

    async findChat(userId, chatId) {
      const [row] = await db
        .select()
        .from(c)
        .where(and(eq(c.userId, userId), eq(c.chatId, chatId)))
      return row ? toConversation(row) : null
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
  }
}
