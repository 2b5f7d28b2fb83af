import { and, asc, eq, gt, inArray, lte } from 'drizzle-orm'
import type { Driver, Tables } from './driver'
import { type ImportRecord, type ImportSummary, readImport } from './import-reader'
import { importWriter, type WriteResult } from './import-writer'
import { iso } from './rows'
import { exportTail, type TailExportLine } from './transfer-assistants'
import { FORMAT, ImportError, type ImportLimits } from './transfer-checks'
import { type EndCounts, TAIL } from './transfer-lines'

type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']
type FileRow = Tables['files']['$inferSelect']

/**
 * The portable NDJSON form of a database (format 4): a `header` line, then one `conversation`
 * line followed by its `message` lines, conversations in id (creation) order, messages in seq
 * order (every branch of the tree, parents first), then one `file` line per stored file (id
 * order, its bytes in base64), the `assistant`, `quota` and `usage` lines (each kind in its
 * key's byte order), and last an `end` line with the number of each kind, so a file cut short
 * is detected. Every stored field is kept (sequences, client ids, reply links), so an export →
 * import → export round trip between any two dialects gives the same bytes. The event log is
 * not exported: replay points before an import get `resync_required`, and sequences continue
 * from `last_seq`. Formats 1 and 2 (one branch, text only) and 3 (no assistants, quotas or
 * usage; conversations without assistantId) are still read.
 */
export type ExportLine =
  | { type: 'header'; format: number }
  | ({ type: 'end'; conversations: number; messages: number } & Required<EndCounts>)
  | ({ type: 'conversation' } & Omit<ConversationRow, 'metadata' | 'createdAt' | 'updatedAt' | 'logFrom'> & Stamps)
  | ({ type: 'message' } & Omit<MessageRow, 'metadata' | 'createdAt' | 'updatedAt' | 'parts' | 'generation'> &
      Stamps & { parts: unknown; generation: unknown })
  | ({ type: 'file' } & Omit<FileRow, 'data' | 'createdAt'> & { data: string; createdAt: string })
  | TailExportLine
type Stamps = { metadata: unknown; createdAt: string; updatedAt: string }

const PAGE = 500

/** Every conversation, message and file as NDJSON lines (each ends with "\n"). */
export async function* exportData(driver: Driver): AsyncGenerator<string> {
  const { db, tables } = driver
  const { conversations: c, messages: m } = tables
  let conversations = 0
  let messages = 0
  yield line({ type: 'header', format: FORMAT })
  for (let after = ''; ; ) {
    const convs = await db.select().from(c).where(gt(c.id, after)).orderBy(asc(c.id)).limit(PAGE)
    for (const { logFrom: _, ...conv } of convs) {
      conversations++
      // Without log_from: the log is not exported (the import sets it).
      yield line({ ...conv, type: 'conversation', ...stamps(conv) })
      // Keyset pages, and only messages the conversation line already counts (seq ≤ last_seq):
      // exported from a live server, no message is listed twice or skipped by a delete between pages.
      for (let from: MessageRow | null = null; ; ) {
        const rows: MessageRow[] = await db
          .select()
          .from(m)
          .where(and(eq(m.conversationId, conv.id), lte(m.seq, conv.lastSeq), from ? gt(m.seq, from.seq) : undefined))
          .orderBy(asc(m.seq))
          .limit(PAGE)
        for (const row of rows) yield line({ ...row, type: 'message', ...stamps(row), ...tree(row) })
        messages += rows.length
        if (rows.length < PAGE) break
        from = rows.at(-1) as MessageRow
      }
    }
    if (convs.length < PAGE) break
    after = (convs.at(-1) as ConversationRow).id
  }
  const counts = { files: 0, assistants: 0, quotas: 0, usage: 0 }
  for await (const file of exportFiles(driver)) {
    counts.files++
    yield line(file)
  }
  for await (const record of exportTail(driver)) {
    counts[TAIL[record.type].count]++
    yield line(record)
  }
  yield line({ type: 'end', conversations, messages, ...counts })
}

/** The file lines: ids a page at a time, the bytes one file at a time (a file may be large). */
async function* exportFiles({ db, tables: { files: f } }: Driver) {
  for (let after = ''; ; ) {
    const ids = await db.select({ id: f.id }).from(f).where(gt(f.id, after)).orderBy(asc(f.id)).limit(PAGE)
    for (const { id } of ids) {
      const [row] = await db.select().from(f).where(eq(f.id, id))
      if (!row) continue // deleted since its id was read
      const { data, createdAt, ...rest } = row
      yield { ...rest, type: 'file' as const, data: data.toString('base64'), createdAt: iso(createdAt) }
    }
    if (ids.length < PAGE) return
    after = (ids.at(-1) as { id: string }).id
  }
}

// Parts and generation as JSON values, like metadata.
const tree = (r: MessageRow) => ({
  parts: r.parts === null ? null : JSON.parse(r.parts),
  generation: r.generation === null ? null : JSON.parse(r.generation),
})

const stamps = (r: { metadata: string; createdAt: number; updatedAt: number }): Stamps => ({
  metadata: JSON.parse(r.metadata),
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
})

// A fixed key order, so that the same data always gives the same bytes.
const line = (record: ExportLine) =>
  `${JSON.stringify(Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1))))}\n`

export type ImportResult = WriteResult & { format: number }

/**
 * Loads an export. `open` gives the file's lines, afresh for each of two passes:
 * 1. every line is checked as the API checks a request (transfer-checks.ts), the file as a whole
 *    (import-reader.ts), and its message ids against the database — nothing is written, so a bad
 *    line anywhere leaves the database as it was;
 * 2. the records are written in small transactions (import-writer.ts). If this pass stops midway
 *    (killed, disk full), what it wrote is consistent, and the same import run again completes it.
 * Conversations, files, assistants, quotas and usage rows that already exist are skipped,
 * never overwritten.
 */
export async function importData(
  driver: Driver,
  open: () => AsyncIterable<string>,
  limits: ImportLimits,
): Promise<ImportResult> {
  const summary = await checkFile(driver, open(), limits)
  const writer = importWriter(driver)
  try {
    for await (const record of readImport(open(), limits)) {
      if (record.type === 'conversation') await writer.conversation(record.row)
      else if (record.type === 'message') await writer.message(record.row)
      else if (record.type === 'file') await writer.file(record.row)
      else await writer.tail(record)
    }
    await writer.finish()
  } catch (error) {
    const { conversations, messages, files } = writer.result
    const why = error instanceof ImportError ? `the file changed since it was checked: ${error.message}` : String(error)
    throw new Error(
      `import stopped after writing ${conversations} conversations, ${messages} messages and ${files} files (${why}); what was written is consistent, and running the same import again completes it`,
    )
  }
  return { ...writer.result, format: summary.format }
}

/** Pass 1: the whole file, and whether any of its message ids is taken by another conversation. */
async function checkFile(driver: Driver, lines: AsyncIterable<string>, limits: ImportLimits): Promise<ImportSummary> {
  const { messages: m } = driver.tables
  let pending: Extract<ImportRecord, { type: 'message' }>[] = []
  const probe = async () => {
    const byId = new Map(pending.map((p) => [p.row.id, p]))
    pending = []
    if (byId.size === 0) return
    const found = await driver.db
      .select({ id: m.id, conversationId: m.conversationId })
      .from(m)
      .where(inArray(m.id, [...byId.keys()]))
    for (const row of found) {
      const record = byId.get(row.id)
      // In the same conversation it is this data imported before: skipped or completed.
      if (record && record.row.conversationId !== row.conversationId) {
        throw new ImportError(record.n, 'id', `message ${row.id} already exists in another conversation`)
      }
    }
  }
  const records = readImport(lines, limits)
  for (;;) {
    const step = await records.next()
    if (step.done) {
      await probe()
      return step.value
    }
    if (step.value.type === 'message' && pending.push(step.value) >= PAGE) await probe()
  }
}
