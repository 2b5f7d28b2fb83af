import { asc, eq, gt } from 'drizzle-orm'
import { type Driver, Rollback, run, type Tables } from './driver'
import { iso } from './rows'

type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']

/**
 * The portable NDJSON form of a database: one `conversation` line followed by its `message`
 * lines, conversations in id (creation) order, messages in conversation order. Every stored
 * field is kept (sequences, client ids, reply links), so an export → import → export round trip
 * between any two dialects gives the same bytes. The event log is not exported: replay points
 * before an import get `resync_required`, and sequences continue from `last_seq`.
 */
export type ExportLine =
  | ({ type: 'conversation' } & Omit<ConversationRow, 'metadata' | 'createdAt' | 'updatedAt'> & Stamps)
  | ({ type: 'message' } & Omit<MessageRow, 'metadata' | 'createdAt' | 'updatedAt'> & Stamps)
type Stamps = { metadata: unknown; createdAt: string; updatedAt: string }

const PAGE = 500
const ms = (text: string) => {
  const value = Date.parse(text)
  if (Number.isNaN(value)) throw new Error(`invalid timestamp ${JSON.stringify(text)}`)
  return value
}

/** Every conversation and message as NDJSON lines (each ends with "\n"). */
export async function* exportData(driver: Driver): AsyncGenerator<string> {
  const { db, tables } = driver
  const { conversations: c, messages: m } = tables
  for (let after = ''; ; ) {
    const convs = await db.select().from(c).where(gt(c.id, after)).orderBy(asc(c.id)).limit(PAGE)
    for (const conv of convs) {
      yield line({
        type: 'conversation',
        ...conv,
        metadata: JSON.parse(conv.metadata),
        createdAt: iso(conv.createdAt),
        updatedAt: iso(conv.updatedAt),
      })
      for (let offset = 0; ; offset += PAGE) {
        const rows = await db
          .select()
          .from(m)
          .where(eq(m.conversationId, conv.id))
          .orderBy(asc(m.createdAt), asc(m.seq))
          .limit(PAGE)
          .offset(offset)
        for (const row of rows) {
          yield line({
            type: 'message',
            ...row,
            metadata: JSON.parse(row.metadata),
            createdAt: iso(row.createdAt),
            updatedAt: iso(row.updatedAt),
          })
        }
        if (rows.length < PAGE) break
      }
    }
    if (convs.length < PAGE) return
    after = (convs.at(-1) as ConversationRow).id
  }
}

// A fixed key order, so that the same data always gives the same bytes.
const line = (record: ExportLine) =>
  `${JSON.stringify(Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1))))}\n`

export type ImportResult = { conversations: number; messages: number; skipped: number }

/**
 * Loads NDJSON lines; each conversation is written with its messages in one transaction.
 * Conversations whose id already exists are skipped (and counted), never overwritten.
 */
export async function importData(driver: Driver, lines: AsyncIterable<string>): Promise<ImportResult> {
  const result: ImportResult = { conversations: 0, messages: 0, skipped: 0 }
  let pending: { conv: ConversationRow; messages: MessageRow[] } | null = null
  const flush = async () => {
    if (!pending) return
    const { conv, messages } = pending
    pending = null
    const written = await writeConversation(driver, conv, messages)
    if (written) {
      result.conversations++
      result.messages += messages.length
    } else result.skipped++
  }
  let n = 0
  for await (const text of lines) {
    n++
    if (!text.trim()) continue
    let record: ExportLine
    try {
      record = JSON.parse(text)
    } catch {
      throw new Error(`line ${n}: not JSON`)
    }
    const { type, metadata, createdAt, updatedAt, ...rest } = record as ExportLine & Record<string, unknown>
    const stamps = { metadata: JSON.stringify(metadata ?? {}), createdAt: ms(createdAt), updatedAt: ms(updatedAt) }
    if (type === 'conversation') {
      await flush()
      pending = { conv: { ...(rest as Omit<ConversationRow, keyof typeof stamps>), ...stamps }, messages: [] }
    } else if (type === 'message') {
      if (!pending || rest.conversationId !== pending.conv.id)
        throw new Error(`line ${n}: message outside its conversation`)
      pending.messages.push({ ...(rest as Omit<MessageRow, keyof typeof stamps>), ...stamps })
    } else throw new Error(`line ${n}: unknown type ${JSON.stringify(type)}`)
  }
  await flush()
  return result
}

function writeConversation(driver: Driver, conv: ConversationRow, messages: MessageRow[]): Promise<boolean> {
  const { conversations: c, messages: m } = driver.tables
  return driver.transaction(function* (tx) {
    const [existing] = yield* run(tx.select({ id: c.id }).from(c).where(eq(c.id, conv.id)))
    if (existing) throw new Rollback(false)
    yield* run(tx.insert(c).values(conv))
    for (let i = 0; i < messages.length; i += 200) yield* run(tx.insert(m).values(messages.slice(i, i + 200)))
    return true
  })
}
