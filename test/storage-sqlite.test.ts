import { Database } from 'bun:sqlite'
import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { run } from '../src/storage/driver'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { openSqlite } from '../src/storage/sqlite-driver'
import { storeContract } from './storage.contract'

storeContract('SQLite', async () => {
  const driver = openSqlite({
    path: ':memory:',
    synchronous: 'NORMAL',
    migrationsFolder: join(import.meta.dir, '../drizzle/sqlite'),
  })
  return { driver, close: () => driver.close() }
})

test('a read body sees one snapshot: a write committed by another connection midway is not in it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-snapshot-'))
  const path = join(dir, 'snapshot.db')
  const driver = openSqlite({
    path,
    synchronous: 'NORMAL',
    migrationsFolder: join(import.meta.dir, '../drizzle/sqlite'),
  })
  const other = new Database(path)
  try {
    const { conversations } = driver.tables
    const count = driver.prepare<{ n: number }[]>((d) => d.select({ n: sql<number>`count(*)` }).from(conversations))
    const insert = other.prepare(
      "INSERT INTO conversations (id, user_id, metadata, created_at, updated_at) VALUES (?, 'u', '{}', 0, 0)",
    )
    insert.run(Bun.randomUUIDv7())
    const seen = await driver.read(function* (tx) {
      const [before] = yield* run(count({}, tx))
      insert.run(Bun.randomUUIDv7()) // commits on the other connection while the body runs
      const [after] = yield* run(count({}, tx))
      return [before?.n, after?.n]
    })
    expect(seen).toEqual([1, 1])
    // Outside the body the new row is there.
    expect(
      await driver.read(function* (tx) {
        return (yield* run(count({}, tx)))[0]?.n
      }),
    ).toBe(2)
  } finally {
    other.close()
    await driver.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('writes keep the order they were made in: a lease released after a renewal queued before it stays released', async () => {
  const driver = openSqlite({
    path: ':memory:',
    synchronous: 'NORMAL',
    migrationsFolder: join(import.meta.dir, '../drizzle/sqlite'),
  })
  const store = createDrizzleStore(driver, { eventRetention: 100 })
  try {
    const c = await store.createConversation({ userId: 'u', title: null, metadata: {} })
    expect(await store.acquireLease(c.id, 'me', 10_000)).toBe(true)
    const renewal = store.acquireLease(c.id, 'me', 10_000) // a renewal timer firing as the reply ends
    await store.releaseLease(c.id, 'me')
    expect(await renewal).toBe(true)
    expect(await store.acquireLease(c.id, 'other', 10_000)).toBe(true) // renewed, then released: free
  } finally {
    await driver.close()
  }
})
