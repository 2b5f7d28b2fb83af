import { dirname, join } from 'node:path'
import type { Config } from '../config'
import { createLogger, type Logger, redactUrl } from '../log'
import type { Driver } from './driver'
import { createDrizzleStore } from './drizzle-store'
import { guardStore } from './outage'
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

export type StorageConfig = Pick<
  Config,
  | 'database'
  | 'SQLITE_SYNCHRONOUS'
  | 'EVENT_RETENTION'
  | 'DATABASE_POOL_SIZE'
  | 'CONNECT_TIMEOUT_MS'
  | 'LOG_LEVEL'
  | 'LOG_FORMAT'
>

/**
 * Connects to the configured database and applies pending migrations. A network database that
 * does not answer within CONNECT_TIMEOUT_MS is an error naming it and its URL (password hidden).
 */
export async function openDriver(config: StorageConfig): Promise<Driver> {
  const { database: target } = config
  if (target.kind === 'sqlite') return sqliteDriver(config)
  const folder = join(migrationsRoot, target.kind)
  const options = {
    url: target.url,
    poolSize: config.DATABASE_POOL_SIZE,
    migrationsFolder: folder,
    connectTimeoutMs: config.CONNECT_TIMEOUT_MS,
  }
  // Loaded on demand: a SQLite server never pays for the network drivers' code and memory.
  if (target.kind === 'postgres') return (await import('./postgres-driver')).openPostgres(options)
  return (await import('./mysql-driver')).openMysql(options)
}

/**
 * Opens the configured database, applies pending migrations, and returns the Store, whose
 * failures to reach the database are 503s logged once per outage to `log` (by default a logger
 * made from the configuration).
 */
export async function openStorage(config: StorageConfig, log?: Logger): Promise<Store> {
  return guarded(createDrizzleStore(await openDriver(config), { eventRetention: config.EVENT_RETENTION }), config, log)
}

/** The same, synchronously, for SQLite (tests and tools that know they have a SQLite URL). */
export function openSqliteStorage(config: StorageConfig, log?: Logger): Store {
  return guarded(createDrizzleStore(sqliteDriver(config), { eventRetention: config.EVENT_RETENTION }), config, log)
}

function guarded(store: Store, config: StorageConfig, log?: Logger): Store {
  return guardStore(store, {
    log: log ?? createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT }),
    dialect: config.database.kind,
    database: redactUrl(config.database.url),
  })
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
