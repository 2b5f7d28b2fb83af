import { eq, inArray, sql } from 'drizzle-orm'
import { type Driver, run, type Tables } from './driver'
import { insertFile } from './drizzle-files'
import { type TailRecord, type TailResult, tailWriter } from './transfer-assistants'

type ConversationRow = Omit<Tables['conversations']['$inferSelect'], 'logFrom'>
type MessageRow = Tables['messages']['$inferSelect']
type FileRow = Tables['files']['$inferSelect']

export type WriteResult = TailResult & {
  conversations: number
  messages: number
  skipped: number
  completed: number
  files: number
  /** Files whose id was already stored (this data imported before): never overwritten. */
  filesSkipped: number
}

// One transaction holds SQLite's only write lock for ~1-3 ms at these sizes (bench/import-stall.ts).
const BATCH_ROWS = 100
const BATCH_CHARS = 256 * 1024
// Files go in transactions of up to this many bytes (or one larger file).
const BATCH_FILE_BYTES = 4 * 1024 * 1024

/**
 * Writes checked records (conversation, then its messages) in small transactions: a
 * conversation row goes in with its first batch of messages, and every batch adds its own rows
 * active rows to `message_count` and moves the head, so whatever is committed is consistent and
 * the count is always the messages stored — never the file's number.
 *
 * A conversation that already exists is skipped, unless its `last_seq` equals the file's: every
 * change through the API raises `last_seq`, so an equal one means no one has touched it since
 * it was written from this same data — an import that stopped midway. Its missing messages are
 * added ("completed"), so running the same import again finishes the job.
 *
 * On SQLite the file has one write lock for every process: after each transaction the writer
 * sleeps twice as long as it held the lock, so a server waiting on it (its busy handler retries
 * after 1, 2, 5, 10… ms) finds the lock free within a few ms.
 *
 * Files (after every conversation) go in batches too; one whose id is already stored is skipped.
 * So do assistants, quotas and usage rows (transfer-assistants.ts). Messages are inserted as
 * rows, not through the store: they add nothing to usage, which comes from its own lines.
 */
export function importWriter(driver: Driver) {
  const { db, tables } = driver
  const { conversations: c, messages: m, files: f } = tables
  const pace = driver.dialect === 'sqlite'
  const rest = async (started: number) => {
    if (pace) await Bun.sleep(Math.max(1, 2 * (performance.now() - started)))
  }
  const tail = tailWriter(driver, rest)
  const counts = { conversations: 0, messages: 0, skipped: 0, completed: 0, files: 0, filesSkipped: 0 }
  const result: WriteResult = Object.assign(tail.result, counts)
  let conv: ConversationRow | null = null
  let mode: 'new' | 'fill' | 'skip' = 'skip'
  let have = new Set<string>()
  let unwritten = false
  let filled = 0
  let batch: MessageRow[] = []
  let chars = 0
  let files: FileRow[] = []
  let fileBytes = 0

  async function flush() {
    const target = conv
    if (!target || (batch.length === 0 && !unwritten)) return
    const rows = batch
    const insertConversation = unwritten
    batch = []
    chars = 0
    const started = performance.now()
    await driver.transaction(function* (tx) {
      if (insertConversation) {
        const [existing] = yield* run(tx.select({ id: c.id }).from(c).where(eq(c.id, target.id)))
        if (existing) throw new Error(`conversation ${target.id} was created by someone else while the import ran`)
        // Its log is not in the file: replayable only from after its last seq (drizzle-log.ts).
        yield* run(tx.insert(c).values({ ...target, messageCount: 0, headId: null, logFrom: target.lastSeq + 1 }))
      }
      if (rows.length === 0) return
      yield* run(tx.insert(m).values(rows))
      // The count is of the active branch, and the head is its newest message: what is written
      // so far is a consistent conversation; complete, the head is the file's (checked).
      const active = rows.filter((r) => r.active === 1)
      const head = active.at(-1)
      yield* run(
        tx
          .update(c)
          .set({ messageCount: sql`${c.messageCount} + ${active.length}`, ...(head && { headId: head.id }) })
          .where(eq(c.id, target.id)),
      )
    })
    unwritten = false
    filled += rows.length
    result.messages += rows.length
    await rest(started)
  }

  async function finish() {
    await flush()
    if (mode === 'fill') result[filled > 0 ? 'completed' : 'skipped']++
    conv = null
    mode = 'skip' // counted: finishing again (before files, then at the end) counts nothing more
    await flushFiles()
    await tail.flush()
  }

  async function flushFiles() {
    const rows = files
    if (rows.length === 0) return
    files = []
    fileBytes = 0
    const started = performance.now()
    const written = await driver.transaction(function* (tx) {
      const ids = rows.map((r) => r.id)
      const stored = yield* run(tx.select({ id: f.id }).from(f).where(inArray(f.id, ids)))
      const have = new Set(stored.map((s) => s.id))
      const fresh = rows.filter((r) => !have.has(r.id))
      for (const row of fresh) yield* insertFile(tx, driver, row)
      return fresh.length
    })
    result.files += written
    result.filesSkipped += rows.length - written
    await rest(started)
  }

  return {
    result,
    async conversation(row: ConversationRow) {
      await finish()
      const [existing] = await db.select({ lastSeq: c.lastSeq }).from(c).where(eq(c.id, row.id))
      conv = row
      filled = 0
      have = new Set()
      unwritten = !existing
      if (!existing) {
        mode = 'new'
        result.conversations++
      } else if (existing.lastSeq === row.lastSeq) {
        mode = 'fill'
        const stored = await db.select({ id: m.id }).from(m).where(eq(m.conversationId, row.id))
        have = new Set(stored.map((s) => s.id))
      } else {
        mode = 'skip'
        result.skipped++
      }
    },
    async message(row: MessageRow) {
      if (mode === 'skip' || have.has(row.id)) return
      batch.push(row)
      chars += row.content.length + row.metadata.length + (row.parts?.length ?? 0) + (row.generation?.length ?? 0)
      if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush()
    },
    async file(row: FileRow) {
      if (conv) await finish() // the last conversation's messages first
      files.push(row)
      fileBytes += row.size
      if (files.length >= BATCH_ROWS || fileBytes >= BATCH_FILE_BYTES) await flushFiles()
    },
    /** An assistant, quota or usage row (after the files). */
    async tail(record: TailRecord) {
      if (conv || files.length > 0) await finish()
      await tail.add(record)
    },
    finish,
  }
}
