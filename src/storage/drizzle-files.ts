import { eq, sql } from 'drizzle-orm'
import { type Db, type Driver, run, type Tables } from './driver'
import { iso } from './rows'
import type { Store, StoredFile } from './store'

type FileRow = Tables['files']['$inferSelect']

// mysql2 (through Drizzle) sends a Buffer inside the statement's text as X'…' hex: twice its
// size, and a statement over the server's max_allowed_packet (16 MiB on MariaDB) is refused.
// There the bytes go in slices appended in the same transaction; each statement stays small.
const MYSQL_SLICE = 1024 * 1024

const toFile = (row: Omit<FileRow, 'data'>): StoredFile => ({
  id: row.id,
  user_id: row.userId,
  media_type: row.mediaType,
  filename: row.filename,
  size: row.size,
  created_at: iso(row.createdAt),
})

/**
 * Inserts a file row (its bytes in slices on MySQL), inside a transaction body. Shared by
 * putFile and the importer, which writes rows with their exported ids.
 */
export function* insertFile(tx: Db, driver: Driver, row: FileRow) {
  const { files: f } = driver.tables
  const slice = driver.dialect === 'mysql' ? MYSQL_SLICE : Number.POSITIVE_INFINITY
  yield* run(tx.insert(f).values({ ...row, data: row.data.subarray(0, slice) }))
  for (let at = slice; at < row.data.byteLength; at += slice) {
    const part = row.data.subarray(at, at + slice)
    yield* run(
      tx
        .update(f)
        .set({ data: sql`concat(${f.data}, ${part})` })
        .where(eq(f.id, row.id)),
    )
  }
}

/** Stored files (Store.putFile/getFile/deleteFile): the bytes in a BLOB / bytea / LONGBLOB column. */
export function fileQueries(driver: Driver): Pick<Store, 'putFile' | 'getFile' | 'deleteFile'> {
  const { db } = driver
  const { files: f } = driver.tables
  return {
    async putFile({ userId, mediaType, filename, data }) {
      const row: FileRow = {
        id: Bun.randomUUIDv7(),
        userId,
        mediaType,
        filename,
        size: data.byteLength,
        // A view over the caller's bytes, not a copy: every driver binds a Buffer as binary.
        data: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        createdAt: Date.now(),
      }
      await driver.transaction((tx) => insertFile(tx, driver, row))
      const { data: _, ...rest } = row
      return toFile(rest)
    },

    async getFile(id) {
      const [row] = await db.select().from(f).where(eq(f.id, id))
      if (!row) return null
      const { data, ...rest } = row
      return { file: toFile(rest), data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
    },

    deleteFile(id) {
      return driver.transaction(function* (tx) {
        const [row] = (yield tx.select({ id: f.id }).from(f).where(eq(f.id, id))) as { id: string }[]
        if (!row) return false
        yield tx.delete(f).where(eq(f.id, id))
        return true
      })
    },
  }
}
