import { Database } from 'bun:sqlite'
import { expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SQL } from 'bun'
import { createPool } from 'mysql2/promise'
import { isUnavailable } from '../src/storage/outage'
import { MYSQL_ADMIN, needs, PG_ADMIN } from './databases'

// The errors real servers give, classified: an outage (503) or a query's own failure (500).
const failure = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

test('SQLite: busy after the timeout is an outage; a constraint is not', async () => {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)')
  db.exec("INSERT INTO t VALUES ('a')")
  expect(isUnavailable(await failure(async () => db.exec("INSERT INTO t VALUES ('a')")))).toBe(false)
  db.close()
  const path = join(tmpdir(), `parley-busy-${Bun.randomUUIDv7()}.db`)
  const a = new Database(path)
  const b = new Database(path)
  a.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (id TEXT)')
  b.exec('PRAGMA busy_timeout = 10')
  a.exec('BEGIN IMMEDIATE')
  expect(isUnavailable(await failure(async () => b.exec("INSERT INTO t VALUES ('x')")))).toBe(true)
  a.exec('COMMIT')
  a.close()
  b.close()
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
})

if (await needs('PostgreSQL')) {
  test('PostgreSQL: refused, terminated and too many connections are outages; bad queries are not', async () => {
    const admin = new SQL({ url: PG_ADMIN, max: 1 })
    const role = `parley_lim_${Bun.randomUUIDv7().slice(-8)}`
    try {
      const refused = new SQL({ url: 'postgres://postgres@127.0.0.1:1/postgres', max: 1 })
      expect(isUnavailable(await failure(() => refused`SELECT 1`))).toBe(true)
      const client = new SQL({ url: PG_ADMIN, max: 1 })
      const [{ pid }] = await client`SELECT pg_backend_pid() AS pid`
      // Terminated while a query runs (an administrator, a failover): the query fails with 57P01.
      const running = failure(() => client`SELECT pg_sleep(30)`)
      while ((await admin`SELECT 1 FROM pg_stat_activity WHERE pid = ${pid} AND state = 'active'`).length === 0);
      await admin`SELECT pg_terminate_backend(${pid})`
      expect(isUnavailable(await running)).toBe(true)
      expect(isUnavailable(await failure(() => client`SELECT 1/0`))).toBe(false)
      expect(isUnavailable(await failure(() => client`SELECT * FROM no_such_table`))).toBe(false)
      await client.close()
      await admin.unsafe(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`)
      const limited = new URL(PG_ADMIN)
      limited.username = role
      const full = new SQL({ url: limited.toString(), max: 1 })
      const error = await failure(() => full`SELECT 1`)
      expect(String((error as Error).message)).toContain('too many connections')
      expect(isUnavailable(error)).toBe(true)
      await full.close()
    } finally {
      await admin.unsafe(`DROP ROLE IF EXISTS ${role}`)
      await admin.close()
    }
  })
}

if (await needs('MySQL')) {
  test('MySQL/MariaDB: refused and too many user connections are outages; bad queries are not', async () => {
    const admin = createPool({ uri: MYSQL_ADMIN, connectionLimit: 1 })
    const user = `parley_lim_${Bun.randomUUIDv7().slice(-8)}`
    try {
      const refused = createPool({ uri: 'mysql://root@127.0.0.1:1/', connectionLimit: 1 })
      expect(isUnavailable(await failure(() => refused.query('SELECT 1')))).toBe(true)
      await refused.end()
      expect(isUnavailable(await failure(() => admin.query('SELECT * FROM no_such_db.no_such_table')))).toBe(false)
      await admin.query(`CREATE USER '${user}'@'%' WITH MAX_USER_CONNECTIONS 1`)
      const uri = new URL(MYSQL_ADMIN)
      uri.username = user
      const pool = createPool({ uri: uri.toString(), connectionLimit: 2 })
      const held = await pool.getConnection()
      const error = await failure(() => pool.getConnection())
      expect((error as { code?: string }).code).toBe('ER_USER_LIMIT_REACHED')
      expect(isUnavailable(error)).toBe(true)
      held.release()
      await pool.end()
    } finally {
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`)
      await admin.end()
    }
  })
}
