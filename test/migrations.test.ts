import { expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { createPool } from 'mysql2/promise'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { readMigrations } from '../src/storage/migrations'
import { openMysql } from '../src/storage/mysql-driver'
import { createMysqlDatabase, needs } from './databases'
import { MIGRATIONS, migrationsBefore } from './migration-folders'

const root = MIGRATIONS

// The dialects' migrators record each migration's hash and decide what is pending from what
// they read: Parley's reader must give them exactly what drizzle-orm's own reader gives.
test.each(['sqlite', 'postgres', 'mysql'])('the %s migrations read as drizzle-orm reads them', (dialect) => {
  const folder = join(root, dialect)
  const ours = readMigrations(folder)
  expect(ours.length).toBeGreaterThan(0)
  expect(ours).toEqual(readMigrationFiles({ migrationsFolder: folder }))
})

test('a missing journal or migration file is a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-migrations-'))
  try {
    expect(() => readMigrations(dir)).toThrow(/_journal\.json is missing/)
    const meta = join(dir, 'meta')
    mkdirSync(meta)
    writeFileSync(
      join(meta, '_journal.json'),
      JSON.stringify({ entries: [{ tag: '0000_x', when: 1, breakpoints: true }] }),
    )
    expect(() => readMigrations(dir)).toThrow(/0000_x\.sql is missing/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

// A database made before 0002_nopad_keys (PAD SPACE keys, 'k ' = 'k') keeps its rows, and its
// keys compare exactly afterwards.
test('MySQL: an existing database moves to NO PAD keys, its rows kept', async () => {
  if (!(await needs('MySQL'))) return
  const db = await createMysqlDatabase()
  try {
    using old = migrationsBefore('mysql', '0002_nopad_keys')
    const open = (folder: string) => openMysql({ url: db.url, poolSize: 2, migrationsFolder: folder })
    await (await open(old.folder)).close()
    // Rows as the Parley of that schema stored them, written with the driver itself.
    const raw = createPool({ uri: db.url, connectionLimit: 1 })
    const c = Bun.randomUUIDv7()
    const k = Bun.randomUUIDv7()
    await raw.query(
      'INSERT INTO conversations (id, user_id, title, metadata, created_at, updated_at, message_count, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [c, 'alice', 'kept', '{}', 1, 1, 1, 1],
    )
    await raw.query(
      'INSERT INTO messages (id, conversation_id, seq, sender, content, metadata, client_id, reply_to, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [k, c, 1, 'user', 'k', '{}', 'k', null, 1, 1],
    )
    // The defect this migration removes, seen on the old schema.
    const [padded] = await raw.query("SELECT count(*) AS n FROM conversations WHERE user_id = 'alice '")
    expect((padded as { n: number }[])[0]?.n).toBe(1)
    await raw.end()

    const migrated = await open(old.current)
    try {
      const now = createDrizzleStore(migrated, { eventRetention: 100 })
      expect(await now.getConversation(c)).toMatchObject({ title: 'kept', message_count: 1, head_id: k })
      expect(await now.listConversations({ userId: 'alice ', limit: 5 })).toEqual([])
      const spaced = { conversationId: c, sender: 'user' as const, content: 'k ', metadata: {}, clientId: 'k ' }
      expect((await now.createMessage(spaced))?.duplicate).toBe(false)
      const again = { ...spaced, content: 'again', clientId: 'k' }
      expect((await now.createMessage(again))?.message.id).toBe(k)
      // Cascades still work: the foreign keys were made again.
      await now.deleteConversation(c)
      expect(await now.getMessage(c, k)).toBeNull()
    } finally {
      await migrated.close()
    }
  } finally {
    await db.drop()
  }
})
