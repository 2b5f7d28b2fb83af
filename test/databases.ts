import { SQL } from 'bun'
import { createPool } from 'mysql2/promise'

/**
 * Throwaway databases on the machine's PostgreSQL and MariaDB/MySQL. Each call creates its own
 * database and returns its URL and a drop(). Where a server is absent, `available` is false:
 * tests skip with a message, except under CI=true, where they must run.
 */
export const PG_ADMIN = process.env.PARLEY_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const MYSQL_ADMIN = process.env.PARLEY_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/'
export const REDIS_URL = process.env.PARLEY_TEST_REDIS ?? 'redis://127.0.0.1:6379'

const name = () => `parley_t_${Bun.randomUUIDv7().replaceAll('-', '').slice(-16)}`

export async function postgresAvailable(): Promise<boolean> {
  const sql = new SQL({ url: PG_ADMIN, max: 1, connectionTimeout: 2 })
  try {
    await sql`SELECT 1`
    return true
  } catch {
    return false
  } finally {
    await sql.close({ timeout: 0 }).catch(() => {})
  }
}

export async function mysqlAvailable(): Promise<boolean> {
  const pool = createPool({ uri: MYSQL_ADMIN, connectionLimit: 1, connectTimeout: 2000 })
  try {
    await pool.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await pool.end().catch(() => {})
  }
}

export async function redisAvailable(): Promise<boolean> {
  const client = new Bun.RedisClient(REDIS_URL, { connectionTimeout: 2000, autoReconnect: false })
  try {
    return (await client.send('PING', [])) === 'PONG'
  } catch {
    return false
  } finally {
    client.close()
  }
}

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const db = name()
  const admin = new SQL({ url: PG_ADMIN, max: 1 })
  await admin.unsafe(`CREATE DATABASE ${db}`)
  const url = new URL(PG_ADMIN)
  url.pathname = `/${db}`
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
      await admin.close()
    },
  }
}

export async function createMysqlDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const db = name()
  const admin = createPool({ uri: MYSQL_ADMIN, connectionLimit: 1 })
  await admin.query(`CREATE DATABASE ${db}`)
  const url = new URL(MYSQL_ADMIN)
  url.pathname = `/${db}`
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${db}`)
      await admin.end()
    },
  }
}

/** Whether a test needing `service` runs; logs why not when it does not. */
export async function needs(service: 'PostgreSQL' | 'MySQL' | 'Redis'): Promise<boolean> {
  const up =
    service === 'PostgreSQL'
      ? await postgresAvailable()
      : service === 'MySQL'
        ? await mysqlAvailable()
        : await redisAvailable()
  if (up) return true
  if (process.env.CI === 'true') throw new Error(`${service} is required in CI but is not reachable`)
  console.warn(`SKIPPED: ${service} is not reachable on 127.0.0.1; its tests do not run on this machine`)
  return false
}
