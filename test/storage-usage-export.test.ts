import { expect, test } from 'bun:test'
import { join } from 'node:path'
import type { Driver } from '../src/storage/driver'
import { openMysql } from '../src/storage/mysql-driver'
import { openPostgres } from '../src/storage/postgres-driver'
import { openSqlite } from '../src/storage/sqlite-driver'
import { exportData } from '../src/storage/transfer'
import { createMysqlDatabase, createPostgresDatabase, needs } from './databases'

const folder = (dialect: string) => join(import.meta.dir, '../drizzle', dialect)

async function open(dialect: 'sqlite' | 'postgres' | 'mysql'): Promise<{ driver: Driver; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const driver = openSqlite({ path: ':memory:', synchronous: 'NORMAL', migrationsFolder: folder('sqlite') })
    return { driver, drop: async () => {} }
  }
  const db = dialect === 'postgres' ? await createPostgresDatabase() : await createMysqlDatabase()
  const options = { url: db.url, poolSize: 4, migrationsFolder: folder(dialect) }
  const driver = dialect === 'postgres' ? await openPostgres(options) : await openMysql(options)
  return { driver, drop: db.drop }
}

// Code point order of UTF-8 bytes, key by key: the order every dialect exports in.
const bytes = (a: string[], b: string[]) => {
  for (let i = 0; i < a.length; i++) {
    const d = Buffer.compare(Buffer.from(a[i] as string), Buffer.from(b[i] as string))
    if (d !== 0) return d
  }
  return 0
}

const SERVICE = { sqlite: null, postgres: 'PostgreSQL', mysql: 'MySQL' } as const

// More rows than a page (500) of each kind, with keys that sort differently by locale, case,
// trailing spaces and UTF-16 units: every one exported once, in code point order.
test.each(['sqlite', 'postgres', 'mysql'] as const)(
  '%s: assistants, quotas and usage export in keyset pages, each row once, in code point order',
  async (dialect) => {
    const service = SERVICE[dialect]
    if (service && !(await needs(service))) return
    const { driver, drop } = await open(dialect)
    try {
      const { assistants, quotas, usage } = driver.tables
      const words = ['a', 'A', 'a ', '_', 'é', 'z', '😀', '\uffee', 'Zed', 'ab']
      const ids = Array.from({ length: 620 }, (_, i) => `${words[i % words.length]}${i}`)
      const users = ids.slice(0, 560)
      const keys = users
        .slice(0, 60)
        .flatMap((user, u) =>
          ['2026-01-01', '2026-01-02'].flatMap((day) =>
            ['', 'x', 'X'].flatMap((assistantId) => words.map((model) => [user, day, assistantId, `${model}${u % 3}`])),
          ),
        )
      const chunks = <T>(rows: T[]) =>
        Array.from({ length: Math.ceil(rows.length / 100) }, (_, i) => rows.slice(i * 100, i * 100 + 100))
      for (const rows of chunks(ids)) {
        await driver.db
          .insert(assistants)
          .values(rows.map((id) => ({ id, spec: '{"k":1}', createdAt: 1, updatedAt: 2 })))
      }
      for (const rows of chunks(users)) {
        await driver.db.insert(quotas).values(rows.map((userId) => ({ userId, limits: '{}', updatedAt: 3 })))
      }
      for (const rows of chunks(keys)) {
        const values = rows.map(([userId, day, assistantId, model], i) => ({
          userId: userId as string,
          day: day as string,
          assistantId: assistantId as string,
          model: model as string,
          inputTokens: i,
          outputTokens: 2 * i,
          replies: 1,
        }))
        await driver.db.insert(usage).values(values)
      }
      const lines: Record<string, unknown>[] = []
      for await (const line of exportData(driver)) lines.push(JSON.parse(line))
      const of = (type: string) => lines.filter((l) => l.type === type)
      expect(of('assistant').map((l) => l.id)).toEqual([...ids].sort((a, b) => bytes([a], [b])))
      expect(of('quota').map((l) => l.userId)).toEqual([...users].sort((a, b) => bytes([a], [b])))
      const exported = of('usage').map((l) => [l.userId, l.day, l.assistantId, l.model] as string[])
      expect(exported).toEqual([...keys].sort(bytes) as string[][])
      expect(lines.at(-1)).toMatchObject({ assistants: ids.length, quotas: users.length, usage: keys.length })
    } finally {
      await driver.close()
      await drop()
    }
  },
  60_000,
)
