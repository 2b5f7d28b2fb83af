import { and, asc, eq, gt } from 'drizzle-orm'
import type { Db, Driver } from './driver'
import type { HeadRow, preparedQueries } from './drizzle-queries'
import type { TreeOps } from './drizzle-tree'
import { PageCache } from './page-cache'
import { type BriefRow, toBrief, toMessage } from './rows'
import type { Message, MessageWindow } from './store'

type MessageRow = Driver['tables']['messages']['$inferSelect']

/** Read bodies over a conversation's messages: pages of the active branch, a branch, the tree. */
export function readOps(driver: Driver, q: ReturnType<typeof preparedQueries>, tree: TreeOps) {
  const { messages: m } = driver.tables

  // SQLite's first pages, as last read (page-cache.ts).
  const pages = driver.dataVersion ? new PageCache() : null

  function* briefAndMessages(tx: Db, conversationId: string, window: MessageWindow) {
    // Read before the brief: a commit by another connection after it makes the entry miss later.
    const version = pages ? (driver.dataVersion?.() ?? 0) : 0
    const [row] = (yield q.brief({ id: conversationId }, tx)) as BriefRow[]
    if (!row) return null
    const conversation = toBrief(row)
    const first = pages && 'offset' in window && window.offset === 0
    const kept = first ? pages.get(conversationId, row.lastSeq, version, window.limit) : undefined
    if (kept) return { conversation, messages: kept as Message[] }
    const messages = yield* messagesIn(tx, conversationId, row.branched, window)
    if (first && messages) pages.set(conversationId, row.lastSeq, version, window.limit, messages)
    return { conversation, messages }
  }

  /** A window of the active branch, newest first; null when the cursor names no message. */
  function* messagesIn(tx: Db, conversationId: string, branched: number, window: MessageWindow) {
    const { limit } = window
    let rows: MessageRow[]
    if ('offset' in window) rows = (yield q.page({ conversationId, limit, offset: window.offset }, tx)) as MessageRow[]
    else {
      const [cursor] = (yield q.message({ id: window.beforeId, conversationId }, tx)) as MessageRow[]
      if (!cursor) return null
      rows = (yield q.before({ conversationId, seq: cursor.seq, limit }, tx)) as MessageRow[]
    }
    return yield* tree.withSiblings(tx, conversationId, branched, rows.map(toMessage))
  }

  /** Up to `limit` messages of a branch ending at `messageId`: walked up while off the active branch. */
  function* ancestorsIn(tx: Db, conversationId: string, messageId: string, limit: number) {
    const [last] = (yield q.message({ id: messageId, conversationId }, tx)) as MessageRow[]
    if (!last) return []
    const chain = [last]
    for (let top = last; chain.length < limit && top.active === 0 && top.parentId !== null; ) {
      const [parent] = (yield q.message({ id: top.parentId, conversationId }, tx)) as MessageRow[]
      if (!parent) break
      chain.unshift(parent)
      top = parent
    }
    const top = chain[0] as MessageRow
    if (top.active === 1 && chain.length < limit) {
      const rows = (yield q.before({ conversationId, seq: top.seq, limit: limit - chain.length }, tx)) as MessageRow[]
      chain.unshift(...rows.reverse())
    }
    return chain.map(toMessage)
  }

  function* treeIn(tx: Db, conversationId: string, afterSeq: number, limit: number) {
    const [conv] = (yield q.head({ id: conversationId }, tx)) as HeadRow[]
    if (!conv) return null
    const rows = (yield tx
      .select()
      .from(m)
      .where(and(eq(m.conversationId, conversationId), gt(m.seq, afterSeq)))
      .orderBy(asc(m.seq))
      .limit(limit + 1)) as MessageRow[]
    const page = rows.slice(0, limit).map(toMessage)
    const messages = yield* tree.withSiblings(tx, conversationId, conv.branched, page)
    return { headId: conv.headId, messages, hasMore: rows.length > limit }
  }

  return { briefAndMessages, messagesIn, ancestorsIn, treeIn }
}
