import { dirname, join } from 'node:path'
import type { Config } from '../config'
import type { Driver } from './driver'
import { createDrizzleStore } from './drizzle-store'
import { openSqlite } from './sqlite-driver'
import type { Store } from './store'

/**
 * Where the generated migrations are. `bun build --compile --asset=drizzle` embeds them
 * next to the entry point, under `/$bunfs/root/`; there `import.meta.dir` is no guide (with
 * --bytecode it still names the build machine's source folder), so a binary looks beside its
 * own entry point and fails loudly if they were not embedded. From source: the repo's drizzle/.
 */
const migrationsRoot = Bun.main.startsWith('/$bunfs/')
  ? join(dirname(Bun.main), 'drizzle')
  : join(import.meta.dir, '../../drizzle')

export type StorageConfig = Pick<Config, 'database' | 'SQLITE_SYNCHRONOUS' | 'EVENT_RETENTION' | 'DATABASE_POOL_SIZE'>

/** Connects to the configured database and applies pending migrations. */
export async function openDriver(config: StorageConfig): Promise<Driver> {
  const { database: target } = config
  if (target.kind === 'sqlite') return sqliteDriver(config)
  const folder = join(migrationsRoot, target.kind)
  const options = { url: target.url, poolSize: config.DATABASE_POOL_SIZE, migrationsFolder: folder }
  // Loaded on demand: a SQLite server never pays for the network drivers' code and memory.
  if (target.kind === 'postgres') return (await import('./postgres-driver')).openPostgres(options)
  return (await import('./mysql-driver')).openMysql(options)
}

/** Opens the configured database, applies pending migrations, and returns the Store. */
export async function openStorage(config: StorageConfig): Promise<Store> {
  return createDrizzleStore(await openDriver(config), { eventRetention: config.EVENT_RETENTION })
}

/** The same, synchronously, for SQLite (tests and tools that know they have a SQLite URL). */
export function openSqliteStorage(config: StorageConfig): Store {
  return createDrizzleStore(sqliteDriver(config), { eventRetention: config.EVENT_RETENTION })
}

function sqliteDriver(config: StorageConfig): Driver {
  const { database: target } = config
  if (target.kind !== 'sqlite') throw new Error('a sqlite: DATABASE_URL is needed here')
  return openSqlite({
    path: target.path,
    synchronous: config.SQLITE_SYNCHRONOUS,
    migrationsFolder: join(migrationsRoot, 'sqlite'),
  })
}
