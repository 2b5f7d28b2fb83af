import { drizzle } from 'drizzle-orm/mysql2'
import { createPool } from 'mysql2/promise'
import type { Driver, Tables } from './driver'
import { migrate } from './migrations'
import { networkDriver } from './network-driver'
import { reach } from './reach'
import { schema } from './schema/mysql'

export type MysqlOptions = {
  url: string
  poolSize: number
  migrationsFolder: string
  /** The longest wait for a connection (default 10 s: CONNECT_TIMEOUT_MS's). */
  connectTimeoutMs?: number
}

/** MySQL/MariaDB through mysql2's pool; utf8mb4 on the wire, migrations under a named lock. */
export async function openMysql(options: MysqlOptions): Promise<Driver> {
  const { connectTimeoutMs: timeoutMs = 10_000 } = options
  const url = new URL(options.url.replace(/^mariadb:/, 'mysql:'))
  const pool = createPool({
    uri: url.toString(),
    connectionLimit: options.poolSize,
    // Each new connection, at start-up and while the server is away (then the store answers 503).
    connectTimeout: timeoutMs,
    charset: 'utf8mb4_bin',
    // Epoch-millisecond bigints fit in a JS number; never hand them back as strings.
    supportBigNumbers: true,
    bigNumberStrings: false,
  })
  try {
    const db = drizzle({ client: pool, schema, mode: 'default' })
    const target = { dialect: 'mysql' as const, url: options.url, timeoutMs }
    const lock = await reach(pool.getConnection(), target)
    try {
      await lock.query("SELECT GET_LOCK('parley_migrations', 120)")
      await migrate(db, options.migrationsFolder)
    } finally {
      await lock.query("SELECT RELEASE_LOCK('parley_migrations')").catch(() => {})
      lock.release()
    }
    return networkDriver('mysql', db, schema as unknown as Tables, {
      ping: async () => {
        await pool.query('SELECT 1')
      },
      close: () => pool.end(),
    })
  } catch (error) {
    await pool.end().catch(() => {})
    throw error
  }
}
