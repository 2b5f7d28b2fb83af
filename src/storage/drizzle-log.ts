import { and, asc, eq, getTableColumns, gt, inArray, lte, sql } from 'drizzle-orm'
import type { Db, Driver } from './driver'
import type { HeadRow, preparedQueries } from './drizzle-queries'
import type { TreeOps } from './drizzle-tree'
import { everyColumn } from './drizzle-writes'
import { toMessage } from './rows'
import type { ChatEvent, Message } from './store'

type MessageRow = Driver['tables']['messages']['$inferSelect']
type Queries = ReturnType<typeof preparedQueries>

// Prune the event log every this many seqs, not on every write.
const PRUNE_EVERY = 64

/**
 * A conversation's event log, replayed from any seq since `log_from`. A message appended at the
 * head (the hot path: a user's message, a bot's reply) is its own `new_message` event: its row
 * has the seq, and the event is made from it when replayed (the message as it is then, its head
 * itself). Every other change is a row of `events`, pruned to the last `retention` seqs; a seq
 * with both (a message placed off the head) replays the event row. An event about a message (a
 * `new_message` off the head, a `message_updated`) names the message instead of holding a second
 * copy of it, and replays it as it is then; rows stored before that hold the copy and replay it.
 * A message deleted since leaves a hole, which readers skip: its `message_deleted` follows.
 */
export function logOps(driver: Driver, queries: Queries, tree: TreeOps, retention: number) {
  const { conversations: c, messages: m, events: e } = driver.tables
  const q = {
    insert: driver.prepare((d, p) => d.insert(e).values(everyColumn(e, p))),
    prune: driver.prepare((d, p) =>
      d.delete(e).where(and(eq(e.conversationId, p('conversationId')), lte(e.seq, p('oldest')))),
    ),
    // Never lowered: a larger retention after a restart cannot bring pruned events back.
    raiseLogFrom: driver.prepare((d, p) =>
      d
        .update(c)
        .set({ logFrom: sql`case when ${c.logFrom} < ${p('from')} then ${p('from')} else ${c.logFrom} end` })
        .where(eq(c.id, p('id'))),
    ),
    events: driver.prepare<{ seq: number; payload: string }[]>(
      (d, p) =>
        d
          .select({ seq: e.seq, payload: e.payload })
          .from(e)
          .where(and(eq(e.conversationId, p('conversationId')), gt(e.seq, p('after')), lte(e.seq, p('upTo'))))
          .orderBy(asc(e.seq))
          .limit(p('limit')),
      { seq: e.seq, payload: e.payload },
    ),
    // Both values of `active` in one statement (one snapshot where reads are not in one, as on
    // PostgreSQL and MySQL: a branch switched between two reads would drop or double a message),
    // each a range of the (conversation, active, seq) index.
    messages: driver.prepare<MessageRow[]>(
      (d, p) =>
        d
          .select()
          .from(m)
          .where(
            and(
              eq(m.conversationId, p('conversationId')),
              inArray(m.active, [0, 1]),
              gt(m.seq, p('after')),
              lte(m.seq, p('upTo')),
            ),
          )
          .orderBy(asc(m.seq))
          .limit(p('limit')),
      getTableColumns(m),
    ),
  }

  /** Every PRUNE_EVERY seqs, events older than the retention go and log_from moves past them. */
  function* pruneAt(tx: Db, conversationId: string, seq: number) {
    if (seq % PRUNE_EVERY !== 0 || seq <= retention) return
    const oldest = seq - retention
    yield q.prune({ conversationId, oldest }, tx)
    yield q.raiseLogFrom({ id: conversationId, from: oldest + 1 }, tx)
  }

  /** Stores an event in the log (one about a message names it: see Stored). */
  function* appendEvent(tx: Db, event: ChatEvent, now: number) {
    const { conversationId, seq, type } = event
    const stored: Stored | ChatEvent =
      'message' in event ? { ...event, message: undefined, messageRef: event.message.id } : event
    yield q.insert({ conversationId, seq, type, payload: JSON.stringify(stored), createdAt: now }, tx)
    yield* pruneAt(tx, conversationId, seq)
  }

  /** A message appended at the head took `seq`: its row is the event, nothing else is stored. */
  function* appended(tx: Db, conversationId: string, seq: number) {
    yield* pruneAt(tx, conversationId, seq)
  }

  /** Up to `limit` events after `afterSeq`, in seq order (see Store.eventsAfter). */
  function* eventsAfter(tx: Db, conversationId: string, afterSeq: number, limit: number) {
    const [conv] = (yield queries.head({ id: conversationId }, tx)) as HeadRow[]
    if (!conv) return []
    if (afterSeq + 1 < conv.logFrom) return null
    // Up to the last seq read first: every change up to it has committed (writers of a
    // conversation take its seqs one at a time, in its row's lock), so the reads below agree
    // on them even where they are not one snapshot; later changes wait for the next replay.
    // Fewer than `limit` only at the end: a window whose events named deleted messages is
    // followed by the next.
    const out: ChatEvent[] = []
    for (let after = afterSeq; out.length < limit && after < conv.lastSeq; ) {
      const part = yield* slice(tx, conv, { conversationId, after, upTo: conv.lastSeq, limit: limit - out.length })
      out.push(...part.events)
      if (part.through === null) break
      after = part.through
    }
    return out
  }

  /**
   * The first `limit` seqs of the log after `after` that have an event or an appended message,
   * replayed (less where an event names a message deleted since); `through`: the last of them,
   * null when the window held fewer (the log ends there).
   */
  function* slice(
    tx: Db,
    conv: HeadRow,
    window: { conversationId: string; after: number; upTo: number; limit: number },
  ) {
    const { conversationId, limit } = window
    const rows = (yield q.messages(window, tx)) as MessageRow[]
    const stored = (yield q.events(window, tx)) as { seq: number; payload: string }[]
    const logged = new Set(stored.map((r) => r.seq))
    const made = rows.filter((r) => !logged.has(r.seq))
    const entries: ({ seq: number; event: Stored | ChatEvent; row?: never } | { seq: number; row: MessageRow })[] = [
      ...stored.map((r) => ({ seq: r.seq, event: JSON.parse(r.payload) as Stored | ChatEvent })),
      ...made.map((row) => ({ seq: row.seq, row })),
    ]
    entries.sort((a, b) => a.seq - b.seq)
    const through = entries.length >= limit ? (entries[limit - 1] as { seq: number }).seq : null
    entries.length = Math.min(entries.length, limit)
    // The messages the window replays: appended ones, and those its events name (read unless
    // among the window's rows).
    const ids = new Set(
      entries.flatMap((x) => (x.row ? [x.row.id] : 'messageRef' in x.event ? [x.event.messageRef] : [])),
    )
    const byId = new Map(rows.map((r) => [r.id, r]))
    const missing = [...ids].filter((id) => !byId.has(id))
    if (missing.length > 0)
      for (const row of (yield tx
        .select()
        .from(m)
        .where(and(eq(m.conversationId, conversationId), inArray(m.id, missing)))) as MessageRow[])
        byId.set(row.id, row)
    const wanted = [...ids].flatMap((id) => {
      const row = byId.get(id)
      return row ? [toMessage(row)] : []
    })
    const messages = new Map(
      (yield* tree.withSiblings(tx, conversationId, conv.branched, wanted)).map((x) => [x.id, x]),
    )
    const events = entries.flatMap((x): ChatEvent[] => {
      if (x.row) {
        const message = messages.get(x.row.id) as Message
        return [{ type: 'new_message', conversationId, seq: x.seq, message, headId: message.id }]
      }
      const { event } = x
      if (!('messageRef' in event)) return [event]
      // Deleted since: a hole, as an appended message deleted since is (its message_deleted follows).
      const message = messages.get(event.messageRef)
      const { messageRef: _, ...rest } = event
      return message ? [{ ...rest, message } as ChatEvent] : []
    })
    return { events, through }
  }

  return { appendEvent, appended, eventsAfter }
}

export type LogOps = ReturnType<typeof logOps>

/** An event about a message as stored: the message named by its id. */
type Stored = Omit<Extract<ChatEvent, { message: Message }>, 'message'> & { messageRef: string }
