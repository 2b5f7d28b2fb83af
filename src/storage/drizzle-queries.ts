import { and, type Column, desc, eq, getTableColumns, lt, sql } from 'drizzle-orm'
import type { Db, Driver, Prepared, Tables } from './driver'
import { addUsageQuery } from './drizzle-usage'
import { everyColumn, preparedWrites } from './drizzle-writes'
import type { BriefRow } from './rows'

type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']
export type SeqRow = Pick<ConversationRow, 'lastSeq'>
export type HeadRow = Pick<ConversationRow, 'lastSeq' | 'headId' | 'branched' | 'messageCount' | 'userId' | 'logFrom'>

/**
 * Rows strictly before (time, tie) in (time DESC, tie DESC) order. The redundant `time <= t`
 * gives every planner a range on the index prefix; row-value comparisons are not planned
 * as ranges everywhere.
 */
export const before = (time: Column, tie: Column, t: unknown, k: unknown) =>
  sql`${time} <= ${t} and (${time} < ${t} or ${tie} < ${k})`

/** Rows strictly after (time, tie) in (time ASC, tie ASC) order, for the same planners. */
export const after = (time: Column, tie: Column, t: unknown, k: unknown) =>
  sql`${time} >= ${t} and (${time} > ${t} or ${tie} > ${k})`

/**
 * A prepared select of `selection`, which the driver is told too (SQLite then keys rows itself);
 * its rows are typed from the selection.
 */
function selectOf<S extends Record<string, Column>>(
  driver: Driver,
  selection: S,
  build: (db: Db, p: (name: string) => any, s: S) => unknown,
): Prepared<{ [K in keyof S]: S[K]['_']['data'] }[]> {
  return driver.prepare((d, p) => build(d, p, selection), selection)
}

/**
 * The store's hot paths, prepared (see Driver.prepare): sending and paging messages, joining
 * rooms. Pages read the active branch (`active = 1`) in seq order, newest first.
 */
export function preparedQueries(driver: Driver) {
  const { conversations: c, messages: m } = driver.tables
  return {
    ...preparedWrites(driver),
    conversation: driver.prepare<ConversationRow[]>(
      (d, p) =>
        d
          .select()
          .from(c)
          .where(eq(c.id, p('id'))),
      getTableColumns(c),
    ),
    seq: selectOf(driver, { lastSeq: c.lastSeq }, (d, p, s) =>
      d
        .select(s)
        .from(c)
        .where(eq(c.id, p('id'))),
    ),
    head: selectOf(
      driver,
      {
        lastSeq: c.lastSeq,
        headId: c.headId,
        branched: c.branched,
        messageCount: c.messageCount,
        userId: c.userId,
        logFrom: c.logFrom,
      },
      (d, p, s) =>
        d
          .select(s)
          .from(c)
          .where(eq(c.id, p('id'))),
    ),
    brief: selectOf(
      driver,
      { userId: c.userId, messageCount: c.messageCount, branched: c.branched, lastSeq: c.lastSeq },
      (d, p, s) =>
        d
          .select(s)
          .from(c)
          .where(eq(c.id, p('id'))),
    ) as Prepared<BriefRow[]>,
    message: driver.prepare<MessageRow[]>(
      (d, p) =>
        d
          .select()
          .from(m)
          .where(and(eq(m.id, p('id')), eq(m.conversationId, p('conversationId')))),
      getTableColumns(m),
    ),
    byClientId: driver.prepare<MessageRow[]>(
      (d, p) =>
        d
          .select()
          .from(m)
          .where(and(eq(m.conversationId, p('conversationId')), eq(m.clientId, p('clientId')))),
      getTableColumns(m),
    ),
    bumpForMessage: driver.prepare((d, p) =>
      d
        .update(c)
        .set({ updatedAt: p('now'), lastSeq: sql`${c.lastSeq} + 1` })
        .where(eq(c.id, p('id'))),
    ),
    /** A message appended at the head becomes the head. */
    advanceHead: driver.prepare((d, p) =>
      d
        .update(c)
        .set({ headId: p('headId'), messageCount: sql`${c.messageCount} + 1` })
        .where(eq(c.id, p('id'))),
    ),
    insertMessage: driver.prepare((d, p) => d.insert(m).values(everyColumn(m, p))),
    /** A bot reply's tokens added to its conversation's totals. */
    addTokens: driver.prepare((d, p) =>
      d
        .update(c)
        .set({
          inputTokens: sql`${c.inputTokens} + ${p('input')}`,
          outputTokens: sql`${c.outputTokens} + ${p('output')}`,
        })
        .where(eq(c.id, p('id'))),
    ),
    /** The conversation has a message with siblings now (its tree is read when placing). */
    markBranched: driver.prepare((d, p) =>
      d
        .update(c)
        .set({ branched: 1 })
        .where(eq(c.id, p('id'))),
    ),
    /** A bot reply's tokens added to its usage row (see drizzle-usage.ts). */
    addUsage: driver.prepare((d, p) => addUsageQuery(driver, d, p)),
    page: driver.prepare<MessageRow[]>(
      (d, p) =>
        d
          .select()
          .from(m)
          .where(and(eq(m.conversationId, p('conversationId')), eq(m.active, 1)))
          .orderBy(desc(m.seq))
          .limit(p('limit'))
          .offset(p('offset')),
      getTableColumns(m),
    ),
    before: driver.prepare<MessageRow[]>(
      (d, p) =>
        d
          .select()
          .from(m)
          .where(and(eq(m.conversationId, p('conversationId')), eq(m.active, 1), lt(m.seq, p('seq'))))
          .orderBy(desc(m.seq))
          .limit(p('limit')),
      getTableColumns(m),
    ),
  }
}
