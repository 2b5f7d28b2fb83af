import { expect, test } from 'bun:test'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { readMigrations } from '../src/storage/migrations'
import { openMysql } from '../src/storage/mysql-driver'
import { createMysqlDatabase, needs } from './databases'

const root = join(import.meta.dir, '../drizzle')

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
  const before = mkdtempSync(join(tmpdir(), 'parley-mysql-old-'))
  try {
    const current = join(root, 'mysql')
    cpSync(current, before, { recursive: true })
    const journal = JSON.parse(readFileSync(join(current, 'meta/_journal.json'), 'utf8'))
    const at = journal.entries.findIndex((e: { tag: string }) => e.tag === '0002_nopad_keys')
    expect(at).toBeGreaterThan(0)
    journal.entries = journal.entries.slice(0, at)
    writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify(journal))
    const open = (folder: string) => openMysql({ url: db.url, poolSize: 2, migrationsFolder: folder })

    const old = await open(before)
    const store = createDrizzleStore(old, { eventRetention: 100 })
    const c = await store.createConversation({ userId: 'alice', title: 'kept', metadata: {} })
    const k = await store.createMessage({
      conversationId: c.id,
      sender: 'user',
      content: 'k',
      metadata: {},
      clientId: 'k',
    })
    // The defect this migration removes, seen on the old schema.
    expect((await store.listConversations({ userId: 'alice ', limit: 5 }))?.length).toBe(1)
    await old.close()

    const migrated = await open(current)
    try {
      const now = createDrizzleStore(migrated, { eventRetention: 100 })
      expect(await now.getConversation(c.id)).toMatchObject({ title: 'kept', message_count: 1 })
      expect(await now.listConversations({ userId: 'alice ', limit: 5 })).toEqual([])
      const spaced = { conversationId: c.id, sender: 'user' as const, content: 'k ', metadata: {}, clientId: 'k ' }
      expect((await now.createMessage(spaced))?.duplicate).toBe(false)
      const again = { ...spaced, content: 'again', clientId: 'k' }
      expect((await now.createMessage(again))?.message.id).toBe(k?.message.id as string)
      // Cascades still work: the foreign keys were made again.
      await now.deleteConversation(c.id)
      expect(await now.getMessage(c.id, k?.message.id as string)).toBeNull()
    } finally {
      await migrated.close()
    }
  } finally {
    rmSync(before, { recursive: true, force: true })
    await db.drop()
  }
})
