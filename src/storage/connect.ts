import { join } from 'node:path'
import type { Config } from '../config'
import { createDrizzleStore } from './drizzle-store'
import { openSqlite } from './sqlite-driver'
import type { Store } from './store'

const migrationsRoot = join(import.meta.dir, '../../drizzle')

/** Opens the configured database, applies pending migrations, and returns the Store. */
export function openStorage(config: Pick<Config, 'database' | 'SQLITE_SYNCHRONOUS' | 'EVENT_RETENTION'>): Store {
  const { database } = config
  const driver = openSqlite({
    path: database.path,
    synchronous: config.SQLITE_SYNCHRONOUS,
    migrationsFolder: join(migrationsRoot, 'sqlite'),
  })
  return createDrizzleStore(driver, { eventRetention: config.EVENT_RETENTION })
}
