import { and, eq, getTableColumns, sql, type Table } from 'drizzle-orm'
import type { Driver } from './driver'

/** Insert values for every column of `table`, each bound to the parameter of its own name. */
export const everyColumn = (table: Table, p: (name: string) => unknown) =>
  Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, p(key)])) as never

/**
 * The write routes' statements, prepared (see Driver.prepare): creating a conversation, and
 * editing and deleting a message. Built per call, Drizzle's query building and SQLite's
 * planning each cost more than running these small indexed statements.
 */
export function preparedWrites(driver: Driver) {
  const { conversations: c, messages: m } = driver.tables
  const inConversation = (p: (name: string) => unknown) =>
    and(eq(m.id, p('id') as string), eq(m.conversationId, p('conversationId') as string))
  return {
    insertConversation: driver.prepare((d, p) => d.insert(c).values(everyColumn(c, p))),
    /** Every change to a conversation first takes its next seq (see drizzle-store.ts). */
    bumpSeq: driver.prepare((d, p) =>
      d
        .update(c)
        .set({ lastSeq: sql`${c.lastSeq} + 1` })
        .where(eq(c.id, p('id'))),
    ),
    editMessage: driver.prepare((d, p) =>
      d
        .update(m)
        .set({ content: p('content'), parts: p('parts'), updatedAt: p('now') })
        .where(inConversation(p)),
    ),
    /** A deleted message's children move up to its parent. */
    reparentChildren: driver.prepare((d, p) =>
      d
        .update(m)
        .set({ parentId: p('parentId') })
        .where(and(eq(m.conversationId, p('conversationId')), eq(m.parentId, p('id')))),
    ),
    deleteMessage: driver.prepare((d, p) => d.delete(m).where(inConversation(p))),
    setHeadAndCount: driver.prepare((d, p) =>
      d
        .update(c)
        .set({ headId: p('headId'), messageCount: p('messageCount') })
        .where(eq(c.id, p('id'))),
    ),
  }
}
