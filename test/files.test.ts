import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { openMysql } from '../src/storage/mysql-driver'
import { openPostgres } from '../src/storage/postgres-driver'
import { openSqlite } from '../src/storage/sqlite-driver'
import { createMysqlDatabase, createPostgresDatabase, needs } from './databases'

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/** A PNG signature followed by every byte value, 0x00 to 0xFF. */
const everyByte = new Uint8Array([...PNG, ...Array.from({ length: 256 }, (_, i) => i)])

// The same bytes through the Store on every dialect: every byte value, and a file larger than
// the slices MySQL/MariaDB receives it in.
const dialects: [string, () => Promise<{ store: ReturnType<typeof createDrizzleStore>; close(): Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const driver = openSqlite({
        path: ':memory:',
        synchronous: 'NORMAL',
        migrationsFolder: join(import.meta.dir, '../drizzle/sqlite'),
      })
      return { store: createDrizzleStore(driver, { eventRetention: 10 }), close: () => driver.close() }
    },
  ],
]
for (const [name, create, open] of [
  ['PostgreSQL', createPostgresDatabase, openPostgres],
  ['MySQL', createMysqlDatabase, openMysql],
] as const) {
  if (!(await needs(name))) continue
  dialects.push([
    name,
    async () => {
      const db = await create()
      const folder = join(import.meta.dir, `../drizzle/${name === 'MySQL' ? 'mysql' : 'postgres'}`)
      const driver = await open({ url: db.url, poolSize: 2, migrationsFolder: folder })
      return {
        store: createDrizzleStore(driver, { eventRetention: 10 }),
        close: async () => {
          await driver.close()
          await db.drop()
        },
      }
    },
  ])
}

describe.each(dialects)('files in the database (%s)', (_name, open) => {
  test('putFile → getFile gives the same bytes, type, name and owner', async () => {
    const { store, close } = await open()
    try {
      const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7) % 256)
      for (const [data, filename] of [
        [everyByte, 'every-byte.png'],
        [big, null],
      ] as const) {
        const put = await store.putFile({ userId: 'u😀', mediaType: 'image/png', filename, data })
        const got = await store.getFile(put.id)
        expect(got?.file).toEqual(put)
        expect(put).toMatchObject({ user_id: 'u😀', media_type: 'image/png', filename, size: data.length })
        expect(Buffer.compare(Buffer.from(got?.data ?? []), Buffer.from(data))).toBe(0)
      }
      expect(await store.getFile(Bun.randomUUIDv7())).toBeNull()
    } finally {
      await close()
    }
  }, 30_000)
})
